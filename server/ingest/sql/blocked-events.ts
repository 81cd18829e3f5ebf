/**
 * The two statements of a replay of blocked events (server/ingest/blocked-replay.ts).
 *
 * `selectBlockedEvents`: a source's events the tracking plan blocked (stored, no jobs:
 * `pipeline.droppedBy = 'trackingPlan'`), in a received-at range, after a keyset position,
 * oldest first, optionally of one event name and/or with one kind of violation. The partial
 * index `events_blocked_idx` (migration 0012) holds only blocked events, so finding them
 * never walks the source's delivered traffic.
 *
 * `releaseBlockedEvents`: for the events that now pass, in one statement, replaces each
 * event's pipeline record (no `droppedBy` any more), marks its violation rows released
 * (`released_at`: the violations page counts them as "released by replay", not blocked),
 * moves the event in the hourly ingest counters of the hour it was received from
 * "dropped: trackingPlan" to "released: trackingPlan" (a −1 and a +1 row, so every reader
 * of "dropped" counts only what is still blocked), counts the destinations the new run's
 * stages left out as "skipped" there (as ingest would have), and queues its jobs through
 * the queue's one job insert. The UPDATE re-checks that the event is still blocked, so two
 * replays running at once release an event once: the later one waits for the row lock,
 * finds the event released, and skips it (no job, no counter, no mark).
 */
import type { Prisma } from '../../db/generated/client.ts';
import { insertJobsSql, jobRecordset } from '../../queue/sql/insert-jobs.ts';

const SELECT_BLOCKED_EVENTS = /* sql */ `
SELECT e.id, e.received_at, e.message_id, e.type, e.name, e.user_id, e.anonymous_id, e.sent_at, e.original_timestamp,
       e."timestamp", e.payload::text AS json, e.pipeline
  FROM events e
 WHERE e.source_id = $1::uuid AND e.workspace_id = $2::uuid
   AND e.pipeline->>'droppedBy' = 'trackingPlan'
   AND e.received_at >= $3 AND e.received_at <= $4
   AND (e.received_at, e.id) > ($5::timestamptz, $6::uuid)
   AND ($7::text IS NULL OR e.name = $7::text)
   AND ($8::text IS NULL OR EXISTS (SELECT 1 FROM violations v WHERE v.event_id = e.id AND v.kind = $8::text))
 ORDER BY e.received_at, e.id
 LIMIT $9
`;

export interface TBlockedEventRow {
  id: string;
  received_at: Date;
  message_id: string;
  type: string;
  name: string | null;
  user_id: string | null;
  anonymous_id: string | null;
  sent_at: Date | null;
  original_timestamp: Date | null;
  timestamp: Date;
  /** The stored payload as JSON text. */
  json: string;
  pipeline: Record<string, unknown>;
}

export async function selectBlockedEvents(
  db: Prisma.TransactionClient,
  { sourceId, workspaceId, from, to, after, eventName, kind, limit }: {
    sourceId: string;
    workspaceId: string;
    /** Received-at range, inclusive. */
    from: Date;
    to: Date;
    /** Keyset position: only events after it (received_at, id). */
    after: { receivedAt: Date; id: string };
    eventName: string | null;
    /** A violation kind the event must have. */
    kind: string | null;
    limit: number;
  },
): Promise<TBlockedEventRow[]> {
  return db.$queryRawUnsafe<TBlockedEventRow[]>(SELECT_BLOCKED_EVENTS, sourceId, workspaceId, from, to, after.receivedAt, after.id, eventName, kind, limit);
}

/** The ingest counters' slot a replay writes (ingest's flushes use slots from 0 up). */
const REPLAY_COUNTER_SLOT = -1;

const RELEASE_BLOCKED_EVENTS = /* sql */ `
WITH released_input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, received_at timestamptz, pipeline jsonb, skipped jsonb)
),
released AS (
  UPDATE events e SET pipeline = r.pipeline
    FROM released_input r
   WHERE e.id = r.id AND e.received_at = r.received_at AND e.pipeline->>'droppedBy' = 'trackingPlan'
  RETURNING e.id, e.source_id, e.received_at
),
marked AS (
  UPDATE violations v SET released_at = $3::timestamptz
    FROM released r
   WHERE v.event_id = r.id AND v.is_blocked AND v.released_at IS NULL
  RETURNING 1
),
counted AS (
  INSERT INTO ingest_rollups AS c (source_id, hour, outcome, reason, destination_id, slot, count)
  SELECT source_id, hour, outcome, reason, destination_id, ${REPLAY_COUNTER_SLOT}, sum(n)::int FROM (
    SELECT r.source_id, date_trunc('hour', r.received_at) AS hour, 'dropped' AS outcome, 'trackingPlan' AS reason, '' AS destination_id, -1 AS n
      FROM released r
    UNION ALL
    SELECT r.source_id, date_trunc('hour', r.received_at), 'released', 'trackingPlan', '', 1
      FROM released r
    UNION ALL
    -- Destinations the new run's stages left out ([{ d, r }], flattened like ingest's).
    SELECT r.source_id, date_trunc('hour', r.received_at), 'skipped', sk->>'r', sk->>'d', 1
      FROM released r JOIN released_input i ON i.id = r.id
      CROSS JOIN LATERAL jsonb_array_elements(i.skipped) sk
  ) x
  GROUP BY source_id, hour, outcome, reason, destination_id
  ON CONFLICT (source_id, hour, outcome, reason, destination_id, slot) DO UPDATE SET count = c.count + excluded.count
  RETURNING 1
),
job_input AS (
  SELECT * FROM ${jobRecordset('$2::jsonb', 'j')}
),
${insertJobsSql({ name: 'fresh', rows: 'SELECT j.* FROM job_input j JOIN released r ON r.id = j.event_id' })}
SELECT (SELECT count(*) FROM released)::int AS released, (SELECT count(*) FROM fresh_queued)::int AS queued
`;

export async function releaseBlockedEvents(
  tx: Prisma.TransactionClient,
  { events, jobs, at }: {
    /**
     * JSON text of [{ id, received_at, pipeline, skipped }]: each event's new pipeline record
     * and the destinations its stages left out (`skippedCounterRows`).
     */
    events: string;
    /** JSON text of an array of job rows (`jobRowJson`). */
    jobs: string;
    /** When the events are released (the violations' `released_at`). */
    at: Date;
  },
): Promise<{ released: number; queued: number }> {
  const rows = await tx.$queryRawUnsafe<Array<{ released: number; queued: number }>>(RELEASE_BLOCKED_EVENTS, events, jobs, at);
  return rows[0] ?? { released: 0, queued: 0 };
}
