-- GDPR requests (issue 11). A regulation is one admin request about a list of subjects; it
-- fans out into one target per place that holds the subjects' data (the event store, the
-- archive, each destination), each with its own status, lease and receipt. The regulation
-- row and its suppressions are "the regulation record": the only places the subjects'
-- identifiers stay once a deletion has finished.
CREATE TABLE regulations (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  type text NOT NULL,
  subject_type text NOT NULL,
  subject_ids text[],
  status text NOT NULL DEFAULT 'initialized',
  requested_by_type "ActorType" NOT NULL,
  requested_by_id text,
  requested_by_label text NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  finished_at timestamptz(3),
  -- The identifiers linked to the subjects (identities.ts), found once so that every target
  -- and every resumed attempt works on the same list; cleared when the last target ends.
  resolved_identities jsonb
);
CREATE INDEX regulations_workspace_id_created_at_idx ON regulations (workspace_id, created_at DESC);

-- Work the worker claims like a job: a lease, an attempt count, and a receipt that grows in
-- the same transaction as each batch it deletes, so a crash resumes with exact counts.
CREATE TABLE regulation_targets (
  id uuid PRIMARY KEY,
  regulation_id uuid NOT NULL REFERENCES regulations (id) ON DELETE CASCADE ON UPDATE CASCADE,
  kind text NOT NULL,
  destination_id uuid,
  label text NOT NULL,
  status text NOT NULL DEFAULT 'pending',
  attempts integer NOT NULL DEFAULT 0,
  lease_owner text,
  lease_expires_at timestamptz(3),
  started_at timestamptz(3),
  finished_at timestamptz(3),
  receipt jsonb NOT NULL DEFAULT '{}',
  error text
);
CREATE INDEX regulation_targets_regulation_id_idx ON regulation_targets (regulation_id);
CREATE INDEX regulation_targets_status_idx ON regulation_targets (status);

-- Consulted at ingest (cached per web process, refreshed by polling suppression_versions).
CREATE TABLE suppressions (
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  subject_type text NOT NULL,
  subject_id text NOT NULL,
  regulation_id uuid NOT NULL REFERENCES regulations (id) ON DELETE CASCADE ON UPDATE CASCADE,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, subject_type, subject_id)
);
CREATE INDEX suppressions_regulation_id_idx ON suppressions (regulation_id);

-- Bumped in the transaction that changes a workspace's suppressions; each web process
-- polls it (one indexed row per workspace) at most every second and reloads on a change.
CREATE TABLE suppression_versions (
  workspace_id uuid PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  version bigint NOT NULL DEFAULT 0
);

-- Suppressed events are not stored; only counted, per workspace and day.
CREATE TABLE suppressed_event_counts (
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE ON UPDATE CASCADE,
  day date NOT NULL,
  count bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (workspace_id, day)
);
