/**
 * How often a worker writes a destination's flow row (flow-tracker.ts): plain successes of a
 * steady destination are counted and written about once a second, not after every write
 * (which had a healthy destination's flow written ~30 times a second under load, each a
 * transaction of its own); a failure alone is written within ~20 ms, a few among successes
 * with the steady write.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { summarizeOutcome } from './flow.ts';
import { FlowTracker } from './flow-tracker.ts';
import { sleep } from './test-engine.ts';
import { startSink, type TSink } from './test-sink.ts';
import { createSourceWithSinks } from './test-world.ts';

let testDb: TTestDb;
let pool: pg.Pool;
let sink: TSink;

beforeAll(async () => {
  testDb = await createTestDb();
  pool = new pg.Pool({ connectionString: testDb.url, max: 2 });
  sink = await startSink();
});
afterAll(async () => {
  await sink?.close();
  await pool?.end();
  await testDb?.drop();
});

const success = summarizeOutcome({ kind: 'http', status: 200, latencyMs: 3, bodyExcerpt: '' });
const failure = summarizeOutcome({ kind: 'http', status: 500, latencyMs: 3, bodyExcerpt: '' });
const overloaded = summarizeOutcome({ kind: 'http', status: 503, latencyMs: 3, bodyExcerpt: '' });

it('writes a steady destination\'s successes about once a second, and a failure at once', { timeout: 20_000 }, async () => {
  const world = await createSourceWithSinks(testDb, [sink]);
  const id = world.destinationIds[0];
  const writes: number[] = [];
  const tracker = new FlowTracker(pool, 'worker-test', () => undefined, { onWritten: () => void writes.push(Date.now()) });

  // 2.5 s of successes, one every 5 ms, as a busy worker reports them.
  const started = Date.now();
  while (Date.now() - started < 2_500) {
    tracker.observe(id, 100, success);
    await sleep(5);
  }
  // The first write (nothing known of the destination yet), then one a second: 3 or 4 in all.
  expect(writes.length).toBeGreaterThanOrEqual(2);
  expect(writes.length).toBeLessThanOrEqual(4);
  const { rows } = await pool.query<{ window_attempts: number }>('SELECT window_attempts FROM destination_flow WHERE destination_id = $1', [id]);
  expect(rows[0].window_attempts).toBeGreaterThan(0);

  // A failure with nothing else pending is not kept for the next steady write.
  await tracker.drain();
  const before = writes.length;
  const failedAt = Date.now();
  tracker.observe(id, 100, failure);
  while (writes.length === before && Date.now() - failedAt < 2_000) await sleep(5);
  expect(writes.length).toBe(before + 1);
  expect(writes.at(-1)! - failedAt).toBeLessThan(500);
  await tracker.drain();

  // A partner answering 1 in 20 requests with 503 at random: the failures among the
  // successes change nothing, and wait for the steady write (written within ~20 ms each,
  // the row was written 23 times in these 2.5 s).
  const randomFrom = writes.length;
  const randomStarted = Date.now();
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  while (Date.now() - randomStarted < 2_500) {
    tracker.observe(id, 100, random() < 0.05 ? overloaded : success);
    await sleep(5);
  }
  expect(writes.length - randomFrom).toBeLessThanOrEqual(6);
  await tracker.drain();
  const flow = await pool.query<{ concurrency: number | null }>('SELECT concurrency FROM destination_flow WHERE destination_id = $1', [id]);
  expect(flow.rows[0].concurrency).toBeNull();
});
