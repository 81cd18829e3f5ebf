-- Issue 14, a claim as a HOT update. A claim sets a queued job's lease (lease_owner,
-- lease_expires_at, attempt); with the partial lease index and the retries index's predicate
-- (attempt > 0 AND lease_owner IS NULL) on those columns, every claim wrote a new row
-- version plus three index entries, and the record's DELETE left all of them for vacuum.
-- Now no index of job_queue covers a column a claim changes, and pages keep room for the
-- claim's new versions (fillfactor 40: a leased version is ~30 bytes longer than the queued
-- one, and a claim takes every due row of a page at once; at 50 a fifth of them did not fit),
-- so the claim is a heap-only update:
--   * leases in flight per destination are counted from destination_leases (one row per
--     destination and worker, written only by that worker's claims), not by reading every
--     leased row through the lease index on every claim;
--   * a job waiting for (or in) a retry is marked by is_retry, set when a retry is
--     scheduled, so the retries index no longer depends on the lease.
DROP INDEX job_queue_lease_expires_at_idx;
DROP INDEX job_queue_retries_idx;
ALTER TABLE job_queue ADD COLUMN is_retry boolean NOT NULL DEFAULT false;
UPDATE job_queue SET is_retry = true WHERE attempt > 1 OR (attempt > 0 AND lease_owner IS NULL);
CREATE INDEX job_queue_retries_idx ON job_queue (destination_id, run_at) WHERE is_retry;
ALTER TABLE job_queue SET (fillfactor = 40);

-- How many of a destination's jobs one worker holds leases on, until when (the latest lease it
-- took); a row whose `until` has passed counts for nothing (its worker died or stopped).
CREATE TABLE destination_leases (
  destination_id uuid NOT NULL REFERENCES destinations (id) ON DELETE CASCADE ON UPDATE CASCADE,
  worker_id text NOT NULL,
  leased integer NOT NULL,
  until timestamptz(3) NOT NULL,
  PRIMARY KEY (destination_id, worker_id)
);
