/**
 * A deletion call to a slow partner is made once, even when the worker's configured lease
 * is shorter than the call may take: the privacy runner leases a destination's target for
 * at least the deletion call's timeout and the margin to record it (lease.ts), as delivery
 * jobs are. With the configured lease alone, a second worker took the target while the
 * first was still waiting for the answer, and the partner got the call twice.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openJson } from '../crypto/secret-box.ts';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { createDestination } from '../destinations/destinations.ts';
import { createIngestFixture } from '../ingest/test-fixtures.ts';
import { createRegulation } from '../privacy/regulations.ts';
import { LEASE_MARGIN_SECONDS } from './lease.ts';
import { DELETION_CALL_TIMEOUT_MS } from './privacy-destination.ts';
import { PrivacyRunner } from './privacy-runner.ts';
import { sleep } from './test-engine.ts';
import { ok, startSink, type TSink } from './test-sink.ts';
import { waitFor } from './test-world.ts';

const ANSWER_MS = 3_000;

let testDb: TTestDb;
let pool: pg.Pool;
let sink: TSink;
let archiveDir: string;
const runners: PrivacyRunner[] = [];

beforeAll(async () => {
  testDb = await createTestDb();
  pool = new pg.Pool({ connectionString: testDb.url, max: 6 });
  sink = await startSink();
  archiveDir = await mkdtemp(path.join(os.tmpdir(), 'privacy-lease-'));
});
afterAll(async () => {
  await Promise.all(runners.map((runner) => runner.stop()));
  await sink?.close();
  await pool?.end();
  await testDb?.drop();
  await rm(archiveDir, { recursive: true, force: true });
});

it('sends a slow partner its deletion call once, with two workers whose configured lease is shorter than the call', { timeout: 60_000 }, async () => {
  const fx = await createIngestFixture(testDb.db, { destinations: [] });
  const { destination } = await createDestination({ db: testDb.db, workspaceId: fx.workspaceId, actor: fx.actor, input: { sourceId: fx.sourceId, type: 'webhook', name: 'Slow receiver', settings: { url: sink.url } }, allowPrivate: '*' });
  const { rows } = await pool.query<{ secrets: string }>('SELECT secrets FROM destinations WHERE id = $1', [destination.id]);
  sink.setSecret(openJson<{ signingSecret: string }>(rows[0].secrets).signingSecret);
  // The partner takes 3 s to answer each call; the workers lease for 1 s.
  sink.respond(async (request, res) => {
    await sleep(ANSWER_MS);
    ok(request, res);
  });
  const regulation = await createRegulation({ db: testDb.db, workspaceId: fx.workspaceId, actor: fx.actor, input: { regulationType: 'DELETE_ONLY', subjectType: 'USER_ID', subjectIds: ['slow-user'] } });

  for (const workerId of ['privacy-a', 'privacy-b']) {
    const runner = new PrivacyRunner({ pool, workerId, archiveDir, allowPrivate: '*', leaseSeconds: 1, pollMs: 100 });
    runners.push(runner);
    runner.start();
  }
  const target = () => testDb.db.regulationTarget.findFirstOrThrow({ where: { regulationId: regulation.id, kind: 'destination' } });
  // While the call is out, the target's lease covers the whole call and the margin.
  await waitFor(async () => (await target()).leaseOwner !== null, { timeoutMs: 20_000, what: 'the destination target claimed' });
  const lease = await pool.query<{ seconds: number }>(
    `SELECT extract(epoch FROM lease_expires_at - now())::float8 AS seconds FROM regulation_targets WHERE regulation_id = $1 AND kind = 'destination'`,
    [regulation.id],
  );
  expect(lease.rows[0].seconds).toBeGreaterThan(DELETION_CALL_TIMEOUT_MS / 1000 + LEASE_MARGIN_SECONDS - 5);
  await waitFor(async () => (await target()).status === 'finished', { timeoutMs: 40_000, what: 'the destination target finished' });
  // Long enough for a second worker's call to arrive, had one been made.
  await sleep(ANSWER_MS + 1_000);
  expect(sink.requests.length).toBe(1);
  expect(JSON.parse(sink.requests[0].body)).toMatchObject({ type: 'user.deleted' });
});
