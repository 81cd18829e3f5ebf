/**
 * The retry schedule a destination that is down for good sees, on a fake clock: attempts
 * spread exponentially then at the cap, inside the job's 4 h window, archived exactly when
 * the next retry would fall past it; Retry-After stretches a gap. Then the same window
 * decision through the engine, on its injectable clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { DELIVERY_DEFAULTS } from '../destinations/delivery-tuning.ts';
import { startIngestTestServer, type TIngestTestServer } from '../ingest/test-server.ts';
import { backoffSeconds, decide, type TAttemptOutcome, type TDecision } from './retry-policy.ts';
import { buildEngine, readArchive, transitionsOf } from './test-engine.ts';
import { answer } from './test-responders.ts';
import { startSink, type TSink } from './test-sink.ts';
import { createSourceWithSinks, sendEvents, waitFor } from './test-world.ts';

const tuning = { minBackoffSeconds: DELIVERY_DEFAULTS.minBackoffSeconds, maxBackoffSeconds: DELIVERY_DEFAULTS.maxBackoffSeconds };
const WINDOW_MS = DELIVERY_DEFAULTS.retryWindowSeconds * 1000;
const T0 = Date.parse('2026-11-22T10:00:00Z');
const EXPIRE_AT = new Date(T0 + WINDOW_MS);
const http = (status: number, retryAfterSeconds?: number): TAttemptOutcome => ({ kind: 'http', status, latencyMs: 80, bodyExcerpt: '', retryAfterSeconds });

/** mulberry32, remembering its last draw so a test can replay the decision that used it. */
function seeded(seed: number) {
  let state = seed >>> 0;
  const rng = {
    last: 0,
    next: () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      rng.last = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      return rng.last;
    },
  };
  return rng;
}

/** A job whose every attempt fails with `answerFor(attempt)`, answered instantly, from T0 until it ends. */
function simulate(seed: number, answerFor: (attempt: number) => TAttemptOutcome = () => http(500)) {
  const rng = seeded(seed);
  const times = [T0];
  for (let attempt = 1; ; attempt++) {
    const now = new Date(times.at(-1)!);
    const decision: TDecision = decide({ outcome: answerFor(attempt), attempt, now, expireAt: EXPIRE_AT, tuning, random: rng.next });
    if (decision.state !== 'awaiting_retry') return { times, decision, attempt, lastDraw: rng.last };
    times.push(decision.retryAt.getTime());
  }
}

const gapsOf = (times: number[]) => times.slice(1).map((t, i) => (t - times[i]) / 1000);

describe('retry schedule of a destination that always answers 500 (fake clock, seeded jitter)', () => {
  it.each([1, 2, 3, 42, 1234, 99_999])('seed %i: increasing attempts, exponential then capped gaps, archived exactly at the window', (seed) => {
    const { times, decision, attempt, lastDraw } = simulate(seed);
    const gaps = gapsOf(times);

    expect(gaps.every((gap) => gap > 0)).toBe(true);
    expect(gaps.every((gap) => gap >= tuning.minBackoffSeconds && gap <= tuning.maxBackoffSeconds)).toBe(true);
    // Early on each gap lies in [step/2, step] of a step that doubles: 5, 10, 20 … 640 s.
    for (let k = 1; k <= 8; k++) {
      const step = tuning.minBackoffSeconds * 2 ** (k - 1);
      expect(gaps[k - 1]).toBeGreaterThanOrEqual(Math.max(tuning.minBackoffSeconds, step / 2));
      expect(gaps[k - 1]).toBeLessThanOrEqual(step);
      if (k > 1) expect(gaps[k - 1]).toBeGreaterThanOrEqual(gaps[k - 2]);
    }
    // Then jittered at the cap: never less than half of it.
    expect(gaps.slice(8).every((gap) => gap >= tuning.maxBackoffSeconds / 2)).toBe(true);
    // 8 growing steps (≤ 1275 s) then ≤ 900 s each fill 4 h with 23 to 40 attempts.
    expect(times.length).toBeGreaterThanOrEqual(23);
    expect(times.length).toBeLessThanOrEqual(40);

    expect(times.at(-1)!).toBeLessThanOrEqual(EXPIRE_AT.getTime());
    expect(decision.state).toBe('archived');
    expect(attempt).toBe(times.length);
    // The retry it gave up on, with the same jitter draw, would land past the window …
    const wouldRetryAt = times.at(-1)! + backoffSeconds(attempt, tuning, () => lastDraw) * 1000;
    expect(wouldRetryAt).toBeGreaterThan(EXPIRE_AT.getTime());
    // … and one window slightly longer than that retry keeps the job awaiting it instead.
    const longer = decide({ outcome: http(500), attempt, now: new Date(times.at(-1)!), expireAt: new Date(wouldRetryAt), tuning, random: () => lastDraw });
    expect(longer).toEqual({ state: 'awaiting_retry', retryAt: new Date(wouldRetryAt), reason: 'HTTP 500' });
  });

  it('uses Retry-After as the gap when it is longer than the backoff, and the backoff when it is shorter', () => {
    const plain = simulate(7);
    const stretched = simulate(7, (attempt) => (attempt === 3 ? http(429, 600) : attempt === 6 ? http(503, 1) : http(500)));
    const gaps = gapsOf(stretched.times);
    expect(gaps[2]).toBe(600);
    expect(gaps.slice(0, 2)).toEqual(gapsOf(plain.times).slice(0, 2));
    expect(gaps[5]).toBe(gapsOf(plain.times)[5]); // Retry-After 1 s < backoff: the backoff wins
  });

  it('archives a 429 whose Retry-After falls past the window', () => {
    const late = decide({ outcome: http(429, 3600), attempt: 2, now: new Date(EXPIRE_AT.getTime() - 1800_000), expireAt: EXPIRE_AT, tuning });
    expect(late.state).toBe('archived');
  });
});

describe('the window through the engine, on its clock', () => {
  let testDb: TTestDb;
  let server: TIngestTestServer;
  let sink: TSink;
  let world: Awaited<ReturnType<typeof createSourceWithSinks>>;

  beforeAll(async () => {
    testDb = await createTestDb();
    server = await startIngestTestServer({ databaseUrl: testDb.url });
    sink = await startSink();
    sink.respond(answer(500));
    world = await createSourceWithSinks(testDb, [sink], {}); // product defaults: 4 h window, 5 s minimum backoff
  });
  afterAll(async () => {
    await sink.close();
    await server.close();
    await testDb.drop();
  });

  async function runWithClockAhead(aheadMs: number, count: number) {
    const { engine, dataDir } = await buildEngine(testDb.url, { now: () => new Date(Date.now() + aheadMs) });
    try {
      const messageIds = await sendEvents(server, world.writeKey, count);
      await waitFor(async () => (await testDb.db.jobQueue.count()) === 0, { timeoutMs: 15_000, what: 'the queue to empty' });
      return { messageIds, lines: await readArchive(dataDir, world.destinationIds[0]) };
    } finally {
      await engine.stop();
    }
  }

  it('two seconds before the window ends, a 500 is archived after one attempt (the next retry would be ≥ 5 s away)', async () => {
    const { messageIds, lines } = await runWithClockAhead(WINDOW_MS - 2000, 3);
    expect(sink.requests).toHaveLength(3);
    const rows = await transitionsOf(testDb.db, world.destinationIds[0]);
    expect(rows.map((t) => [t.state, t.statusCode, t.attempt])).toEqual(Array(3).fill(['archived', 500, 1]));
    expect(new Set(lines.map((line) => line.messageId))).toEqual(new Set(messageIds));
  });

  it('past the window, a job is archived without being sent', async () => {
    const before = sink.requests.length;
    const { messageIds, lines } = await runWithClockAhead(WINDOW_MS + 60_000, 3);
    expect(sink.requests).toHaveLength(before);
    const rows = (await transitionsOf(testDb.db, world.destinationIds[0])).slice(3);
    expect(rows.map((t) => [t.state, t.statusCode, t.errorCode])).toEqual(Array(3).fill(['archived', null, 'NOT_SENT']));
    expect(new Set(lines.map((line) => line.messageId))).toEqual(new Set(messageIds));
  });
});
