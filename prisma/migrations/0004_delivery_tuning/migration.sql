-- One index fewer on the hottest insert: the primary key leads with job_id, so it also
-- serves "the transitions of this job" (the trace), and the separate job_id index goes.
-- (at stays in the key: a partitioned table's unique keys must include its partition key.)
ALTER TABLE job_transitions DROP CONSTRAINT job_transitions_pkey;
ALTER TABLE job_transitions ADD PRIMARY KEY (job_id, attempt, state, at);
DROP INDEX job_transitions_job_id_idx;

-- A destination's rate limit holds across all workers: a token bucket per rate-limited
-- destination, refilled and spent by the claim statement under the destination's claim lock.
CREATE TABLE destination_rate_budgets (
  destination_id uuid PRIMARY KEY REFERENCES destinations (id) ON DELETE CASCADE ON UPDATE CASCADE,
  tokens double precision NOT NULL,
  refilled_at timestamptz(3) NOT NULL
);

