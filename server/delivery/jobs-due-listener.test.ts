/**
 * New work wakes an idle worker: with a poll interval of 60 s, an event sent to the tracking
 * API is delivered long before the next poll, because the writer's NOTIFY after its commit
 * nudges the claim loop, also after the listening connection was killed and came back.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { startIngestTestServer, type TIngestTestServer } from '../ingest/test-server.ts';
import { buildEngine, type TTestEngine } from './test-engine.ts';
import { startSink, type TSink } from './test-sink.ts';
import { createSourceWithSinks, sendEvents, waitFor } from './test-world.ts';

const IDLE_MS = 60_000;
/** Far below IDLE_MS, far above a loaded machine's delivery time. */
const WITHIN_MS = 20_000;

let testDb: TTestDb;
let server: TIngestTestServer;
let sink: TSink;
let running: TTestEngine | undefined;

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
  sink = await startSink();
});
afterAll(async () => {
  await running?.engine.stop();
  await sink.close();
  await server.close();
  await testDb.drop();
});

const listeners = () => testDb.db.$queryRaw<Array<{ pid: number }>>`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN switchyard_jobs_due'`;

it('delivers a new event at once to a worker that would otherwise sleep for its poll interval', { timeout: 90_000 }, async () => {
  const world = await createSourceWithSinks(testDb, [sink]);
  running = await buildEngine(testDb.url, { idleMs: IDLE_MS });
  await waitFor(async () => (await listeners()).length === 1, { what: 'the worker to listen' });
  await new Promise((resolve) => setTimeout(resolve, 500)); // its first claim found nothing: it sleeps now

  const started = Date.now();
  await sendEvents(server, world.writeKey, 1, 'first');
  await waitFor(async () => sink.counts.size === 1, { timeoutMs: WITHIN_MS, what: 'the first event, before the next poll' });
  console.log(`woken: delivered ${Date.now() - started} ms after ingest (poll interval ${IDLE_MS} ms)`);

  // The listening connection dies (Postgres restarted it, a proxy cut it): it comes back.
  const [{ pid }] = await listeners();
  await testDb.db.$queryRaw`SELECT pg_terminate_backend(${pid}::int)`;
  await waitFor(async () => (await listeners()).some((l) => l.pid !== pid), { what: 'the worker to listen again' });
  await new Promise((resolve) => setTimeout(resolve, 500));
  await sendEvents(server, world.writeKey, 1, 'second');
  await waitFor(async () => sink.counts.size === 2, { timeoutMs: WITHIN_MS, what: 'the second event, before the next poll' });
  expect([...sink.counts.values()]).toEqual([1, 1]);
});
