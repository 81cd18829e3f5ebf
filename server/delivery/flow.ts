/**
 * How much a destination can take, learned from its answers (issue 12), as pure functions
 * of (state, what the last outcomes said, now). The state lives in `destination_flow`,
 * shared by every worker (flow-store.ts); the claim statement obeys it.
 *
 * * Rate (AIMD on 429): a 429 says "too many per second". The first one sets the rate to
 *   what was being sent times the share accepted (at least 1 − β); each later one (at most every RATE_DECREASE_EVERY_MS, so one
 *   burst of 429s counts once) multiplies it by β; while requests succeed it grows by a
 *   step (20 % of the rate it was lowered from) per second, never far above what is
 *   actually sent. A minute without a 429 returns to the configured limit. (The claim lets
 *   a learned rate burst only a tenth of a second's worth: partners count in short windows.)
 * * Concurrency (AIMD on 408/502/503/504, timeouts, network errors): "too many at once". Judged on
 *   samples of outcomes (~250 ms and 20 attempts, shared by all workers): lowered when clearly
 *   more than TOLERATED_OVERLOAD_SHARE of a sample said so (isOverloaded: a few 503s at random
 *   are the partner's, not our load's), by the share beyond it, by at most ×CONCURRENCY_BETA, at most every
 *   CONCURRENCY_DECREASE_EVERY_MS; raised by one per limit's worth of successes, back to the
 *   configured maxInFlight.
 * * A Retry-After on a 429 or 503 pauses the whole destination until then (and that is all
 *   it does: the partner said exactly what it wants, and a partner that answers the first
 *   try of every message with one would otherwise drive the rate to nothing).
 * * The breaker opens when, over the last minute, at least MIN_ATTEMPTS_TO_OPEN attempts
 *   were made, OPEN_FAILURE_RATE of them failed (5xx, timeouts, network errors; a 429 is
 *   the rate's business, a 4xx is an answer) and none succeeded. While open, one probe at a time goes out
 *   from `nextProbeAt` on (the claim prefers due retries, oldest job first); a failed probe
 *   doubles the wait up to MAX_PROBE_DELAY_MS; any success closes it.
 * * A configuration problem (blocked address, unknown host, missing credential) holds the
 *   destination until its settings change; any answer from it lifts the hold.
 */
import { lastMinute, WINDOW_MS, type TFlowState } from '../queue/flow-state.ts';
import { classifyStatus, type TAttemptOutcome } from './retry-policy.ts';

export const MIN_ATTEMPTS_TO_OPEN = 10;
export const OPEN_FAILURE_RATE = 0.9;
export const MAX_PROBE_DELAY_MS = 60_000;
export const FIRST_PROBE_DELAY_MS = 1000;
/** The rate's cut on a 429 (0.85: the sawtooth between 0.85 and 1 × capacity averages ~92 %). */
export const BETA = 0.85;
export const RATE_DECREASE_EVERY_MS = 500;
export const CONCURRENCY_DECREASE_EVERY_MS = 250;
export const CONCURRENCY_BETA = 0.75;
/**
 * The share of answers saying "too many at once" a partner may give without its concurrency
 * being cut. A partner that refuses what is over its limit refuses much more than this as
 * soon as we go over it (its refusals come back at once and are sent again); one that
 * answers 503 to a few requests at random does so at any concurrency, and cutting on each of
 * those (as before) drove a partner failing 5 % at random from 1,000 in flight to ~25 within
 * three minutes of the soak, and towards ~10 (the soak's stalls, bench/README.md).
 */
export const TOLERATED_OVERLOAD_SHARE = 0.1;
/** A sample is judged (isOverloaded) after this long with LOAD_SAMPLE_MIN_ATTEMPTS in it (a share of a handful says little)… */
export const LOAD_SAMPLE_MS = 250;
export const LOAD_SAMPLE_MIN_ATTEMPTS = 20;
/** …or after this long whatever it holds (a partner sent little is judged on little). */
export const LOAD_SAMPLE_MAX_MS = 1000;
/** …or at once when at least this many answers, half of them or more, said overload: a partner flooded needs relief now. */
export const LOAD_FLOOD_MIN_ATTEMPTS = 10;
/** After a cut, the limit grows at a quarter of its pace for this long. */
export const CONCURRENCY_SLOW_GROWTH_MS = 2000;
export const MIN_RATE = 0.5;
export const RATE_FORGOTTEN_AFTER_MS = 60_000;
const RECENT_MS = 1000;

/** What a batch of outcomes of one destination said. */
export interface TFlowSummary {
  /** Requests that went out (held and not-sent jobs excluded). */
  attempts: number;
  successes: number;
  /** 5xx (but 501), 408, timeouts, network errors: count toward the breaker. */
  failures: number;
  /**
   * The failures that say "too much at once" — 502, 503, 504, 408, timeouts, network
   * errors — lower the concurrency. A 500 says the request failed, not that the partner
   * is overloaded: cutting concurrency on it starves a partner that fails the first tries
   * of every message (measured: 11 deliveries/s instead of hundreds).
   */
  overloaded: number;
  /** 429 answers without a Retry-After: lower the rate. (With one, the partner said exactly how long to wait: it pauses instead.) */
  throttled: number;
  /** Any HTTP answer at all (the destination is reachable: lifts a hold). */
  answered: number;
  /** The longest Retry-After (seconds) on a 429 or 503, and why; the pause counts from `now` of nextFlow. */
  retryAfter: { seconds: number; reason: string } | null;
  /** Requests given up before they were sent (too little of the lease left): not attempts, but a probe among them is over. */
  notSent: number;
}

export const emptySummary = (): TFlowSummary => ({ attempts: 0, successes: 0, failures: 0, overloaded: 0, throttled: 0, answered: 0, retryAfter: null, notSent: 0 });

export function mergeSummary(into: TFlowSummary, add: TFlowSummary): TFlowSummary {
  into.attempts += add.attempts;
  into.successes += add.successes;
  into.failures += add.failures;
  into.overloaded += add.overloaded;
  into.throttled += add.throttled;
  into.answered += add.answered;
  into.notSent += add.notSent;
  if (add.retryAfter && (!into.retryAfter || add.retryAfter.seconds > into.retryAfter.seconds)) into.retryAfter = add.retryAfter;
  return into;
}

/** What one attempt's outcome says about the destination (a held or unsent job says nothing). */
export function summarizeOutcome(outcome: TAttemptOutcome): TFlowSummary {
  const summary = emptySummary();
  if (outcome.kind === 'config') return summary;
  if (outcome.kind === 'network' && outcome.isNotSent) {
    summary.notSent = 1;
    return summary;
  }
  summary.attempts = 1;
  if (outcome.kind === 'network') {
    summary.failures = 1;
    summary.overloaded = 1;
    return summary;
  }
  summary.answered = 1;
  const kind = classifyStatus(outcome.status);
  if (kind === 'succeeded') summary.successes = 1;
  else if ((outcome.status === 429 || outcome.status === 503) && outcome.retryAfterSeconds) {
    summary.retryAfter = { seconds: outcome.retryAfterSeconds, reason: `HTTP ${outcome.status} with Retry-After: ${outcome.retryAfterSeconds} s` };
  } else if (outcome.status === 429) summary.throttled = 1;
  else if (kind === 'retry') {
    summary.failures = 1;
    if ([408, 502, 503, 504].includes(outcome.status)) summary.overloaded = 1;
  }
  return summary;
}

export function initialFlow(now: Date): TFlowState {
  return {
    concurrency: null, rate: null, rateStep: null, limitReason: null, limitChangedAt: null, lastDecreaseAt: null, lastIncreaseAt: null, lastThrottledAt: null,
    pausedUntil: null, pauseReason: null,
    windowStartedAt: now, windowAttempts: 0, windowFailures: 0, windowSuccesses: 0, previousAttempts: 0, previousFailures: 0, previousSuccesses: 0,
    recentStartedAt: now, recentAttempts: 0, recentRate: null,
    breakerOpenedAt: null, breakerReason: null, nextProbeAt: null, probeDelayMs: FIRST_PROBE_DELAY_MS, probeClaimedAt: null,
    heldCode: null, heldReason: null, heldAt: null, heldSettingsAt: null,
    loadSampleStartedAt: null, loadSampleAttempts: 0, loadSampleOverloaded: 0,
  };
}

/** Nothing to remember beyond counters: the configured limits apply and nothing is wrong. */
export function isSteady(state: TFlowState, now: Date): boolean {
  return state.concurrency === null && state.rate === null && state.breakerOpenedAt === null && state.heldCode === null && !(state.pausedUntil && state.pausedUntil > now);
}

/** Requests per second sent lately, as seen in the outcomes: the current second, topped up by the previous one's rate. */
export function observedRate(state: TFlowState, now: Date): number | null {
  const elapsed = now.getTime() - state.recentStartedAt.getTime();
  if (state.recentRate === null) return state.recentAttempts > 0 ? (state.recentAttempts * 1000) / Math.max(elapsed, 250) : null;
  return state.recentAttempts + state.recentRate * Math.max(0, 1 - elapsed / RECENT_MS);
}

function rollWindows(state: TFlowState, now: Date): void {
  const elapsed = now.getTime() - state.windowStartedAt.getTime();
  if (elapsed >= WINDOW_MS) {
    const isAdjacent = elapsed < 2 * WINDOW_MS;
    state.previousAttempts = isAdjacent ? state.windowAttempts : 0;
    state.previousFailures = isAdjacent ? state.windowFailures : 0;
    state.previousSuccesses = isAdjacent ? state.windowSuccesses : 0;
    state.windowAttempts = 0;
    state.windowFailures = 0;
    state.windowSuccesses = 0;
    state.windowStartedAt = now;
  }
  const recent = now.getTime() - state.recentStartedAt.getTime();
  if (recent >= RECENT_MS) {
    state.recentRate = recent < 2 * RECENT_MS ? (state.recentAttempts * 1000) / recent : 0;
    state.recentAttempts = 0;
    state.recentStartedAt = now;
  }
}

function resetWindow(state: TFlowState, now: Date): void {
  state.windowStartedAt = now;
  state.windowAttempts = 0;
  state.windowFailures = 0;
  state.windowSuccesses = 0;
  state.previousAttempts = 0;
  state.previousFailures = 0;
  state.previousSuccesses = 0;
  state.loadSampleStartedAt = null;
  state.loadSampleAttempts = 0;
  state.loadSampleOverloaded = 0;
}

/**
 * Adds the outcomes to the load sample (mutates `state`) and, when it is time to judge it —
 * it holds overload answers, the last cut was CONCURRENCY_DECREASE_EVERY_MS ago or more, and
 * it is big or old enough — returns what it says and starts the next sample. A sample with
 * nothing to judge starts afresh with the first overload answers (and after LOAD_SAMPLE_MS),
 * so a partner that just started refusing is judged on its refusals, not diluted by the
 * successes before them; one left unjudged for 2 × LOAD_SAMPLE_MAX_MS (the destination went
 * quiet) is stale and dropped.
 */
function judgeLoad(state: TFlowState, summary: TFlowSummary, now: Date): { attempts: number; overloaded: number; share: number } | null {
  const restart = () => {
    state.loadSampleStartedAt = now;
    state.loadSampleAttempts = 0;
    state.loadSampleOverloaded = 0;
  };
  const startedAgo = state.loadSampleStartedAt === null ? Infinity : now.getTime() - state.loadSampleStartedAt.getTime();
  const isClean = state.loadSampleOverloaded === 0;
  if (startedAgo >= 2 * LOAD_SAMPLE_MAX_MS || (isClean && (summary.overloaded > 0 || startedAgo >= LOAD_SAMPLE_MS))) restart();
  state.loadSampleAttempts += summary.attempts;
  state.loadSampleOverloaded += summary.overloaded;
  const age = now.getTime() - state.loadSampleStartedAt!.getTime();
  const attempts = state.loadSampleAttempts;
  const overloaded = state.loadSampleOverloaded;
  const share = overloaded / Math.max(1, attempts);
  const sinceDecrease = state.lastDecreaseAt ? now.getTime() - state.lastDecreaseAt.getTime() : Infinity;
  const isDue = overloaded > 0 && sinceDecrease >= CONCURRENCY_DECREASE_EVERY_MS
    && (age >= LOAD_SAMPLE_MAX_MS || (age >= LOAD_SAMPLE_MS && attempts >= LOAD_SAMPLE_MIN_ATTEMPTS) || (attempts >= LOAD_FLOOD_MIN_ATTEMPTS && share >= 0.5));
  if (!isDue) return null;
  restart();
  return { attempts, overloaded, share };
}

/**
 * Whether a sample says "overloaded": more than TOLERATED_OVERLOAD_SHARE said so, by more
 * than chance explains (two standard deviations of a sample of this size from a partner
 * refusing exactly the tolerated share at random: 0.23 of 20, 0.16 of 100, 0.13 of 400). A
 * partner failing 5 % at random shows 3 of 20 now and then; judged on the share alone, it
 * was cut every few seconds at 100–300 requests a second and never grew back.
 */
export function isOverloaded(sample: { attempts: number; share: number }): boolean {
  const p = TOLERATED_OVERLOAD_SHARE;
  return sample.share > p + 2 * Math.sqrt((p * (1 - p)) / Math.max(1, sample.attempts));
}

/**
 * Whether failures among a worker's pending outcomes can change the destination's state, so
 * they are worth writing at once (flow-tracker.ts): none of them succeeded (the breaker may
 * open), or more of them said overload than TOLERATED_OVERLOAD_SHARE of at least
 * LOAD_SAMPLE_MIN_ATTEMPTS (just after a write the pending outcomes are few, and one 503
 * among the first handful is no sign). Otherwise they are counted with the steady write.
 */
export function failuresMatter(pending: TFlowSummary): boolean {
  return pending.successes === 0 || pending.overloaded > TOLERATED_OVERLOAD_SHARE * Math.max(pending.attempts, LOAD_SAMPLE_MIN_ATTEMPTS);
}

/** The state after a batch of outcomes. Pure: `state` is not modified. */
export function nextFlow(previous: TFlowState | null, summary: TFlowSummary, { maxInFlight, now }: { maxInFlight: number; now: Date }): TFlowState {
  const state: TFlowState = previous ? { ...previous } : initialFlow(now);
  rollWindows(state, now);
  state.windowAttempts += summary.attempts;
  state.windowFailures += summary.failures;
  state.windowSuccesses += summary.successes;
  state.recentAttempts += summary.attempts;

  if (summary.answered > 0 && state.heldCode !== null) {
    state.heldCode = state.heldReason = null;
    state.heldAt = state.heldSettingsAt = null;
  }

  const pauseEnd = summary.retryAfter ? new Date(now.getTime() + summary.retryAfter.seconds * 1000) : null;
  if (summary.retryAfter && pauseEnd && (!state.pausedUntil || pauseEnd > state.pausedUntil)) {
    state.pausedUntil = pauseEnd;
    state.pauseReason = summary.retryAfter.reason;
  }

  // Rate: multiplicative decrease on 429, additive increase while requests succeed.
  if (summary.throttled > 0) {
    state.lastThrottledAt = now;
    const sinceDecrease = state.lastDecreaseAt ? now.getTime() - state.lastDecreaseAt.getTime() : Infinity;
    if (state.rate === null || sinceDecrease >= RATE_DECREASE_EVERY_MS) {
      // The first 429: what was sent, times the share the partner accepted (sending 800/s
      // with 3 of 4 refused says it takes about 200/s); later ones: β × the current rate.
      const sent = observedRate(state, now) ?? summary.attempts;
      const accepted = summary.successes / Math.max(1, summary.successes + summary.throttled);
      const base = state.rate ?? sent;
      state.rate = Math.max(MIN_RATE, state.rate === null ? sent * Math.max(accepted, 1 - BETA) : BETA * base);
      state.rateStep = Math.max(0.5, 0.2 * base);
      state.lastDecreaseAt = now;
      state.lastIncreaseAt = now;
      state.limitChangedAt = now;
      state.limitReason = `${summary.throttled} × HTTP 429 (too many requests)`;
    }
  } else if (state.rate !== null && summary.successes > 0) {
    const since = state.lastIncreaseAt ? Math.min(1000, now.getTime() - state.lastIncreaseAt.getTime()) : 0;
    const sent = observedRate(state, now);
    const ceiling = sent === null ? Infinity : 2 * sent + 10;
    state.rate = Math.min(Math.max(state.rate, ceiling), state.rate + ((state.rateStep ?? 1) * since) / 1000);
    state.lastIncreaseAt = now;
  }
  if (state.rate !== null && state.lastThrottledAt && now.getTime() - state.lastThrottledAt.getTime() >= RATE_FORGOTTEN_AFTER_MS) {
    state.rate = null;
    state.rateStep = null;
    state.limitChangedAt = now;
    state.limitReason = 'no 429 for a minute: back to the configured rate';
  }

  // Concurrency: additive increase on every success (one per limit's worth, as TCP's window
  // grows by one per round trip; a quarter of that for CONCURRENCY_SLOW_GROWTH_MS after a
  // cut, since the limit is then close to where the partner refused: probing past it each
  // round trip had a fifth of the requests to a 10-at-once partner refused), decrease when a
  // sample of outcomes says "too many at once" more often than a partner does at random
  // (judgeLoad), at most every 250 ms.
  if (state.concurrency !== null && summary.successes > 0) {
    const current = Math.min(state.concurrency, maxInFlight);
    const isNearCut = state.lastDecreaseAt !== null && now.getTime() - state.lastDecreaseAt.getTime() < CONCURRENCY_SLOW_GROWTH_MS;
    state.concurrency = current + summary.successes / (isNearCut ? 4 * current : current);
  }
  const load = judgeLoad(state, summary, now);
  if (load !== null && isOverloaded(load)) {
    // The first cut keeps the share that got through (a partner holding 10 of 100 gets
    // ~25, not 75); later ones take off the share refused beyond the tolerated one, by at
    // most ×β: a partner that takes 10 at once refuses the 11th when the limit has crept up
    // to it (its refusals come back at once and are sent again, so the share overstates
    // how many were too many: cutting 11 to 8.25 left a fifth of its room unused, measured:
    // 84 % of its capacity); a partner refusing many is still relieved by β.
    const current = state.concurrency === null ? null : Math.min(state.concurrency, maxInFlight);
    state.concurrency = current === null
      ? Math.max(1, maxInFlight * Math.max(1 - load.share, 1 - CONCURRENCY_BETA))
      : Math.max(1, CONCURRENCY_BETA * current, current * (1 - (load.share - TOLERATED_OVERLOAD_SHARE)));
    state.lastDecreaseAt = now;
    state.limitChangedAt = now;
    state.limitReason = `${load.overloaded} of ${load.attempts} answers said overload (502, 503, 504, timeouts or network errors)`;
  } else if (state.concurrency !== null && state.concurrency >= maxInFlight && (summary.overloaded === 0 || load !== null)) {
    state.concurrency = null;
    state.limitChangedAt = now;
    state.limitReason = `requests succeed: back to the configured ${maxInFlight} in flight`;
  }

  // The breaker.
  if (summary.attempts > 0 || summary.notSent > 0) state.probeClaimedAt = null;
  if (state.breakerOpenedAt !== null) {
    if (summary.successes > 0) {
      state.breakerOpenedAt = null;
      state.nextProbeAt = null;
      state.probeDelayMs = FIRST_PROBE_DELAY_MS;
      state.breakerReason = `closed at ${now.toISOString()}: a probe succeeded`;
      // The failures that opened it are history: judge the destination afresh from here.
      resetWindow(state, now);
      state.concurrency = Math.min(maxInFlight, Math.max(1, state.concurrency ?? 1));
    } else if (summary.failures > 0) {
      const isProbeFailure = state.nextProbeAt !== null && now >= state.nextProbeAt;
      if (isProbeFailure) state.probeDelayMs = Math.min(MAX_PROBE_DELAY_MS, state.probeDelayMs * 2);
      state.nextProbeAt = new Date(now.getTime() + state.probeDelayMs);
    }
  } else if (summary.failures > 0) {
    const minute = lastMinute(state, now);
    // A partner that still accepts some of what it is sent (one that fails the first tries of
    // every message, say) is alive: it keeps flowing under the AIMD limits instead.
    if (minute.attempts >= MIN_ATTEMPTS_TO_OPEN && minute.failures >= OPEN_FAILURE_RATE * minute.attempts && minute.successes === 0) {
      state.breakerOpenedAt = now;
      state.probeDelayMs = FIRST_PROBE_DELAY_MS;
      state.nextProbeAt = new Date(now.getTime() + FIRST_PROBE_DELAY_MS);
      state.breakerReason = `${minute.failures} failures in the last minute (of ${minute.attempts} attempts)`;
    }
  }
  return state;
}

/** The state after an attempt found a configuration problem of the destination. */
export function heldFlow(previous: TFlowState | null, { code, reason, settingsAt, now }: { code: string; reason: string; settingsAt: Date; now: Date }): TFlowState {
  const state: TFlowState = previous ? { ...previous } : initialFlow(now);
  const isSame = state.heldCode === code && state.heldSettingsAt?.getTime() === settingsAt.getTime();
  state.heldCode = code;
  state.heldReason = reason;
  state.heldAt = isSame ? state.heldAt : now;
  state.heldSettingsAt = settingsAt;
  // Nothing is tried while held, and what the breaker knew was about settings that are
  // being replaced: the new ones start afresh (a probe held meanwhile is over too).
  state.breakerOpenedAt = null;
  state.nextProbeAt = null;
  state.probeDelayMs = FIRST_PROBE_DELAY_MS;
  state.probeClaimedAt = null;
  resetWindow(state, now);
  return state;
}

/**
 * Whether the destination is held at `now` — its jobs are not tried: settings that cannot
 * work, a Retry-After pause — and until when (null:
 * until further notice). The time it is held is credited to its jobs' retry windows
 * (destination_held_spans; server/queue/sql/held-time.ts), so no job is archived because
 * its destination was held.
 */
export function heldSpanOf(state: TFlowState, now: Date): { until: Date | null; reason: string } | null {
  if (state.heldCode !== null) return { until: null, reason: state.heldReason ?? state.heldCode };
  // An open breaker is not a hold: the partner is failing, which is what the retry window
  // is for, so a destination down for longer than the window still gets its jobs archived
  // (replay-rotation.test.ts) instead of keeping them until the events leave the store.
  if (state.pausedUntil && state.pausedUntil > now) return { until: state.pausedUntil, reason: state.pauseReason ?? 'paused' };
  return null;
}
