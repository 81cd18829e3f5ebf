/**
 * How long a claimed job is leased to the worker that claimed it. While the lease stands no
 * other worker takes the job; when it ends (the worker died) the job is due again. A lease
 * shorter than the time a request may take would hand a slow partner's job to a second
 * worker while the first is still waiting for the answer: a duplicate, and more requests
 * in flight than the destination's maxInFlight (issue 12). So each destination's jobs are
 * leased for at least its request timeout and a margin for recording the outcome, and the
 * worker stops sending for a job (look-ups included) once only the margin is left.
 */
import type { TDeliveryTuning } from '../destinations/delivery-tuning.ts';

/** Time kept, at the end of every lease, for the outcome to be recorded after the last answer. */
export const LEASE_MARGIN_SECONDS = 15;

/** The lease for one destination's jobs: the worker's configured lease, or longer when its timeout needs it. */
export function leaseSecondsFor(tuning: Pick<TDeliveryTuning, 'timeoutMs'>, configured: number): number {
  return Math.max(configured, Math.ceil(tuning.timeoutMs / 1000) + LEASE_MARGIN_SECONDS);
}

/** By when (epoch ms) every request for a job claimed at `claimedAt` must have its answer. */
export function sendDeadline(claimedAt: number, leaseSeconds: number): number {
  return claimedAt + (leaseSeconds - LEASE_MARGIN_SECONDS) * 1000;
}
