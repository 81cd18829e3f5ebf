/**
 * Isolation, as the owner of a healthy destination sees it: a neighbour whose endpoint
 * hangs (and is flooded with as many events) does not slow their deliveries down, and the
 * hanging endpoint itself is probed one request at a time once its breaker opens (at least
 * 10 attempts in the last minute, 90 % of them failed: here, all of them). That no probe
 * goes out while requests sent before it opened still hang is flow.test.ts's and the claim
 * statement's (it counts leases) business.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import type { TDeliveryTuningInput } from '../destinations/delivery-tuning.ts';
import { startIngestTestServer, type TIngestTestServer } from '../ingest/test-server.ts';
import { buildEngine, transitionsOf, type TTestEngine } from './test-engine.ts';
import { hanging, newHangTracker, slow } from './test-responders.ts';
import { startSink, type TSink } from './test-sink.ts';
import { createSourceWithSinks, sendEvents, waitFor } from './test-world.ts';

const N = 500;
const TIMEOUT_MS = 2000;
const MAX_IN_FLIGHT = 20;
const TUNING: TDeliveryTuningInput = { maxInFlight: MAX_IN_FLIGHT, timeoutMs: TIMEOUT_MS, minBackoffSeconds: 1, maxBackoffSeconds: 2 };

let testDb: TTestDb;
let server: TIngestTestServer;
let running: TTestEngine | undefined;
const sinks: TSink[] = [];

/** Milliseconds from the tracking API accepting each event to its arrival at the sink: p50, p99, max. */
async function latencies(sink: TSink, messageIds: string[]) {
  const events = await testDb.db.event.findMany({ where: { messageId: { in: messageIds } }, select: { messageId: true, receivedAt: true } });
  const receivedAt = new Map(events.map((e) => [e.messageId, e.receivedAt.getTime()]));
  const wanted = new Set(messageIds);
  const values = sink.requests
    .map((r) => (JSON.parse(r.body) as { messageId: string }).messageId)
    .flatMap((id, i) => (wanted.has(id) ? [sink.requests[i].at - receivedAt.get(id)!] : []))
    .sort((a, b) => a - b);
  expect(values).toHaveLength(messageIds.length);
  const at = (q: number) => values[Math.ceil(q * values.length) - 1];
  return { p50: at(0.5), p99: at(0.99), max: values.at(-1)! };
}

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
});
afterAll(async () => {
  await running?.engine.stop();
  await Promise.all(sinks.map((sink) => sink.close()));
  await server.close();
  await testDb.drop();
});

describe('a healthy destination alone', () => {
  const IDLE_MS = 10_000;
  it('is kept busy: the worker claims again as soon as room frees, never pausing for its idle time while work is due', { timeout: 60_000 }, async () => {
    const sink = await startSink();
    sinks.push(sink);
    sink.respond(slow(10));
    const world = await createSourceWithSinks(testDb, [sink], { ...TUNING, maxInFlight: 5 });
    await sendEvents(server, world.writeKey, 50, 'paced');
    const lazy = await buildEngine(testDb.url, { idleMs: IDLE_MS }); // a claim that finds no room would cost 10 s
    const startedAt = Date.now();
    try {
      await waitFor(async () => sink.requests.length >= 50, { timeoutMs: 50_000, what: '50 deliveries' });
    } finally {
      await lazy.engine.stop();
    }
    const times = [startedAt, ...sink.requests.map((r) => r.at)];
    const longestPause = Math.max(...times.slice(1).map((t, i) => t - times[i]));
    console.log(`50 deliveries at 5 in flight to a 10 ms sink: ${times.at(-1)! - startedAt} ms, longest pause between arrivals ${longestPause} ms`);
    expect(longestPause).toBeLessThan(IDLE_MS / 2);
    expect(sink.counts.size).toBe(50);
  });
});

describe('a hanging, flooded destination next to a healthy one', () => {
  it("keeps the healthy destination's p99 within 2× of its baseline, and probes the hanging one one request at a time", async () => {
    const [alone, beside, bad] = [await startSink(), await startSink(), await startSink()];
    sinks.push(alone, beside, bad);
    for (const sink of [alone, beside]) sink.respond((request, res) => slow(5 + Math.floor(Math.random() * 16))(request, res)); // 5–20 ms
    const tracker = newHangTracker();
    bad.respond(hanging(tracker));
    const baseline = await createSourceWithSinks(testDb, [alone], TUNING);
    const noisy = await createSourceWithSinks(testDb, [beside, bad], TUNING); // every event goes to both
    running = await buildEngine(testDb.url);

    // Warm up (first queries of a fresh database are slow), then measure alone.
    await sendEvents(server, baseline.writeKey, 50, 'warm');
    await waitFor(async () => alone.requests.length >= 50, { what: 'the warm-up deliveries' });
    const aloneIds = await sendEvents(server, baseline.writeKey, N, 'alone');
    await waitFor(async () => alone.requests.length >= 50 + N, { timeoutMs: 20_000, what: 'the baseline deliveries' });
    const before = await latencies(alone, aloneIds);

    const besideIds = await sendEvents(server, noisy.writeKey, N, 'beside');
    await waitFor(async () => beside.requests.length >= N, { timeoutMs: 20_000, what: 'the deliveries beside the hanging sink' });
    const during = await latencies(beside, besideIds);
    console.log(`healthy destination, ms from accepted to arrived: alone p50 ${before.p50} p99 ${before.p99} max ${before.max}; beside a hanging flooded one p50 ${during.p50} p99 ${during.p99} max ${during.max}`);
    expect(during.p99).toBeLessThanOrEqual(2 * before.p99);
    expect(beside.counts.size).toBe(N);

    // The breaker opens at the 10th timeout at the earliest (engine clock = this clock). Requests claimed before
    // that may still arrive just after it; from 1 s after it on (the gate's first pause),
    // every request that arrives must be the only one open, and they are spaced.
    const badId = noisy.destinationIds[1];
    await waitFor(async () => (await transitionsOf(testDb.db, badId)).length >= 10, { what: '10 timeouts' });
    const opensAt = (await transitionsOf(testDb.db, badId))[9].at.getTime();
    const probes = () => tracker.timeline.filter((change, i) => change.at >= opensAt + 1000 && (i === 0 || change.open > tracker.timeline[i - 1].open));
    await waitFor(async () => probes().length >= 2, { timeoutMs: 20_000, what: 'two probes of the hanging sink' });
    console.log(`hanging sink: ${bad.requests.length} requests, at most ${tracker.maxOpen} open; open when each probe arrived: ${probes().map((p) => p.open).join(', ')}, ${probes().map((p) => p.at - opensAt).join(', ')} ms after the gate opened`);
    expect(tracker.maxOpen).toBeLessThanOrEqual(MAX_IN_FLIGHT);
    expect(probes().every((probe) => probe.open === 1)).toBe(true);
    const [first, second] = probes();
    expect(second.at - first.at).toBeGreaterThanOrEqual(TIMEOUT_MS + 900); // the probe's timeout, then ≥ 1 s closed
    expect((await transitionsOf(testDb.db, badId)).every((t) => t.state === 'awaiting_retry')).toBe(true);
  });

});
