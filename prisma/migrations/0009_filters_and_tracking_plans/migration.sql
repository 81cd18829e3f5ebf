-- Destination filters: conditions in the filter expression language (server/filters) with
-- one action each, applied per destination at ingest in `position` order. `version` grows
-- with every change, so web processes recompile a filter only when it changed.
CREATE TABLE destination_filters (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  destination_id uuid NOT NULL REFERENCES destinations (id) ON DELETE CASCADE ON UPDATE CASCADE,
  title text NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  position integer NOT NULL,
  condition text NOT NULL,
  action jsonb NOT NULL,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX destination_filters_destination_id_position_idx ON destination_filters (destination_id, position);
CREATE INDEX destination_filters_workspace_id_idx ON destination_filters (workspace_id);

-- What a job sends when a filter changed the event's properties for its destination; null
-- (nearly always) means the event's stored payload. Jobs are immutable, and this is written
-- with the job, so the worker reads it in the same lookup it already makes.
ALTER TABLE jobs ADD COLUMN payload jsonb;

-- Tracking plans: JSON Schemas (draft 2020-12) per track event name, for identify and group
-- traits, and one for every event; `version` grows with every change (compiled once per
-- version on each web process; every change is in the audit trail with before and after).
CREATE TABLE tracking_plans (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  name text NOT NULL,
  rules jsonb NOT NULL,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX tracking_plans_workspace_id_idx ON tracking_plans (workspace_id);

-- A source follows at most one plan, with its enforcement.
CREATE TABLE source_tracking_plans (
  source_id uuid PRIMARY KEY REFERENCES sources (id) ON DELETE CASCADE ON UPDATE CASCADE,
  tracking_plan_id uuid NOT NULL REFERENCES tracking_plans (id) ON DELETE CASCADE ON UPDATE CASCADE,
  unplanned_events text NOT NULL DEFAULT 'allow',
  violations text NOT NULL DEFAULT 'allow',
  updated_at timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX source_tracking_plans_tracking_plan_id_idx ON source_tracking_plans (tracking_plan_id);

-- One row per violation, written with its event (same statement), for the violations page.
CREATE TABLE violations (
  id bigserial PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  tracking_plan_id uuid NOT NULL,
  plan_version integer NOT NULL,
  source_id uuid NOT NULL,
  event_id uuid NOT NULL,
  event_received_at timestamptz(3) NOT NULL,
  event_type text NOT NULL,
  event_name text,
  kind text NOT NULL,
  path text NOT NULL,
  rule text NOT NULL,
  message text NOT NULL,
  is_blocked boolean NOT NULL
);
CREATE INDEX violations_tracking_plan_id_event_received_at_idx ON violations (tracking_plan_id, event_received_at DESC);
CREATE INDEX violations_event_id_idx ON violations (event_id);
