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
