-- Issue 14, write less per event: two index entries fewer per job at ingest.
--
-- The lease index held a NULL entry for every queued job that nobody leases (all of a
-- backlog); only leased rows are ever looked up by it (the claim counts live leases), so
-- it now holds only those. A claimed row is indexed as before.
DROP INDEX job_queue_lease_expires_at_idx;
CREATE INDEX job_queue_lease_expires_at_idx ON job_queue (lease_expires_at) WHERE lease_expires_at IS NOT NULL;

-- Nothing reads jobs by (destination, created_at) but a replay, which now finds them by
-- primary key from the transitions it starts from (server/queue/sql/replay-jobs.ts).
DROP INDEX jobs_destination_id_created_at_idx;
