-- Blocked events (the tracking plan dropped them: stored with their violations, no jobs)
-- are found by a replay of blocked events (server/ingest/blocked-replay.ts) by source and
-- time. A partial index holds only them, so the search never walks a source's delivered
-- traffic, and it costs ingest nothing for the events that pass. Created on the partitioned
-- table, so every partition (and each new daily one) gets it.
CREATE INDEX events_blocked_idx ON events (source_id, received_at, id) WHERE pipeline->>'droppedBy' = 'trackingPlan';
