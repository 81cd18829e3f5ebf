/**
 * `npm run bench -- privacy`: how long the worker takes to delete one subject with N events
 * among M, and what ingest latency looks like meanwhile (single-event requests in an open
 * loop against a tracking API on the same database).
 * Knobs: BENCH_PRIVACY_SUBJECT_EVENTS (N, default 100000), BENCH_PRIVACY_TOTAL_EVENTS
 * (M, default 5000000), BENCH_PRIVACY_BATCH (events per transaction, default 1000),
 * BENCH_PRIVACY_RATE (ingest requests/s during the deletion, default 100).
 */
import pg from 'pg';
import { createDb } from '../server/db/client.ts';
import { PrivacyRunner } from '../server/delivery/privacy-runner.ts';
import { startIngestTestServer } from '../server/ingest/test-server.ts';
import { createRegulation } from '../server/privacy/regulations.ts';
import { identityRowsSql } from '../server/traces/sql/identity-rows.ts';
import { openLoop, percentile } from './lib/load.ts';
import { figure, note } from './lib/measure.ts';
import { setupBenchDatabase } from './lib/setup.ts';

const SUBJECT = Number(process.env.BENCH_PRIVACY_SUBJECT_EVENTS ?? 100_000);
const TOTAL = Number(process.env.BENCH_PRIVACY_TOTAL_EVENTS ?? 5_000_000);
const BATCH = Number(process.env.BENCH_PRIVACY_BATCH ?? 1000);
const RATE = Number(process.env.BENCH_PRIVACY_RATE ?? 100);

export async function benchPrivacy(): Promise<void> {
  const database = await setupBenchDatabase();
  const { fixture } = database;
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  pool.on('error', () => undefined); // idle connections see the server stop at the end
  try {
    note(`privacy: seeding ${TOTAL} events (${SUBJECT} of the subject, each with a job and an attempt)`);
    const seedStarted = performance.now();
    const CHUNK = 250_000;
    for (let from = 1; from <= TOTAL; from += CHUNK) {
      const to = Math.min(TOTAL, from + CHUNK - 1);
      // Every (TOTAL/SUBJECT)-th event belongs to the subject, the rest to 10,000 other users.
      await pool.query(
        `WITH rows AS (
           INSERT INTO events (id, workspace_id, source_id, message_id, type, name, user_id, received_at, "timestamp", payload)
           SELECT gen_random_uuid(), $1, $2, 'm' || g, 'track', 'Tick', u, now() - make_interval(secs => g % 3600), now(), jsonb_build_object('userId', u, 'event', 'Tick')
             FROM generate_series($3::int, $4::int) g, LATERAL (SELECT CASE WHEN g % $5 = 0 THEN 'bench-subject' ELSE 'user-' || (g % 10000) END AS u) x
           RETURNING id, received_at, user_id, source_id, message_id, workspace_id, type, anonymous_id, payload)
         , dedupe AS (INSERT INTO event_dedupe (source_id, message_id, received_at) SELECT source_id, message_id, received_at FROM rows)
         , identities AS (
           -- what ingest writes with each event: the message ID and user ID digests the deletion finds it by
           INSERT INTO event_identities (identity, received_at, event_id)
           SELECT r.identity, r.received_at, r.id FROM (${identityRowsSql('rows')}) r)
         , subject_jobs AS (
           INSERT INTO jobs (id, created_at, workspace_id, source_id, destination_id, event_id, event_received_at, expire_at)
           SELECT gen_random_uuid(), received_at, $1, source_id, $6, id, received_at, received_at + interval '4 hours' FROM rows WHERE user_id = 'bench-subject'
           RETURNING id, created_at, destination_id, source_id)
         INSERT INTO job_transitions (job_id, job_created_at, destination_id, source_id, attempt, state, at, status_code, response_excerpt)
         SELECT id, created_at, destination_id, source_id, 1, 'succeeded', created_at, 200, '{"ok":true}' FROM subject_jobs`,
        [fixture.workspaceId, fixture.sourceId, from, to, Math.max(1, Math.floor(TOTAL / SUBJECT)), fixture.destinations[0].id],
      );
    }
    await pool.query('VACUUM ANALYZE');
    const seeded = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE user_id = 'bench-subject'`)).rows[0].n;
    note(`privacy: seeded in ${((performance.now() - seedStarted) / 1000).toFixed(0)} s; the subject has ${seeded} events`);

    const server = await startIngestTestServer({ databaseUrl: database.url });
    const db = createDb(database.url, { max: 2 });
    const regulation = await createRegulation({ db, workspaceId: fixture.workspaceId, actor: fixture.actor, input: { regulationType: 'DELETE_INTERNAL', subjectType: 'USER_ID', subjectIds: ['bench-subject'] } });
    const runner = new PrivacyRunner({ pool, workerId: 'bench', archiveDir: '/nonexistent', allowPrivate: undefined, batchSize: BATCH });
    const auth = `Basic ${Buffer.from(`${fixture.writeKey}:`).toString('base64')}`;
    let i = 0;
    const live = () => ({ path: '/v1/track', body: JSON.stringify({ userId: `live-${i++}`, event: 'Live' }), headers: { 'content-type': 'application/json', authorization: auth } });
    // The same load before the deletion: the machine's own ingest latency (and a warm-up).
    const baseline = await openLoop({ url: server.url, ratePerSecond: RATE, seconds: 5, request: live });
    figure('privacy.ingest_p99_before_ms', percentile(baseline.latenciesMs, 99), 'ms');
    const started = performance.now();
    let deletionSeconds = NaN;
    const deletion = runner.drain().then(() => { deletionSeconds = (performance.now() - started) / 1000; });
    // Ingest during the deletion, for as long as it lasts (checked every 5 s windows).
    const latencies: number[] = [];
    let requests = 0;
    let failed = 0;
    while (Number.isNaN(deletionSeconds)) {
      const window = await openLoop({ url: server.url, ratePerSecond: RATE, seconds: 5, request: live });
      latencies.push(...window.latenciesMs);
      requests += window.requests;
      failed += window.failed;
    }
    await deletion;
    const target = await db.regulationTarget.findFirstOrThrow({ where: { regulationId: regulation.id, kind: 'event_store' } });
    note(`privacy: receipt ${JSON.stringify(target.receipt)}`);
    figure('privacy.delete_seconds', deletionSeconds, 's');
    figure('privacy.deleted_events_per_s', seeded / deletionSeconds, 'events/s');
    figure('privacy.ingest_p99_during_ms', percentile(latencies, 99), 'ms');
    figure('privacy.ingest_max_during_ms', Math.max(...latencies), 'ms');
    note(`privacy: N=${SUBJECT} M=${TOTAL} batch=${BATCH}; ${requests} ingest requests at ${RATE}/s during the deletion, ${failed} failed`);
    await db.$disconnect();
    await server.close();
  } finally {
    await pool.end();
    await database.close();
  }
}
