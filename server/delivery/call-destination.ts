/**
 * The one place where a job becomes a request and is sent: the destination's type builds
 * the request (or skips the event), the HTTP sender sends it, the type reads the answer,
 * and the shared retry table decides, corrected by the type's reading where the partner
 * says more than its status (Braze's 2xx carrying errors). The worker and "send test
 * event" both come through here, so what a test shows is what deliveries do.
 */
import { eventInput, isSkip, type TAnyDestinationType, type TBuiltRequest, type TReading } from '../destinations/catalog/types.ts';
import type { TDeliveryTuning } from '../destinations/delivery-tuning.ts';
import type { HttpSender } from './http-sender.ts';
import { decide, type TDecision, type TSentOutcome } from './retry-policy.ts';

export interface TCallTarget {
  def: TAnyDestinationType;
  /** The type's resolved settings (secrets decrypted). */
  settings: unknown;
  tuning: TDeliveryTuning;
}

export type TCallResult =
  | { kind: 'skipped'; reason: string }
  | { kind: 'sent'; request: TBuiltRequest; outcome: TSentOutcome; reading: TReading | null };

export async function callDestination({
  sender,
  target,
  jobId,
  payload,
  now,
  isTest = false,
}: {
  sender: HttpSender;
  target: TCallTarget;
  jobId: string;
  payload: string;
  now: Date;
  isTest?: boolean;
}): Promise<TCallResult> {
  let built: ReturnType<TAnyDestinationType['buildRequest']>;
  try {
    built = target.def.buildRequest(eventInput(payload), target.settings as never, { jobId, now, isTest });
  } catch (error) {
    return { kind: 'skipped', reason: `${target.def.name} could not map this event: ${(error as Error).message}` };
  }
  if (isSkip(built)) return { kind: 'skipped', reason: built.skip };
  let outcome = await sender.send({ method: built.method, url: built.url, headers: built.headers, body: built.body, timeoutMs: target.tuning.timeoutMs });
  const reading = outcome.kind === 'http' && target.def.readResponse ? target.def.readResponse({ status: outcome.status, body: outcome.bodyExcerpt, headers: outcome.headers }) : null;
  // The partner said when to come back in its own words (Braze's X-RateLimit-Reset): it counts as a Retry-After.
  if (reading?.retryAfterSeconds && outcome.kind === 'http' && outcome.retryAfterSeconds == null) outcome = { ...outcome, retryAfterSeconds: reading.retryAfterSeconds };
  return { kind: 'sent', request: built, outcome, reading };
}

export type TCallDecision = TDecision | { state: 'skipped'; reason: string };

/** The shared retry table's decision, corrected where the partner's reading says otherwise. */
export function decideCall({ result, attempt, now, expireAt, tuning }: { result: TCallResult; attempt: number; now: Date; expireAt: Date; tuning: TDeliveryTuning }): TCallDecision {
  if (result.kind === 'skipped') return { state: 'skipped', reason: result.reason };
  const { outcome, reading } = result;
  if (reading?.verdict === 'discard') return { state: 'discarded', reason: reading.explanation };
  if (reading?.verdict === 'succeeded') return { state: 'succeeded' };
  const decision = decide({ outcome, attempt, now, expireAt, tuning });
  if (decision.state === 'discarded' && reading) return { state: 'discarded', reason: reading.explanation };
  return decision;
}
