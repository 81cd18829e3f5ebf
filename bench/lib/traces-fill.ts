/**
 * Fills the real tables for the traces benchmark in SQL (generate_series, no rows through
 * Node): per chunk one statement writes the events, their identity rows (the same digests
 * ingest writes, `identityRowsSql`), a job per destination (0.1 % of events are filtered out
 * of the second one) and 1–3 attempts per job (8 % answer 500 once or twice before 200, 2 %
 * get a 400, 0.006 % are archived), each attempt with its recorded request and answer headers.
 *
 * Customers: ~20 events each over the last 30 days, a third with an e-mail address. Event
 * and job ids are UUIDv7 stamped with received_at, as ingest makes them (the trace finds an
 * event's partition from its id).
 */
import type pg from 'pg';
import { identityRowsSql } from '../../server/traces/sql/identity-rows.ts';

const DAY_MS = 86_400_000;

/** A UUIDv7 text for the millisecond `msSql`, random bits from gen_random_uuid (a v4: its version nibble becomes 7). */
const uuid7Sql = (msSql: string) => `(substr(lpad(to_hex(${msSql}), 12, '0'), 1, 8) || '-' || substr(lpad(to_hex(${msSql}), 12, '0'), 9, 4) || '-7' || substr(gen_random_uuid()::text, 16))::uuid`;
const atOfMs = (msSql: string) => `(timestamptz 'epoch' + (${msSql}) * interval '1 millisecond')`;

/**
 * $1 workspace, $2 source, $3 destination ids (uuid[]), $4 first n, $5 last n, $6 customers,
 * $7 now (ms since epoch), $8 the span in ms.
 */
const FILL_CHUNK = /* sql */ `
WITH g AS MATERIALIZED (
  SELECT n, u, ms, ${uuid7Sql('ms')} AS id, 'msg-' || n || '-' || substr(md5(random()::text), 1, 12) AS message_id
    FROM (SELECT n, floor(random() * $6::int)::int AS u, ($7::bigint - floor(random() * $8::bigint)::bigint) AS ms
            FROM generate_series($4::int, $5::int) n) s
), rows AS (
  INSERT INTO events (id, workspace_id, source_id, message_id, type, name, user_id, anonymous_id, received_at, sent_at, original_timestamp, "timestamp", payload, pipeline, client_ip, user_agent, as_sent)
  SELECT g.id, $1::uuid, $2::uuid, g.message_id, 'track', 'Order Completed', 'user-' || g.u, 'anon-' || g.u || '-' || (g.u % 3), t.at, t.at, t.at, t.at,
         jsonb_build_object('type', 'track', 'event', 'Order Completed', 'userId', 'user-' || g.u, 'anonymousId', 'anon-' || g.u || '-' || (g.u % 3), 'messageId', g.message_id,
           'properties', jsonb_build_object('orderId', 'ord-' || g.n, 'total', 42.5, 'currency', 'EUR') || CASE WHEN g.u % 3 = 0 THEN jsonb_build_object('email', 'customer' || g.u || '@example.com') ELSE '{}' END,
           'context', '{"library":{"name":"bench","version":"1"},"ip":"203.0.113.7"}'::jsonb, 'timestamp', t.at, 'receivedAt', t.at),
         -- 1 event in 1,000: a filter leaves the second destination out (no job there).
         jsonb_build_object('routing', jsonb_build_object('selected', to_jsonb($3::uuid[]), 'skipped', '[]'::jsonb))
           || CASE WHEN g.n % 1000 = 0 THEN jsonb_build_object('filters', jsonb_build_object('decision', 'passed', 'skipped', jsonb_build_array(jsonb_build_object('id', ($3::uuid[])[2], 'reason', 'sample 99.9 %')))) ELSE '{}' END,
         '203.0.113.7', 'bench/1.0', '{"added":["receivedAt"],"was":{}}'::jsonb
    FROM g CROSS JOIN LATERAL (SELECT ${atOfMs('g.ms')} AS at) t
  RETURNING workspace_id, id, received_at, message_id, type, user_id, anonymous_id, payload, source_id, pipeline
), identities AS (
  INSERT INTO event_identities (identity, received_at, event_id)
  SELECT r.identity, r.received_at, r.id FROM (${identityRowsSql('rows')}) r
), job_rows AS (
  INSERT INTO jobs (id, created_at, workspace_id, source_id, destination_id, event_id, event_received_at, expire_at)
  SELECT ${uuid7Sql('(extract(epoch FROM r.received_at) * 1000)::bigint')}, r.received_at, r.workspace_id, r.source_id, d.id, r.id, r.received_at, r.received_at + interval '4 hours'
    FROM rows r CROSS JOIN unnest($3::uuid[]) AS d(id)
   WHERE NOT (r.pipeline ? 'filters' AND d.id = ($3::uuid[])[2])
  RETURNING id, created_at, destination_id, source_id
), rolled AS (
  -- The job id's last bytes are random: 5/256 ≈ 2 % get a 400, then 4 % fail twice, 4 % once;
  -- 1 in 16,384 (≈ 0.006 %) is archived (its window ended while the partner answered 503).
  SELECT j.*, CASE WHEN b < 5 THEN -1 WHEN b < 15 THEN 2 WHEN b < 26 THEN 1 WHEN b = 26 AND b2 < 4 THEN -2 ELSE 0 END AS failures
    FROM job_rows j CROSS JOIN LATERAL (SELECT get_byte(uuid_send(j.id), 15) AS b, get_byte(uuid_send(j.id), 14) AS b2) x
)
INSERT INTO job_transitions (job_id, job_created_at, destination_id, source_id, attempt, state, at, status_code, latency_ms, response_excerpt, retry_at, request)
SELECT r.id, r.created_at, r.destination_id, r.source_id, a.n,
       CASE WHEN r.failures = -1 THEN 'discarded' WHEN r.failures = -2 THEN 'archived' WHEN a.n <= r.failures THEN 'awaiting_retry' ELSE 'succeeded' END,
       t.at,
       CASE WHEN r.failures = -1 THEN 400 WHEN r.failures = -2 THEN 503 WHEN a.n <= r.failures THEN 500 ELSE 200 END,
       CASE WHEN r.failures = -1 THEN 20 + floor(random() * 80) WHEN r.failures < 0 OR a.n <= r.failures THEN 200 + floor(random() * 800) ELSE 10 + floor(random() * 150) END,
       CASE WHEN r.failures = -1 THEN '{"error":"invalid payload"}' WHEN r.failures = -2 OR a.n <= r.failures THEN '{"error":"database is down"}' ELSE '{"ok":true}' END,
       CASE WHEN r.failures > 0 AND a.n <= r.failures THEN t.at + a.n * interval '5 seconds' END,
       jsonb_build_object('method', 'POST', 'url', 'https://hooks.example.com/in',
         'headers', jsonb_build_object('content-type', 'application/json', 'user-agent', 'Switchyard-Webhooks/1', 'webhook-id', r.id::text,
           'webhook-timestamp', floor(extract(epoch FROM t.at))::text, 'webhook-signature', 'v1,' || repeat('x', 44)),
         'body', '{"is":"event"}'::jsonb,
         -- the answer's kept headers (server/delivery/response-headers.ts), as a typical partner sends them
         'responseHeaders', jsonb_build_object('content-type', 'application/json; charset=utf-8', 'x-request-id', 'req_' || substr(md5(r.id::text || a.n), 1, 20), 'server', 'nginx'))
  FROM rolled r
  CROSS JOIN LATERAL generate_series(1, CASE WHEN r.failures < 0 THEN 1 ELSE r.failures + 1 END) AS a(n)
  -- attempt n runs 50 ms after the event plus the waits before it (5 s, then 10 s).
  CROSS JOIN LATERAL (SELECT r.created_at + interval '50 milliseconds' + (a.n * (a.n - 1) / 2) * interval '5 seconds' AS at) t
`;

export interface TFillOptions {
  workspaceId: string;
  sourceId: string;
  destinationIds: string[];
  total: number;
  now: number;
  days?: number;
  chunk?: number;
  onProgress?: (done: number) => void;
}

/** Writes `total` events (and their identity rows, jobs and attempts) in chunks, one transaction each. */
export async function fillTracesData(client: pg.PoolClient | pg.Client, { workspaceId, sourceId, destinationIds, total, now, days = 30, chunk = 100_000, onProgress }: TFillOptions): Promise<void> {
  const customers = Math.max(1, Math.floor(total / 20));
  for (let first = 1; first <= total; first += chunk) {
    const last = Math.min(total, first + chunk - 1);
    await client.query(FILL_CHUNK, [workspaceId, sourceId, destinationIds, first, last, customers, now, days * DAY_MS]);
    onProgress?.(last);
  }
}
