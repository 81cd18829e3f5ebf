/**
 * Delivery under partial failure (issue 12), against simulated partners (test-partner.ts):
 * for each behaviour, everything is delivered, nothing is sent before a Retry-After ends,
 * and where the partner has a capacity, what it accepted is at least 80 % of what it could
 * accept, counted by the partner itself over the time it had work waiting (not timings of
 * our code). The same machinery serves every destination type: it works on outcomes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import type { TDeliveryTuningInput } from '../destinations/delivery-tuning.ts';
import { startIngestTestServer, type TIngestTestServer } from '../ingest/test-server.ts';
import { buildEngine, type TTestEngine } from './test-engine.ts';
import { acceptedSlotShare, answersBetween, isSuccess, seeded, simulatedPartner, slotRefills, type TPartner, type TPartnerScript } from './test-partner.ts';
import { startSink, type TSink } from './test-sink.ts';
import { createSourceWithSinks, sendEvents, waitFor } from './test-world.ts';

const TUNING: TDeliveryTuningInput = { maxInFlight: 100, timeoutMs: 2000, minBackoffSeconds: 1, maxBackoffSeconds: 2 };

let testDb: TTestDb;
let server: TIngestTestServer;
const engines: TTestEngine[] = [];
const sinks: TSink[] = [];

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
});
afterAll(async () => {
  await Promise.all(engines.map(({ engine }) => engine.stop()));
  await Promise.all(sinks.map((sink) => sink.close()));
  await server.close();
  await testDb.drop();
});

async function partnerSink(script: TPartnerScript): Promise<{ sink: TSink; partner: TPartner }> {
  const sink = await startSink();
  sinks.push(sink);
  const partner = simulatedPartner(script);
  sink.respond(partner.respond);
  return { sink, partner };
}

/** Events queued before the engines start: the partner faces more than it can take from the first second. */
async function backlog(sinksOf: TSink[], events: number, tuning = TUNING) {
  const world = await createSourceWithSinks(testDb, sinksOf, tuning);
  const ids = await sendEvents(server, world.writeKey, events);
  return { ...world, ids };
}

/** FLOW_TRACE=1 prints the engines' log and each destination's flow row every second. */
const isTracing = Boolean(process.env.FLOW_TRACE);
let tracer: NodeJS.Timeout | null = null;

async function startEngines(count: number): Promise<void> {
  for (let i = 0; i < count; i++) engines.push(await buildEngine(testDb.url, isTracing ? { log: (line) => console.log(`engine: ${line}`) } : {}));
  if (isTracing) {
    tracer = setInterval(() => {
      void testDb.db.destinationFlow.findMany().then((rows) => {
        for (const f of rows) console.log(`flow ${f.destinationId.slice(0, 8)} conc ${f.concurrency?.toFixed(1)} rate ${f.rate?.toFixed(1)} paused ${f.pausedUntil?.toISOString().slice(11, 23)} open ${f.breakerOpenedAt?.toISOString().slice(11, 23)} next ${f.nextProbeAt?.toISOString().slice(11, 23)} | ${f.limitReason}`);
      });
    }, 1000);
  }
}

async function stopEngines(): Promise<void> {
  if (tracer) clearInterval(tracer);
  await Promise.all(engines.splice(0).map(({ engine }) => engine.stop()));
}

/**
 * What the partner accepted while it had work waiting, over what it could accept then: from
 * `settleMs` after its first request (time to adapt) until it had accepted `until` of the events.
 */
function efficiency(partner: TPartner, { acceptable, settleMs, until }: { acceptable: number; settleMs: number; until: number }) {
  const firstAt = partner.answers[0].at;
  const accepted = partner.answers.filter((a) => isSuccess(a.status));
  const from = firstAt + settleMs;
  const to = accepted[until - 1].at;
  const seconds = (to - from) / 1000;
  const inWindow = answersBetween(partner, from, to, isSuccess);
  const attempts = answersBetween(partner, from, to);
  const throttled = answersBetween(partner, from, to, (status) => status === 429);
  return { ratio: inWindow / (acceptable * seconds), perSecond: inWindow / seconds, seconds, throttledShare: attempts ? throttled / attempts : 0 };
}

async function flowOf(destinationId: string) {
  return testDb.db.destinationFlow.findUnique({ where: { destinationId } });
}

/**
 * Every message accepted; a second acceptance only where our side gave up waiting (a
 * TIMEOUT recorded for that job: at least once, as promised, on a loaded machine).
 */
async function everyMessageAccepted(partner: TPartner, events: number, destinationId: string): Promise<void> {
  expect(partner.accepted.size).toBe(events);
  const timedOut = new Set((await testDb.db.jobTransition.findMany({ where: { destinationId, errorCode: 'TIMEOUT' }, select: { jobId: true } })).map((t) => t.jobId));
  const unexplained = [...partner.accepted].filter(([id, n]) => n > 1 && !timedOut.has(id));
  expect(unexplained).toEqual([]);
}

describe('a partner that takes 200 requests/s and answers 429 above it', () => {
  const CAPACITY = 200;
  const EVENTS = 3000;
  it('gets at least 80 % of its capacity from two workers sharing one limit, and 429s stay under 20 % of attempts once adapted', { timeout: 120_000 }, async () => {
    const { sink, partner } = await partnerSink({ capacityPerSecond: CAPACITY });
    const world = await backlog([sink], EVENTS);
    await startEngines(2);
    await waitFor(async () => partner.accepted.size === EVENTS, { timeoutMs: 100_000, what: `all ${EVENTS} events accepted` });
    await stopEngines();
    const result = efficiency(partner, { acceptable: CAPACITY, settleMs: 3000, until: Math.floor(EVENTS * 0.9) });
    const flow = await flowOf(world.destinationIds[0]);
    console.log(`rate-limited partner (${CAPACITY}/s): ${result.perSecond.toFixed(0)}/s accepted over ${result.seconds.toFixed(1)} s = ${(result.ratio * 100).toFixed(0)} % of capacity; 429s ${(result.throttledShare * 100).toFixed(1)} % of attempts; learned rate ${flow?.rate?.toFixed(0)}/s (${flow?.limitReason})`);
    await everyMessageAccepted(partner, EVENTS, world.destinationIds[0]);
    expect(result.ratio).toBeGreaterThanOrEqual(0.8);
    expect(result.throttledShare).toBeLessThan(0.2);
    expect(flow?.rate).not.toBeNull();
  });
});

describe("the issue's receivers beside a healthy one: 500 to the first two attempts of every message; 429 with Retry-After: 2 to the first", () => {
  const EVENTS = 400;
  const RETRY_AFTER_S = 2;
  it('delivers everything to all three, each failing message exactly as often as the partner demands, and nothing before a Retry-After ends', { timeout: 150_000 }, async () => {
    const healthy = await partnerSink({});
    const flaky = await partnerSink({ failFirst: 2 });
    const limited = await partnerSink({ failFirst: 1, failStatus: 429, failRetryAfterSeconds: RETRY_AFTER_S });
    const world = await backlog([healthy.sink, flaky.sink, limited.sink], EVENTS);
    await startEngines(1);
    await waitFor(async () => healthy.partner.accepted.size === EVENTS && flaky.partner.accepted.size === EVENTS && limited.partner.accepted.size === EVENTS, {
      timeoutMs: 140_000,
      what: `all ${EVENTS} events at all three (healthy ${healthy.partner.accepted.size}, flaky ${flaky.partner.accepted.size}, rate limited ${limited.partner.accepted.size})`,
    });
    await stopEngines();
    for (const [i, { partner }] of [healthy, flaky, limited].entries()) await everyMessageAccepted(partner, EVENTS, world.destinationIds[i]);
    const attemptsPer = (partner: TPartner) => new Set([...partner.answers.reduce((m, a) => m.set(a.id, (m.get(a.id) ?? 0) + 1), new Map<string, number>()).values()]);
    // Each message as often as the partner demands (more only after a timeout of ours).
    expect(Math.min(...attemptsPer(flaky.partner))).toBe(3);
    expect(Math.min(...attemptsPer(limited.partner))).toBe(2);

    // A Retry-After pauses the destination. Requests already on their way when the 429 came
    // back may still arrive (this process receives them one by one, so a burst arrives over
    // a few hundred ms): count instead each new burst (a request after a quiet gap of
    // BURST_GAP_MS), and none may start while a pause runs.
    const BURST_GAP_MS = 250;
    const arrivals = [...limited.partner.answers].sort((a, b) => a.at - b.at);
    const bursts = arrivals.filter((a, i) => i === 0 || a.at - arrivals[i - 1].at > BURST_GAP_MS);
    const throttles = arrivals.filter((a) => a.status === 429);
    const early = bursts.flatMap((burst) => throttles.filter((t) => t.at < burst.at && burst.at < t.at + RETRY_AFTER_S * 1000 - 50).slice(0, 1).map((t) => ({ pausedAt: t.at, burstAt: burst.at, after: burst.at - t.at })));
    console.log(`issue scenario: ${EVENTS} events; flaky partner ${flaky.partner.answers.length} attempts, rate-limited partner ${limited.partner.answers.length} attempts (${throttles.length} × 429) in ${bursts.length} bursts; ${early.length} bursts started inside a Retry-After pause`);
    expect(early).toEqual([]);
    const flow = await flowOf(world.destinationIds[1]);
    expect(flow?.breakerOpenedAt).toBeNull();
  });
});

describe('retries beside a backlog of new jobs', () => {
  const EVENTS = 1500;
  it('serves due retries alongside first attempts: neither starves the other', { timeout: 120_000 }, async () => {
    // Each message fails once: from a second on, retries are due while most first attempts
    // still wait. Served by due time alone, every retry would wait for the whole backlog.
    const { sink, partner } = await partnerSink({ failFirst: 1 });
    const world = await backlog([sink], EVENTS, { ...TUNING, maxInFlight: 20 });
    await startEngines(1);
    await waitFor(async () => partner.accepted.size === EVENTS, { timeoutMs: 100_000, what: `all ${EVENTS} events accepted` });
    await stopEngines();
    await everyMessageAccepted(partner, EVENTS, world.destinationIds[0]);
    const seen = new Set<string>();
    const kinds = partner.answers.map((a) => {
      const isRetry = seen.has(a.id);
      seen.add(a.id);
      return isRetry;
    });
    const firstRetry = kinds.indexOf(true);
    const lastFirst = kinds.lastIndexOf(false);
    // While both kinds wait (from the first retry until the last first attempt), half each.
    const both = kinds.slice(firstRetry, lastFirst + 1);
    const retryShare = both.filter(Boolean).length / both.length;
    console.log(`fairness: ${both.length} requests while both retries and first attempts waited, ${(retryShare * 100).toFixed(0)} % retries`);
    expect(both.length).toBeGreaterThan(200);
    expect(retryShare).toBeGreaterThan(0.3);
    expect(retryShare).toBeLessThan(0.7);
  });
});

describe('a partner with random 5xx (30 % of the requests it takes, 150 requests/s)', () => {
  const CAPACITY = 150;
  const ERROR_RATE = 0.3;
  const EVENTS = 1000;
  it('keeps flowing (the breaker stays closed) and delivers at least 80 % of what it can accept', { timeout: 120_000 }, async () => {
    const { sink, partner } = await partnerSink({ capacityPerSecond: CAPACITY, errorRate: ERROR_RATE, random: seeded(12) });
    const world = await backlog([sink], EVENTS);
    let wasOpened = false;
    await startEngines(1);
    await waitFor(async () => {
      wasOpened ||= (await flowOf(world.destinationIds[0]))?.breakerOpenedAt != null;
      return partner.accepted.size === EVENTS;
    }, { timeoutMs: 100_000, what: `all ${EVENTS} events accepted` });
    await stopEngines();
    const acceptable = CAPACITY * (1 - ERROR_RATE);
    const result = efficiency(partner, { acceptable, settleMs: 3000, until: Math.floor(EVENTS * 0.9) });
    console.log(`random-5xx partner: ${result.perSecond.toFixed(0)} deliveries/s over ${result.seconds.toFixed(1)} s = ${(result.ratio * 100).toFixed(0)} % of the ${acceptable}/s it accepts; breaker opened: ${wasOpened}`);
    await everyMessageAccepted(partner, EVENTS, world.destinationIds[0]);
    expect(wasOpened).toBe(false);
    expect(result.ratio).toBeGreaterThanOrEqual(0.8);
  });
});

/** When each job's outcome was recorded (its queue row deleted), by Postgres' clock. */
const INSTALL_RECORD_LOG = /* sql */ `
CREATE TABLE test_recorded (job_id uuid PRIMARY KEY, at timestamptz NOT NULL);
CREATE FUNCTION test_log_recorded() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO test_recorded VALUES (OLD.job_id, clock_timestamp()) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER test_log_recorded AFTER DELETE ON job_queue FOR EACH ROW EXECUTE FUNCTION test_log_recorded();
`;

describe('a slow partner (250 ms an answer, 503 above 10 requests open at once)', () => {
  const EVENTS = 1200;
  const SLOTS = 10;
  it('finds how many it takes at once and keeps it busy: at least 80 % of what it can accept, its slots refilled without waiting for our records', { timeout: 150_000 }, async () => {
    const { sink, partner } = await partnerSink({ latencyMs: 250, maxConcurrent: SLOTS });
    const world = await backlog([sink], EVENTS);
    await testDb.db.$executeRawUnsafe(INSTALL_RECORD_LOG);
    await startEngines(1);
    await waitFor(async () => partner.accepted.size === EVENTS, { timeoutMs: 130_000, what: `all ${EVENTS} events accepted` });
    await stopEngines();
    const recordedAt = new Map((await testDb.db.$queryRawUnsafe<Array<{ job_id: string; at: Date }>>(`SELECT job_id::text, at FROM test_recorded`)).map((row) => [row.job_id, row.at.getTime()]));
    await testDb.db.$executeRawUnsafe(`DROP TRIGGER test_log_recorded ON job_queue`);
    // Steady state: from 3 s after the first request (the limit comes down from 100) until
    // 90 % were accepted, ~25 s. What it could accept then is counted by the partner: its 10
    // slots' time (its answers take 250 ms when its timers are on time, longer under load).
    const result = efficiency(partner, { acceptable: SLOTS * 4, settleMs: 3000, until: Math.floor(EVENTS * 0.9) });
    const from = partner.answers[0].at + 3000;
    const to = from + result.seconds * 1000;
    const share = acceptedSlotShare(partner, from, to, SLOTS);
    const refused = answersBetween(partner, from, to, (status) => status === 503) / answersBetween(partner, from, to);
    const refills = slotRefills(partner, recordedAt, from, to);
    console.log(`slow partner: ${result.perSecond.toFixed(1)} accepted/s over ${result.seconds.toFixed(1)} s (${(result.ratio * 100).toFixed(0)} % of 40/s); its slots busy with accepted work ${(share * 100).toFixed(0)} % of the time; 503s ${(refused * 100).toFixed(1)} % of attempts; at most ${partner.maxOpen} open; ${refills.beforeRecorded} of ${refills.refills} slots refilled before the outcome that freed them was recorded, ${refills.meanIdleMs.toFixed(1)} ms idle per refill`);
    await everyMessageAccepted(partner, EVENTS, world.destinationIds[0]);
    expect(result.seconds).toBeGreaterThan(15);
    expect(share).toBeGreaterThanOrEqual(0.8);
    // The part that does not depend on the machine's speed: a slot is refilled while the
    // outcome that freed it is still on its way to being recorded, not after (which left
    // every slot idle for the recording, ~50 ms of each ~300 ms round). Counted in order of
    // events, not by their timing: at load 10–12, 90–92 % of refills; 0.7–5 % with the
    // succeeded leases counted until recorded (engine.ts `settled` off), where the 80 %
    // share above still passed (80–82 %).
    expect(refills.refills).toBeGreaterThan(500);
    expect(refills.beforeRecorded / refills.refills).toBeGreaterThanOrEqual(0.5);
  });
});

describe('a partner down for 4 s (503), then back', () => {
  const EVENTS = 300;
  it('opens the breaker, probes one request at a time, closes on the first success and delivers everything', { timeout: 120_000 }, async () => {
    const { sink, partner } = await partnerSink({ outageMs: 4000 });
    const world = await backlog([sink], EVENTS);
    let opened: Date | null = null;
    await startEngines(1);
    await waitFor(async () => {
      opened ??= (await flowOf(world.destinationIds[0]))?.breakerOpenedAt ?? null;
      return partner.accepted.size === EVENTS;
    }, { timeoutMs: 100_000, what: `all ${EVENTS} events accepted` });
    await stopEngines();
    await everyMessageAccepted(partner, EVENTS, world.destinationIds[0]);
    expect(opened).not.toBeNull();
    const flow = await flowOf(world.destinationIds[0]);
    expect(flow?.breakerOpenedAt).toBeNull();
    expect(flow?.breakerReason).toMatch(/^closed at .*: a probe succeeded$/);
    // While open, requests go out one at a time, the first probe 1 s after it opened.
    const outageEnd = partner.answers[0].at + 4000;
    const whileOpen = partner.answers.filter((a) => a.at > opened!.getTime() + 200 && a.at < outageEnd);
    const gaps = whileOpen.slice(1).map((a, i) => a.at - whileOpen[i].at);
    console.log(`outage: ${partner.answers.length} requests; breaker opened ${opened!.getTime() - partner.answers[0].at} ms after the first; ${whileOpen.length} probes during the outage, gaps ${gaps.join(', ')} ms`);
    expect(gaps.every((gap) => gap >= 900)).toBe(true);
  });
});
