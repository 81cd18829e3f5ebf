/**
 * A destination's flow state as stored in `destination_flow`: what the worker learned about
 * how much the destination can take (server/delivery/flow.ts computes the next state; the
 * claim statement obeys it), and the last-minute counters both the worker and the pages read.
 */

/** The breaker's judging window. */
export const WINDOW_MS = 60_000;

export interface TFlowState {
  concurrency: number | null;
  rate: number | null;
  rateStep: number | null;
  limitReason: string | null;
  limitChangedAt: Date | null;
  lastDecreaseAt: Date | null;
  lastIncreaseAt: Date | null;
  lastThrottledAt: Date | null;
  pausedUntil: Date | null;
  pauseReason: string | null;
  windowStartedAt: Date;
  windowAttempts: number;
  windowFailures: number;
  windowSuccesses: number;
  previousAttempts: number;
  previousFailures: number;
  previousSuccesses: number;
  recentStartedAt: Date;
  recentAttempts: number;
  recentRate: number | null;
  breakerOpenedAt: Date | null;
  breakerReason: string | null;
  nextProbeAt: Date | null;
  probeDelayMs: number;
  /** Set by the claim that sent a probe, cleared when an outcome is folded in: one probe at a time, each judged before the next. */
  probeClaimedAt: Date | null;
  heldCode: string | null;
  heldReason: string | null;
  heldAt: Date | null;
  heldSettingsAt: Date | null;
  /**
   * The outcomes the concurrency is judged on (flow.ts): since when (null: none yet), how
   * many went out, how many of them said "too many at once".
   */
  loadSampleStartedAt: Date | null;
  loadSampleAttempts: number;
  loadSampleOverloaded: number;
}

/** Attempts, failures and successes over the last minute (the previous bucket weighted by its overlap). */
export function lastMinute(state: TFlowState, now: Date): { attempts: number; failures: number; successes: number } {
  const elapsed = now.getTime() - state.windowStartedAt.getTime();
  if (elapsed >= 2 * WINDOW_MS) return { attempts: 0, failures: 0, successes: 0 };
  if (elapsed >= WINDOW_MS) {
    const weight = Math.max(0, 1 - (elapsed - WINDOW_MS) / WINDOW_MS);
    return { attempts: Math.round(state.windowAttempts * weight), failures: Math.round(state.windowFailures * weight), successes: Math.round(state.windowSuccesses * weight) };
  }
  const weight = Math.max(0, 1 - elapsed / WINDOW_MS);
  return {
    attempts: Math.round(state.windowAttempts + state.previousAttempts * weight),
    failures: Math.round(state.windowFailures + state.previousFailures * weight),
    successes: Math.round(state.windowSuccesses + state.previousSuccesses * weight),
  };
}
