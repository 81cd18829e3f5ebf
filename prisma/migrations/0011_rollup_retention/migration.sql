-- Retention for the hourly rollups (issue 9): delivery_rollups_hourly and ingest_rollups grew
-- for ever. Both become partitioned by day, like events, jobs and the per-minute rollups, so
-- the event-store maintenance (server/events/partitions.ts) creates their partitions ahead
-- and drops whole days older than the retention. Their primary keys already lead with or hold
-- the hour, so the upserts that feed them (ON CONFLICT on the primary key) are unchanged.
-- Rows already written move into daily partitions named as the maintenance names them.

ALTER TABLE delivery_rollups_hourly RENAME TO delivery_rollups_hourly_unpartitioned;
ALTER TABLE delivery_rollups_hourly_unpartitioned RENAME CONSTRAINT delivery_rollups_hourly_pkey TO delivery_rollups_hourly_unpartitioned_pkey;
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
) PARTITION BY RANGE (hour);
CREATE TABLE delivery_rollups_hourly_default PARTITION OF delivery_rollups_hourly DEFAULT;

ALTER TABLE ingest_rollups RENAME TO ingest_rollups_unpartitioned;
ALTER TABLE ingest_rollups_unpartitioned RENAME CONSTRAINT ingest_rollups_pkey TO ingest_rollups_unpartitioned_pkey;
CREATE TABLE ingest_rollups (
  source_id uuid NOT NULL,
  hour timestamptz(3) NOT NULL,
  outcome text NOT NULL,
  reason text NOT NULL,
  destination_id text NOT NULL DEFAULT '',
  slot integer NOT NULL,
  count integer NOT NULL,
  PRIMARY KEY (source_id, hour, outcome, reason, destination_id, slot)
) PARTITION BY RANGE (hour);
CREATE TABLE ingest_rollups_default PARTITION OF ingest_rollups DEFAULT;

-- A daily partition (UTC) for every day that has rows, then the rows.
DO $$
DECLARE
  t text;
  d timestamptz;
BEGIN
  FOREACH t IN ARRAY ARRAY['delivery_rollups_hourly', 'ingest_rollups'] LOOP
    FOR d IN EXECUTE format('SELECT DISTINCT date_trunc(''day'', hour, ''UTC'') FROM %I', t || '_unpartitioned') LOOP
      EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                     t || '_p' || to_char(d AT TIME ZONE 'UTC', 'YYYYMMDD'), t, d, d + interval '1 day');
    END LOOP;
  END LOOP;
END $$;
INSERT INTO delivery_rollups_hourly SELECT * FROM delivery_rollups_hourly_unpartitioned;
INSERT INTO ingest_rollups SELECT * FROM ingest_rollups_unpartitioned;
DROP TABLE delivery_rollups_hourly_unpartitioned;
DROP TABLE ingest_rollups_unpartitioned;
