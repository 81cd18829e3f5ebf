/**
 * A destination's rate limit is one limit, however many workers deliver: three engines
 * sharing one Postgres spend from the destination's one token bucket (at most one second's
 * worth at once, refilled at the rate), so together they stay under it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { startIngestTestServer, type TIngestTestServer } from '../ingest/test-server.ts';
import { buildEngine, type TTestEngine } from './test-engine.ts';
import { startSink, type TSink } from './test-sink.ts';
import { createSourceWithSinks, sendEvents, waitFor } from './test-world.ts';

const RATE = 20;
const EVENTS = 200;
const WINDOW_MS = 3000;

let testDb: TTestDb;
let server: TIngestTestServer;
let sink: TSink;
const engines: TTestEngine[] = [];

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
  sink = await startSink();
});
afterAll(async () => {
  await Promise.all(engines.map(({ engine }) => engine.stop()));
  await sink.close();
  await server.close();
  await testDb.drop();
});

it(`holds ${RATE}/s across three workers, not ${RATE}/s each`, { timeout: 90_000 }, async () => {
  const world = await createSourceWithSinks(testDb, [sink], { maxInFlight: 50, ratePerSecond: RATE, timeoutMs: 2000 });
  await sendEvents(server, world.writeKey, EVENTS, 'paced');
  // Nothing can be claimed before the engines start, so every delivery up to start + WINDOW
  // was claimed inside the window: at most the bucket's one second plus RATE per second.
  const start = Date.now();
  for (let i = 0; i < 3; i++) engines.push(await buildEngine(testDb.url));

  await waitFor(async () => Date.now() > start + WINDOW_MS + 500, { what: 'the window to pass' });
  const inWindow = sink.requests.filter((r) => r.at <= start + WINDOW_MS).length;
  // One bucket: a burst of at most RATE, then RATE per second (+2 for clock rounding between
  // Postgres and this process). Per-worker buckets would allow three times that.
  const bound = RATE * (1 + WINDOW_MS / 1000) + 2;
  console.log(`rate ${RATE}/s, 3 workers: ${inWindow} deliveries in the first ${WINDOW_MS} ms (bound ${bound}; per-worker limits would allow ${3 * RATE * (1 + WINDOW_MS / 1000)})`);
  expect(inWindow).toBeGreaterThan(0);
  expect(inWindow).toBeLessThanOrEqual(bound);

  // And it is a limit, not a stop: everything is delivered, once.
  await waitFor(async () => sink.counts.size === EVENTS, { timeoutMs: 60_000, what: `all ${EVENTS} events` });
  expect([...sink.counts.values()].every((n) => n === 1)).toBe(true);
});
