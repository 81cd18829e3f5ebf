/**
 * Suppression seen from the outside: a real SDK (@segment/analytics-node) sends to the
 * tracking API on a real HTTP server. Once an admin suppresses a subject by e-mail, the
 * subject's new events (by user ID, or by the anonymous ID an identify tied to it) are
 * answered 200 but neither stored nor delivered, only counted; their queued jobs are
 * cancelled; a replay does not re-send them; another user is untouched; UNSUPPRESS lifts it.
 */
import { Analytics } from '@segment/analytics-node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { PrivacyRunner } from '../delivery/privacy-runner.ts';
import { createReplay } from '../queue/replays.ts';
import { createIngestFixture } from '../ingest/test-fixtures.ts';
import { startIngestTestServer, type TIngestTestServer } from '../ingest/test-server.ts';
import { createRegulation } from './regulations.ts';
import { SuppressionCache } from './suppression-cache.ts';
import { listSuppressions } from './suppressions.ts';

let testDb: TTestDb;
let server: TIngestTestServer;
let fx: Awaited<ReturnType<typeof createIngestFixture>>;
let pool: pg.Pool;

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
  fx = await createIngestFixture(testDb.db, { destinations: ['Hook A'] });
  pool = new pg.Pool({ connectionString: testDb.url, max: 3 });
});
afterAll(async () => {
  await pool.end();
  await server.close();
  await testDb.drop();
});

type TSend = (client: Analytics, done: (error?: unknown) => void) => void;

/** Sends calls with the SDK, flushes, and resolves with the HTTP statuses it got and any error it reported. */
async function sendWithSdk(calls: TSend[]): Promise<{ statuses: number[]; errors: unknown[] }> {
  const client = new Analytics({ writeKey: fx.writeKey, host: server.url, flushAt: 50, flushInterval: 60_000, maxRetries: 0 });
  const statuses: number[] = [];
  client.on('http_response', ({ status }) => statuses.push(status));
  const errors: unknown[] = [];
  const settled = calls.map((call) => new Promise<void>((resolve) => call(client, (error) => {
    if (error) errors.push(error);
    resolve();
  })));
  await client.closeAndFlush();
  await Promise.all(settled);
  return { statuses, errors };
}

const countEvents = async (where: string, params: unknown[]) => (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE ${where}`, params)).rows[0].n;
const runner = () => new PrivacyRunner({ pool, workerId: 'test-worker', archiveDir: '/nonexistent', allowPrivate: '*', batchSize: 2 });

describe('suppression at ingest', () => {
  it('answers a suppressed subject 200, stores and delivers nothing of theirs, counts it, and lifts on UNSUPPRESS', async () => {
    // Before: Grace identifies on her device (tying anon-grace to grace-1) and tracks; Alan too.
    const before = await sendWithSdk([
      (c, done) => c.identify({ userId: 'grace-1', anonymousId: 'anon-grace', traits: { email: 'Grace@Example.com' } }, done),
      (c, done) => c.track({ userId: 'grace-1', event: 'Order Completed', properties: { total: 30 } }, done),
      (c, done) => c.track({ anonymousId: 'anon-grace', event: 'Viewed Pricing' }, done),
      (c, done) => c.track({ userId: 'alan-1', event: 'Order Completed' }, done),
    ]);
    expect(before.errors).toEqual([]);
    expect(before.statuses).toEqual([200]);
    expect(await countEvents("user_id = 'grace-1' OR anonymous_id = 'anon-grace'", [])).toBe(3);
    // One of Grace's jobs ended discarded earlier (a replay candidate), as did Alan's.
    await pool.query(`INSERT INTO job_transitions (job_id, job_created_at, destination_id, source_id, attempt, state, at, status_code)
      SELECT j.id, j.created_at, j.destination_id, j.source_id, 1, 'discarded', now(), 400 FROM jobs j JOIN events e ON e.id = j.event_id
       WHERE e.type = 'track' AND (e.user_id IN ('grace-1', 'alan-1'))`);
    await pool.query(`DELETE FROM job_queue q USING jobs j, events e WHERE q.job_id = j.id AND e.id = j.event_id AND e.type = 'track' AND e.user_id IN ('grace-1', 'alan-1')`);

    const regulation = await createRegulation({ db: testDb.db, workspaceId: fx.workspaceId, actor: fx.actor, input: { regulationType: 'SUPPRESS_ONLY', subjectType: 'EMAIL', subjectIds: ['grace@example.com'] } });
    expect(regulation.targets.map((t) => t.kind)).toEqual(['suppression']);
    // The worker links her user ID and anonymous ID and cancels what is still queued of hers.
    await runner().drain();
    const done = await testDb.db.regulationTarget.findFirstOrThrow({ where: { regulationId: regulation.id } });
    expect(done.status).toBe('finished');
    expect(done.receipt).toEqual({ linkedIdentifiersSuppressed: 2, queuedJobsCancelled: 2 });
    expect(await testDb.db.regulation.findUniqueOrThrow({ where: { id: regulation.id } })).toMatchObject({ status: 'finished', resolvedIdentities: null });
    const queuedOfGrace = await pool.query(`SELECT 1 FROM job_queue q JOIN jobs j ON j.id = q.job_id JOIN events e ON e.id = j.event_id WHERE e.user_id = 'grace-1' OR e.anonymous_id = 'anon-grace'`);
    expect(queuedOfGrace.rowCount).toBe(0);
    const cancelled = await pool.query<{ state: string; response_excerpt: string }>(`SELECT state, response_excerpt FROM job_transitions WHERE state = 'suppressed'`);
    expect(cancelled.rows).toHaveLength(2);
    expect(cancelled.rows[0].response_excerpt).toBe(`cancelled: subject suppressed by privacy request ${regulation.id}`);

    // After: the SDK is answered 200 (no error, no retry) but nothing of Grace's is stored.
    const storedBefore = await countEvents('true', []);
    const after = await sendWithSdk([
      (c, done) => c.track({ userId: 'grace-1', event: 'Order Completed' }, done),
      (c, done) => c.page({ anonymousId: 'anon-grace', name: 'Home' }, done),
      (c, done) => c.identify({ userId: 'someone-new', traits: { email: 'grace@example.com' } }, done),
      (c, done) => c.track({ userId: 'alan-1', event: 'Order Completed' }, done),
    ]);
    expect(after.errors).toEqual([]);
    expect(after.statuses).toEqual([200]);
    expect(await countEvents('true', [])).toBe(storedBefore + 1);
    expect(await countEvents("user_id = 'alan-1'", [])).toBe(2);
    expect(await countEvents("user_id IN ('grace-1', 'someone-new') OR anonymous_id = 'anon-grace'", [])).toBe(3);
    const listed = await listSuppressions({ db: testDb.db, workspaceId: fx.workspaceId, limit: 10 });
    expect(listed.suppressedEvents).toBe(3);
    expect(listed.data.map((s) => `${s.subjectType}:${s.subjectId}`).sort()).toEqual(['ANONYMOUS_ID:anon-grace', 'EMAIL:grace@example.com', 'USER_ID:grace-1']);

    // A replay of discarded jobs re-sends Alan's, never Grace's.
    const replay = await createReplay({ db: testDb.db, workspaceId: fx.workspaceId, actor: fx.actor, destinationId: fx.destinations[0].id, input: { from: new Date(Date.now() - 3600_000), to: new Date(), states: ['discarded'] } });
    expect(replay.queued).toBe(1);

    // UNSUPPRESS by e-mail lifts the e-mail and the identifiers linked through it.
    await createRegulation({ db: testDb.db, workspaceId: fx.workspaceId, actor: fx.actor, input: { regulationType: 'UNSUPPRESS', subjectType: 'EMAIL', subjectIds: ['grace@example.com'] } });
    expect((await listSuppressions({ db: testDb.db, workspaceId: fx.workspaceId, limit: 10 })).data).toEqual([]);
    const lifted = await sendWithSdk([(c, done) => c.track({ userId: 'grace-1', event: 'Came Back' }, done)]);
    expect(lifted.errors).toEqual([]);
    expect(await countEvents("user_id = 'grace-1' AND name = 'Came Back'", [])).toBe(1);
  });

  it('reaches every web process within 5 seconds: each process polls its workspace\'s suppression version every second', async () => {
    const processes = [new SuppressionCache(pool), new SuppressionCache(pool)];
    for (const cache of processes) expect((await cache.rulesFor(fx.workspaceId)).userIds.has('ada-9')).toBe(false);
    await createRegulation({ db: testDb.db, workspaceId: fx.workspaceId, actor: fx.actor, input: { regulationType: 'SUPPRESS_WITH_DELETE', subjectType: 'USER_ID', subjectIds: ['ada-9'] } });
    for (const cache of processes) {
      await expect.poll(async () => (await cache.rulesFor(fx.workspaceId)).userIds.has('ada-9'), { timeout: 5000, interval: 200 }).toBe(true);
    }
  });
});
