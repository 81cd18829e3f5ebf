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
  for (let i = 0; i < 3; i++) engines.push(await buildEngine(testDb.url));

  await waitFor(async () => sink.requests.length > 0, { what: 'a first delivery' });
  const first = sink.requests[0].at;
  await waitFor(async () => sink.requests.length > 0 && Date.now() > first + WINDOW_MS + 500, { what: 'the window to pass' });
  const inWindow = sink.requests.filter((r) => r.at <= first + WINDOW_MS).length;
  // One bucket: a burst of at most RATE, then RATE per second (plus a second's slack for
  // claims made just before the window). Per-worker buckets would allow three times that.
  const bound = RATE + RATE * (WINDOW_MS / 1000 + 1);
  console.log(`rate ${RATE}/s, 3 workers: ${inWindow} deliveries in the first ${WINDOW_MS} ms (bound ${bound}; per-worker limits would allow ${3 * RATE * (1 + WINDOW_MS / 1000)})`);
  expect(inWindow).toBeGreaterThanOrEqual(RATE);
  expect(inWindow).toBeLessThanOrEqual(bound);

  // And it is a limit, not a stop: everything is delivered, once.
  await waitFor(async () => sink.counts.size === EVENTS, { timeoutMs: 60_000, what: `all ${EVENTS} events` });
  expect([...sink.counts.values()].every((n) => n === 1)).toBe(true);
});
