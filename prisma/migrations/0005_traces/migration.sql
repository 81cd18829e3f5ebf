-- Traces (issue 9): what support needs to find a customer's events and read what happened
-- to each, decided once at ingest and in the worker.

-- What the tracking API received besides the normalized payload: the client's address and
-- user agent, and `as_sent`, the small difference between the message as the client sent it
-- and the stored payload ({ "added": [keys normalisation added], "was": {key: value as sent} }),
-- so the trace shows the payload exactly as sent without storing it twice.
ALTER TABLE events ADD COLUMN client_ip text, ADD COLUMN user_agent text, ADD COLUMN as_sent jsonb;

-- One narrow identity lookup instead of one index per identifier: a row per (event, identifier)
-- where `identity` is a 64-bit digest of (workspace, kind, value) for userId, anonymousId,
-- e-mail (traits.email, context.traits.email, properties.email, lower-cased) and messageId.
-- The primary key serves "this customer's events, newest first" as an index range scan.
CREATE TABLE event_identities (
  identity bigint NOT NULL,
  received_at timestamptz(3) NOT NULL,
  event_id uuid NOT NULL,
  PRIMARY KEY (identity, received_at, event_id)
) PARTITION BY RANGE (received_at);
CREATE TABLE event_identities_default PARTITION OF event_identities DEFAULT;

-- The three per-identifier indexes it replaces (one fewer index write per event at ingest).
DROP INDEX events_workspace_id_user_id_idx;
DROP INDEX events_workspace_id_anonymous_id_idx;
DROP INDEX events_workspace_id_message_id_idx;

-- The request the worker sent, per attempt: method, URL and headers with secrets masked, and
-- the body only when it differs from the event's payload (and then only on the job's first
-- attempt; later attempts carry its digest).
ALTER TABLE job_transitions ADD COLUMN request jsonb;

-- Latency histogram per rollup row (counts per bucket, bounds in server/delivery/latency-buckets.ts),
-- so charts can show p50 / p95 / p99 without reading attempts.
ALTER TABLE delivery_rollups ADD COLUMN latency_buckets integer[] DEFAULT '{}';

-- Hourly rollups beside the per-minute ones: a 30-day chart reads 720 hours, not 43,200 minutes.
CREATE TABLE delivery_rollups_hourly (
  destination_id uuid NOT NULL,
  hour timestamptz(3) NOT NULL,
  outcome text NOT NULL,
  status_code integer NOT NULL,
  error_code text NOT NULL,
  attempt integer NOT NULL,
  count integer NOT NULL,
  latency_sum_ms bigint NOT NULL,
  latency_max_ms integer NOT NULL,
  latency_buckets integer[] DEFAULT '{}',
  PRIMARY KEY (destination_id, hour, outcome, status_code, error_code, attempt)
);

-- What ingest did per source and hour: stored, rejected (reason: the error code), dropped by a
-- pipeline stage (reason: the stage), and per destination skipped by a stage (destination_id
-- set; reason "<stage>: <reason>"). `slot` spreads concurrent writers over different rows so
-- two flushes never wait on one counter row; readers sum over it.
CREATE TABLE ingest_rollups (
  source_id uuid NOT NULL,
  hour timestamptz(3) NOT NULL,
  outcome text NOT NULL,
  reason text NOT NULL,
  destination_id text NOT NULL DEFAULT '',
  slot integer NOT NULL,
  count integer NOT NULL,
  PRIMARY KEY (source_id, hour, outcome, reason, destination_id, slot)
);
