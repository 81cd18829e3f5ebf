import { describe, expect, it } from 'vitest';
import {
  BETA,
  CONCURRENCY_BETA,
  CONCURRENCY_SLOW_GROWTH_MS,
  emptySummary,
  failuresMatter,
  FIRST_PROBE_DELAY_MS,
  heldFlow,
  heldSpanOf,
  initialFlow,
  isOverloaded,
  isSteady,
  LOAD_SAMPLE_MAX_MS,
  LOAD_SAMPLE_MS,
  mergeSummary,
  nextFlow,
  summarizeOutcome,
  TOLERATED_OVERLOAD_SHARE,
  type TFlowSummary,
} from './flow.ts';
import { lastMinute, type TFlowState } from '../queue/flow-state.ts';
import { seeded } from './test-partner.ts';

const T0 = new Date('2026-12-02T13:00:00Z').getTime();
const at = (ms: number) => new Date(T0 + ms);
const of = (partial: Partial<TFlowSummary>): TFlowSummary => ({ ...emptySummary(), ...partial });
const ok = (n: number) => of({ attempts: n, successes: n, answered: n });
const fail = (n: number) => of({ attempts: n, failures: n, overloaded: n });

/** Feeds `batches` (ms offset, summary) through nextFlow from a fresh state. */
function run(batches: Array<[number, TFlowSummary]>, maxInFlight = 20, from: TFlowState = initialFlow(at(0))): TFlowState {
  return batches.reduce((state, [ms, summary]) => nextFlow(state, summary, { maxInFlight, now: at(ms) }), from);
}

describe('what one outcome says', () => {
  it.each([
    ['200', { kind: 'http', status: 200, latencyMs: 1, bodyExcerpt: '' }, { successes: 1, answered: 1 }],
    ['500 (failed, not overloaded)', { kind: 'http', status: 500, latencyMs: 1, bodyExcerpt: '' }, { failures: 1, answered: 1 }],
    ['503 (overloaded)', { kind: 'http', status: 503, latencyMs: 1, bodyExcerpt: '' }, { failures: 1, overloaded: 1, answered: 1 }],
    ['429', { kind: 'http', status: 429, latencyMs: 1, bodyExcerpt: '' }, { throttled: 1, answered: 1 }],
    ['400 (an answer, not a failure of the partner)', { kind: 'http', status: 400, latencyMs: 1, bodyExcerpt: '' }, { answered: 1 }],
    ['timeout', { kind: 'network', code: 'TIMEOUT', latencyMs: 1 }, { failures: 1, overloaded: 1 }],
  ] as const)('%s', (_name, outcome, expected) => {
    expect(summarizeOutcome(outcome)).toEqual({ ...emptySummary(), attempts: 1, ...expected });
  });

  it('a request given up before it was sent (too little of its lease left) says nothing about the partner', () => {
    expect(summarizeOutcome({ kind: 'network', code: 'TIMEOUT', latencyMs: 0, message: 'not sent: …', isNotSent: true })).toEqual({ ...emptySummary(), notSent: 1 });
  });

  it('a Retry-After on a 429 or 503 asks for a pause (and only that); a configuration problem says nothing about the partner', () => {
    expect(summarizeOutcome({ kind: 'http', status: 429, latencyMs: 1, bodyExcerpt: '', retryAfterSeconds: 2 })).toEqual({ ...emptySummary(), attempts: 1, answered: 1, retryAfter: { seconds: 2, reason: 'HTTP 429 with Retry-After: 2 s' } });
    expect(summarizeOutcome({ kind: 'http', status: 503, latencyMs: 1, bodyExcerpt: '', retryAfterSeconds: 30 }).retryAfter?.seconds).toBe(30);
    expect(summarizeOutcome({ kind: 'http', status: 500, latencyMs: 1, bodyExcerpt: '', retryAfterSeconds: 30 }).retryAfter).toBeNull();
    expect(summarizeOutcome({ kind: 'config', code: 'MISSING_CREDENTIAL', latencyMs: 0, message: 'no key' })).toEqual(emptySummary());
  });
});

describe('the breaker', () => {
  it('opens on a failure rate over the last minute, not on a streak: 40 % failures keep flowing', () => {
    const flowing = run(Array.from({ length: 30 }, (_, i) => [i * 1000, of({ attempts: 10, successes: 6, failures: 4, overloaded: 4, answered: 10 })] as [number, TFlowSummary]));
    expect(flowing.breakerOpenedAt).toBeNull();
    expect(lastMinute(flowing, at(29_000))).toEqual({ attempts: 300, failures: 120, successes: 180 });

    const down = run([[0, of({ attempts: 5, answered: 5 })], [1000, fail(4)], [2000, fail(60)]]);
    expect(down.breakerOpenedAt).toEqual(at(2000));
    expect(down.nextProbeAt).toEqual(at(2000 + FIRST_PROBE_DELAY_MS));
    expect(down.breakerReason).toBe('64 failures in the last minute (of 69 attempts)');
    // 95 % failing but still accepting some (the first tries of every message fail, say): alive.
    expect(run([[0, ok(3)], [1000, fail(60)]]).breakerOpenedAt).toBeNull();
  });

  it('needs enough attempts to judge', () => {
    expect(run([[0, fail(9)]]).breakerOpenedAt).toBeNull();
    expect(run([[0, fail(10)]]).breakerOpenedAt).not.toBeNull();
  });

  it('forgets failures older than the window', () => {
    const state = run([[0, fail(8)], [130_000, fail(5)]]);
    expect(state.breakerOpenedAt).toBeNull();
  });

  it('backs off failed probes (1 s, 2 s, 4 s …), not requests that were out before it opened, and any success closes it', () => {
    let state = run([[0, fail(10)]]);
    expect(state.nextProbeAt).toEqual(at(1000));
    state = run([[500, fail(10)]], 20, state); // stragglers sent before it opened: wait 1 s from now, no doubling
    expect(state.nextProbeAt).toEqual(at(1500));
    expect(state.probeDelayMs).toBe(1000);
    state = run([[1600, fail(1)]], 20, state); // the first probe fails
    expect(state.probeDelayMs).toBe(2000);
    expect(state.nextProbeAt).toEqual(at(3600));
    state = run([[3700, fail(1)]], 20, state);
    expect(state.nextProbeAt).toEqual(at(3700 + 4000));
    state = run([[7800, ok(1)]], 20, state); // a retry got through
    expect(state.breakerOpenedAt).toBeNull();
    expect(state.probeDelayMs).toBe(FIRST_PROBE_DELAY_MS);
    expect(lastMinute(state, at(7800))).toEqual({ attempts: 0, failures: 0, successes: 0 }); // judged afresh
    expect(state.concurrency).toBeGreaterThanOrEqual(1);
  });
});

describe('adaptive concurrency (AIMD)', () => {
  it('judges a sample of outcomes: a flood at once, ~250 ms and 20 attempts, or whatever a second brought; keeps the share that got through', () => {
    // Half or more of 10 said "too many at once": cut at once, keeping at least 1 − β.
    expect(run([[0, fail(10)]]).concurrency).toBe(20 * (1 - CONCURRENCY_BETA));
    // 10 of 40 (25 %): judged once the sample is 250 ms old; the first cut keeps the 75 % that got through.
    let state = run([[0, of({ attempts: 40, successes: 30, failures: 10, overloaded: 10, answered: 40 })]]);
    expect(state.concurrency).toBeNull();
    state = run([[LOAD_SAMPLE_MS, ok(0)]], 20, state);
    expect(state.concurrency).toBe(15);
    expect(state.limitReason).toBe('10 of 40 answers said overload (502, 503, 504, timeouts or network errors)');
    // A partner sent little is judged on what a second brought (2 of 4: clearly more than 10 %).
    state = run([[0, of({ attempts: 4, successes: 2, failures: 2, overloaded: 2, answered: 4 })], [LOAD_SAMPLE_MAX_MS - 1, ok(0)]]);
    expect(state.concurrency).toBeNull();
    expect(run([[LOAD_SAMPLE_MAX_MS, ok(0)]], 20, state).concurrency).toBe(10);
    // Plain 500s say the request failed, not that the partner is overloaded.
    expect(run([[0, of({ attempts: 10, successes: 2, failures: 8, answered: 10 })], [LOAD_SAMPLE_MAX_MS, ok(0)]]).concurrency).toBeNull();
  });

  it('cuts on more than 10 % only when chance does not explain it: 0.23 of 20, 0.16 of 100, 0.13 of 400', () => {
    expect(isOverloaded({ attempts: 20, share: 0.2 })).toBe(false);
    expect(isOverloaded({ attempts: 20, share: 0.25 })).toBe(true);
    expect(isOverloaded({ attempts: 100, share: 0.15 })).toBe(false);
    expect(isOverloaded({ attempts: 100, share: 0.17 })).toBe(true);
    expect(isOverloaded({ attempts: 400, share: 0.12 })).toBe(false);
    expect(isOverloaded({ attempts: 400, share: 0.14 })).toBe(true);
  });

  it.each([100, 300, 1000, 3000])(
    'at %i requests a second, a partner answering 1 in 20 with 503 at random keeps its configured limit (outcomes folded by two workers; once, every 503 cut it: 1,000 in flight fell to ~25 in three minutes)',
    (perSecond) => {
      // Three minutes; each worker folds what it saw since its last write about once a
      // second, sooner when its pending outcomes hold more than 10 % overloads (flow-tracker.ts).
      const random = seeded(perSecond);
      const workers = [{ pending: of({}), writtenAt: 0 }, { pending: of({}), writtenAt: 500 }];
      let state = initialFlow(at(0));
      for (let ms = 1; ms <= 180_000; ms++) {
        const arrivals = perSecond >= 1000 ? perSecond / 1000 : random() < perSecond / 1000 ? 1 : 0;
        for (let n = 0; n < arrivals; n++) {
          const worker = workers[random() < 0.5 ? 0 : 1];
          const refused = random() < 0.05;
          worker.pending = mergeSummary(worker.pending, refused ? fail(1) : ok(1));
        }
        for (const worker of workers) {
          const p = worker.pending;
          const isUrgent = p.overloaded > 0 && failuresMatter(p);
          if (p.attempts > 0 && (ms - worker.writtenAt >= 1000 || (isUrgent && ms - worker.writtenAt >= 20))) {
            state = nextFlow(state, p, { maxInFlight: 1000, now: at(ms) });
            worker.pending = of({});
            worker.writtenAt = ms;
            expect(state.concurrency, `at ${ms} ms: ${state.limitReason}`).toBeNull();
          }
        }
      }
      expect(state.limitReason).toBeNull();
    },
  );

  it('takes off the share refused beyond the tolerated one, by at most ×0.75, at most every 250 ms; adds one per limit of successes (a quarter of that just after a cut), returns to maxInFlight', () => {
    const sample = (ms: number, attempts: number, refused: number): Array<[number, TFlowSummary]> => [
      [ms, of({ attempts, successes: attempts - refused, failures: refused, overloaded: refused, answered: attempts })],
      [ms + LOAD_SAMPLE_MS, ok(0)],
    ];
    let state = run(sample(0, 40, 10)); // 15
    state = run([[LOAD_SAMPLE_MS + 100, fail(20)]], 20, state);
    expect(state.concurrency).toBe(15); // within 250 ms of the cut: waits (the same burst counts once)
    state = run([[2 * LOAD_SAMPLE_MS, ok(0)]], 20, state);
    expect(state.concurrency).toBe(15 * CONCURRENCY_BETA); // all 20 refused: at most ×β
    const beforeSample = state.concurrency!;
    state = run(sample(1000, 30, 9), 20, state);
    // 30 % refused: 20 % beyond the tolerated 10 % off (after the 21 successes' growth, at a quarter of the pace near the cut)
    expect(state.concurrency).toBeCloseTo((beforeSample + 21 / (4 * beforeSample)) * (1 - (0.3 - TOLERATED_OVERLOAD_SHARE)));
    const cut = state.concurrency!;
    state = run(sample(2000, 40, 4), 20, state);
    expect(state.concurrency).toBeCloseTo(cut + 36 / (4 * cut)); // 10 % refused: tolerated
    const before = state.concurrency!;
    state = run([[1250 + CONCURRENCY_SLOW_GROWTH_MS + 1000, ok(Math.ceil(before))]], 20, state);
    expect(state.concurrency).toBeCloseTo(before + Math.ceil(before) / before); // then one per limit of successes
    for (let i = 0; i < 40 && state.concurrency !== null; i++) state = run([[4300 + CONCURRENCY_SLOW_GROWTH_MS + i * 100, ok(20)]], 20, state);
    expect(state.concurrency).toBeNull();
    expect(state.limitReason).toBe('requests succeed: back to the configured 20 in flight');
    expect(isSteady(state, at(10_000))).toBe(true);
  });

  it('a partner that starts refusing is judged on its refusals, not on the successes before them', () => {
    let state = run([[0, ok(400)], [200, ok(400)], [400, ok(400)]], 1000);
    state = run([[450, of({ attempts: 60, successes: 10, failures: 50, overloaded: 50, answered: 60 })]], 1000, state);
    expect(state.concurrency).toBeCloseTo(1000 * (1 - CONCURRENCY_BETA));
  });

  it('forgets a sample left unjudged while the destination was quiet, and one from before the breaker closed', () => {
    // One refused of 5, then ten idle minutes, then one success: no cut from the old sample.
    let state = run([[0, of({ attempts: 5, successes: 4, failures: 1, overloaded: 1, answered: 5 })], [600_000, ok(1)]]);
    expect(state.concurrency).toBeNull();
    // A probe that failed, then the one that succeeded and closed the breaker: 1 of 2 is not a sample to cut on.
    state = { ...initialFlow(at(0)), breakerOpenedAt: at(0), nextProbeAt: at(1000) };
    state = run([[1000, fail(1)], [3000, ok(1)]], 20, state);
    expect(state.breakerOpenedAt).toBeNull();
    expect(state.concurrency).toBe(1); // the breaker's own restart from one, not a cut
    expect(state.limitReason).toBeNull();
  });

  it('never cuts below one', () => {
    let state = run([[0, fail(10)]], 2);
    for (let ms = 300; ms < 5000; ms += 300) state = run([[ms, fail(10)]], 2, state);
    expect(state.concurrency).toBe(1);
  });
});

describe('adaptive rate (AIMD on 429)', () => {
  it('starts from what was being sent times the share accepted, lowers by β per burst of 429s, rises by a step a second while requests succeed', () => {
    // ~1,000 requests a second, then 40 % refused: the partner takes about 600/s.
    let state = run([[0, ok(500)], [1000, ok(500)], [1250, of({ attempts: 100, throttled: 40, successes: 60, answered: 100 })]]);
    expect(state.rate).toBeGreaterThan(550);
    expect(state.rate).toBeLessThan(650);
    const first = state.rate!;
    state = run([[1300, of({ attempts: 10, throttled: 5, answered: 10 })]], 20, state); // same burst: counted once
    expect(state.rate).toBe(first);
    state = run([[1800, of({ attempts: 10, throttled: 5, answered: 10 })]], 20, state);
    expect(state.rate).toBeCloseTo(first * BETA);
    const lowered = state.rate!;
    state = run([[2800, ok(200)]], 20, state);
    expect(state.rate).toBeGreaterThan(lowered);
    expect(state.rate! - lowered).toBeLessThanOrEqual(0.2 * first + 0.001);
  });

  it('forgets the learned rate after a minute without 429', () => {
    let state = run([[0, ok(100)], [500, of({ attempts: 10, throttled: 10, answered: 10 })]]);
    expect(state.rate).not.toBeNull();
    state = run([[61_000, ok(10)]], 20, state);
    expect(state.rate).toBeNull();
    expect(state.limitReason).toBe('no 429 for a minute: back to the configured rate');
  });
});

describe('pauses and holds', () => {
  it('a Retry-After pauses the destination from now, the longest one wins', () => {
    let state = run([[0, of({ attempts: 1, throttled: 1, answered: 1, retryAfter: { seconds: 2, reason: 'HTTP 429 with Retry-After: 2 s' } })]]);
    expect(state.pausedUntil).toEqual(at(2000));
    expect(state.pauseReason).toBe('HTTP 429 with Retry-After: 2 s');
    expect(isSteady(state, at(1999))).toBe(false);
    state = run([[100, of({ attempts: 1, throttled: 1, answered: 1, retryAfter: { seconds: 1, reason: 'shorter' } })]], 20, state);
    expect(state.pausedUntil).toEqual(at(2000));
  });

  it('a hold lasts for the settings it was found with; any answer lifts it', () => {
    let state = heldFlow(null, { code: 'BLOCKED_ADDRESS', reason: 'the URL resolves to a blocked address', settingsAt: at(-5000), now: at(0) });
    expect(state).toMatchObject({ heldCode: 'BLOCKED_ADDRESS', heldAt: at(0), heldSettingsAt: at(-5000) });
    state = heldFlow(state, { code: 'BLOCKED_ADDRESS', reason: 'again', settingsAt: at(-5000), now: at(3000) });
    expect(state.heldAt).toEqual(at(0)); // the same problem: held since the first time
    const wasOpen = run([[0, fail(20)]]);
    expect(heldFlow(wasOpen, { code: 'ENOTFOUND', reason: 'x', settingsAt: at(0), now: at(100) }).breakerOpenedAt).toBeNull(); // new settings start afresh
    state = run([[4000, of({ attempts: 1, failures: 1, answered: 1 })]], 20, state);
    expect(state.heldCode).toBeNull();
  });
});

describe('whether the destination is held (its jobs not tried: the time is credited to their windows)', () => {
  it('by settings that cannot work or a Retry-After pause, and until when; not by an open breaker (a failing partner uses up the window)', () => {
    expect(heldSpanOf(initialFlow(at(0)), at(0))).toBeNull();
    const held = heldFlow(null, { code: 'BLOCKED_ADDRESS', reason: 'blocked', settingsAt: at(0), now: at(0) });
    expect(heldSpanOf(held, at(10))).toEqual({ until: null, reason: 'blocked' });
    const open = run(Array.from({ length: 12 }, (_, i) => [i * 10, fail(1)] as [number, TFlowSummary]));
    expect(open.breakerOpenedAt).not.toBeNull();
    expect(heldSpanOf(open, at(200))).toBeNull();
    const paused = run([[0, of({ attempts: 1, answered: 1, retryAfter: { seconds: 2, reason: 'HTTP 429 with Retry-After: 2 s' } })]]);
    expect(heldSpanOf(paused, at(1000))).toEqual({ until: at(2000), reason: 'HTTP 429 with Retry-After: 2 s' });
    expect(heldSpanOf(paused, at(2000))).toBeNull();
  });
});
