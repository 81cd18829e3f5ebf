-- Delivery engine: the append-only log of job state transitions (one row per attempt
-- outcome, archive and replay), per-minute rollups for charts, and what the claim query needs.

CREATE TABLE job_transitions (
  job_id uuid NOT NULL,
  job_created_at timestamptz(3) NOT NULL,
  destination_id uuid NOT NULL,
  source_id uuid NOT NULL,
  attempt integer NOT NULL,
  state text NOT NULL,
  at timestamptz(3) NOT NULL,
  status_code integer,
  error_code text,
  latency_ms integer,
  response_excerpt text,
  retry_at timestamptz(3),
  worker_id text,
  PRIMARY KEY (at, job_id, attempt, state)
) PARTITION BY RANGE (at);
CREATE INDEX job_transitions_job_id_idx ON job_transitions (job_id);
CREATE INDEX job_transitions_destination_id_at_idx ON job_transitions (destination_id, at DESC);
CREATE TABLE job_transitions_default PARTITION OF job_transitions DEFAULT;

CREATE TABLE delivery_rollups (
  destination_id uuid NOT NULL,
  minute timestamptz(3) NOT NULL,
  outcome text NOT NULL,
  status_code integer NOT NULL,
  error_code text NOT NULL,
  attempt integer NOT NULL,
  count integer NOT NULL,
  latency_sum_ms bigint NOT NULL,
  latency_max_ms integer NOT NULL,
  PRIMARY KEY (minute, destination_id, outcome, status_code, error_code, attempt)
) PARTITION BY RANGE (minute);
CREATE INDEX delivery_rollups_destination_id_minute_idx ON delivery_rollups (destination_id, minute);
CREATE TABLE delivery_rollups_default PARTITION OF delivery_rollups DEFAULT;

-- Destinations have one source each, so (destination, runAt) is the per-(source,
-- destination) virtual queue the claim walks; leases are found by their expiry.
DROP INDEX job_queue_destination_id_source_id_run_at_idx;
CREATE INDEX job_queue_destination_id_run_at_idx ON job_queue (destination_id, run_at);
CREATE INDEX job_queue_lease_expires_at_idx ON job_queue (lease_expires_at);
