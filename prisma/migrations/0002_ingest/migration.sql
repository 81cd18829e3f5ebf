-- Tracking API: accepted events, their delivery jobs and the due-work queue, deduplication.
-- events and jobs are partitioned by day so retention is DROP TABLE of old partitions,
-- never a mass DELETE (server/ingest/partitions.ts creates partitions ahead of time; the
-- DEFAULT partitions catch anything outside them so an insert never fails for lack of one).

CREATE TABLE events (
  id uuid NOT NULL,
  workspace_id uuid NOT NULL,
  source_id uuid NOT NULL,
  message_id text NOT NULL,
  type text NOT NULL,
  name text,
  user_id text,
  anonymous_id text,
  received_at timestamptz(3) NOT NULL,
  sent_at timestamptz(3),
  original_timestamp timestamptz(3),
  "timestamp" timestamptz(3) NOT NULL,
  payload jsonb NOT NULL,
  pipeline jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (received_at, id)
) PARTITION BY RANGE (received_at);
CREATE INDEX events_source_id_received_at_id_idx ON events (source_id, received_at DESC, id DESC);
CREATE INDEX events_workspace_id_user_id_idx ON events (workspace_id, user_id);
CREATE INDEX events_workspace_id_anonymous_id_idx ON events (workspace_id, anonymous_id);
CREATE INDEX events_workspace_id_message_id_idx ON events (workspace_id, message_id);
CREATE TABLE events_default PARTITION OF events DEFAULT;

-- One row per (source, messageId) seen in the dedupe window; a duplicate is answered 200
-- and neither stored nor delivered again.
CREATE TABLE event_dedupe (
  source_id uuid NOT NULL,
  message_id text NOT NULL,
  received_at timestamptz(3) NOT NULL,
  PRIMARY KEY (source_id, message_id)
);
CREATE INDEX event_dedupe_received_at_idx ON event_dedupe (received_at);

-- Immutable: one per (event, destination). The delivery engine appends transitions.
CREATE TABLE jobs (
  id uuid NOT NULL,
  created_at timestamptz(3) NOT NULL,
  workspace_id uuid NOT NULL,
  source_id uuid NOT NULL,
  destination_id uuid NOT NULL,
  event_id uuid NOT NULL,
  event_received_at timestamptz(3) NOT NULL,
  expire_at timestamptz(3) NOT NULL,
  PRIMARY KEY (created_at, id)
) PARTITION BY RANGE (created_at);
CREATE INDEX jobs_destination_id_created_at_idx ON jobs (destination_id, created_at);
CREATE INDEX jobs_event_id_idx ON jobs (event_id);
CREATE TABLE jobs_default PARTITION OF jobs DEFAULT;

-- The small, hot table of due work the worker claims with FOR UPDATE SKIP LOCKED; a row
-- leaves when its job ends.
CREATE TABLE job_queue (
  job_id uuid PRIMARY KEY,
  job_created_at timestamptz(3) NOT NULL,
  destination_id uuid NOT NULL,
  source_id uuid NOT NULL,
  run_at timestamptz(3) NOT NULL,
  attempt integer NOT NULL DEFAULT 0,
  lease_owner text,
  lease_expires_at timestamptz(3)
);
CREATE INDEX job_queue_destination_id_source_id_run_at_idx ON job_queue (destination_id, source_id, run_at);
