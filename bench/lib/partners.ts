/**
 * Delivery to struggling partners (issue 12), with the simulated partner of the delivery
 * tests (server/delivery/test-partner.ts) on a loopback HTTP server in this process:
 *  - delivery.rate_limited_partner_efficiency: a partner taking BENCH_PARTNER_RATE
 *    requests/s (default 200) and answering 429 above it, a pre-filled backlog of
 *    BENCH_PARTNER_EVENTS (default 4,000); what it accepted per second from 3 s after its
 *    first request until it had 90 % of them, over its capacity;
 *  - delivery.slow_partner_efficiency: a partner answering in 250 ms with at most 10
 *    requests at once (503 above that; 40 requests/s when its timers are on time), a
 *    backlog of BENCH_SLOW_EVENTS (default 1,200); the share of its slots' time spent on
 *    requests it accepted, by its own clock, from 3 s after its first request until it had
 *    90 % of them;
 *  - delivery.flaky_partner_delivered_s: a partner answering 500 to the first two attempts
 *    of every message; seconds from the engine's start until all BENCH_FLAKY_EVENTS
 *    (default 10,000) were accepted, with retries 1–5 s apart.
 */
import { acceptedSlotShare, simulatedPartner, type TPartner } from '../../server/delivery/test-partner.ts';
import { startSink } from '../../server/delivery/test-sink.ts';
import { fillBacklog, type TTarget } from './backlog.ts';
import { pointDestinationsAt, startBenchEngine } from './engine-run.ts';
import { figure, note, sleep } from './measure.ts';

const PARTNER_RATE = Number(process.env.BENCH_PARTNER_RATE ?? 200);
const PARTNER_EVENTS = Number(process.env.BENCH_PARTNER_EVENTS ?? 4000);
const FLAKY_EVENTS = Number(process.env.BENCH_FLAKY_EVENTS ?? 10_000);
const SLOW_EVENTS = Number(process.env.BENCH_SLOW_EVENTS ?? 1200);
const SLOW_SLOTS = 10;
/** BENCH_PARTNER_SCENARIOS=slow,limited,flaky (default all): which partners to run. */
const SCENARIOS = new Set((process.env.BENCH_PARTNER_SCENARIOS ?? 'limited,slow,flaky').split(','));
const TUNING = { maxInFlight: 100, timeoutMs: 10_000, minBackoffSeconds: 1, maxBackoffSeconds: 5 };

async function deliverTo(target: TTarget, partner: TPartner, events: number, timeoutMs: number): Promise<{ startedAt: number; doneAt: number }> {
  const sink = await startSink();
  sink.respond(partner.respond);
  try {
    await pointDestinationsAt({ databaseUrl: target.databaseUrl, destinationIds: target.destinationIds, url: sink.url, delivery: TUNING });
    await fillBacklog({ ...target, events });
    const startedAt = Date.now();
    const { stop } = await startBenchEngine(target.databaseUrl);
    try {
      const end = startedAt + timeoutMs;
      while (partner.accepted.size < events) {
        if (Date.now() > end) throw new Error(`only ${partner.accepted.size} of ${events} events accepted in ${timeoutMs / 1000} s`);
        await sleep(100);
      }
      return { startedAt, doneAt: Date.now() };
    } finally {
      await stop();
    }
  } finally {
    await sink.close();
  }
}

/** Runs the partner scenarios against the first destination of `target` (its other destinations get nothing). */
export async function benchPartners(target: TTarget): Promise<void> {
  const one = { ...target, destinationIds: target.destinationIds.slice(0, 1) };
  if (SCENARIOS.has('limited')) await limitedPartner(one);
  if (SCENARIOS.has('slow')) await slowPartner(one);
  if (SCENARIOS.has('flaky')) await flakyPartner(one);
}

async function limitedPartner(one: TTarget): Promise<void> {
  const limited = simulatedPartner({ capacityPerSecond: PARTNER_RATE });
  await deliverTo(one, limited, PARTNER_EVENTS, 300_000);
  const accepted = limited.answers.filter((a) => a.status >= 200 && a.status < 300);
  const from = limited.answers[0].at + 3000;
  const to = accepted[Math.floor(PARTNER_EVENTS * 0.9) - 1].at;
  const inWindow = accepted.filter((a) => a.at >= from && a.at < to).length;
  const attempts = limited.answers.filter((a) => a.at >= from && a.at < to).length;
  const throttled = limited.answers.filter((a) => a.at >= from && a.at < to && a.status === 429).length;
  const perSecond = inWindow / ((to - from) / 1000);
  note(`  rate-limited partner (${PARTNER_RATE}/s): ${perSecond.toFixed(0)} accepted/s over ${((to - from) / 1000).toFixed(1)} s; 429s ${((throttled / attempts) * 100).toFixed(1)} % of attempts; ${limited.answers.length} requests for ${PARTNER_EVENTS} events`);
  figure('delivery.rate_limited_partner_efficiency', perSecond / PARTNER_RATE, 'ratio');
}

async function slowPartner(one: TTarget): Promise<void> {
  const slow = simulatedPartner({ latencyMs: 250, maxConcurrent: SLOW_SLOTS });
  await deliverTo(one, slow, SLOW_EVENTS, 300_000);
  const slowAccepted = slow.answers.filter((a) => a.status >= 200 && a.status < 300);
  const slowFrom = slow.answers[0].at + 3000;
  const slowTo = slowAccepted[Math.floor(SLOW_EVENTS * 0.9) - 1].at;
  const slowInWindow = slowAccepted.filter((a) => a.at >= slowFrom && a.at < slowTo).length;
  const slowRefused = slow.answers.filter((a) => a.at >= slowFrom && a.at < slowTo && a.status === 503).length;
  const share = acceptedSlotShare(slow, slowFrom, slowTo, SLOW_SLOTS);
  note(`  slow partner (250 ms, ${SLOW_SLOTS} at once): ${(slowInWindow / ((slowTo - slowFrom) / 1000)).toFixed(1)} accepted/s over ${((slowTo - slowFrom) / 1000).toFixed(1)} s; slots busy with accepted work ${(share * 100).toFixed(0)} % of the time; ${slowRefused} × 503; at most ${slow.maxOpen} open`);
  figure('delivery.slow_partner_efficiency', share, 'ratio');
}

async function flakyPartner(one: TTarget): Promise<void> {
  const flaky = simulatedPartner({ failFirst: 2 });
  const { startedAt, doneAt } = await deliverTo(one, flaky, FLAKY_EVENTS, 600_000);
  note(`  fail-twice partner: ${FLAKY_EVENTS} events accepted in ${((doneAt - startedAt) / 1000).toFixed(1)} s, ${flaky.answers.length} requests`);
  figure('delivery.flaky_partner_delivered_s', (doneAt - startedAt) / 1000, 's');
}
