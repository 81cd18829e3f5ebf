/**
 * The one place where a job becomes a request and is sent: the destination's type builds
 * the request (or skips the event), the HTTP sender sends it, the type reads the answer,
 * and the shared retry table decides, corrected by the type's reading where the partner
 * says more than its status (Braze's 2xx carrying errors). A type may need one answer
 * before it can build its request (HubSpot looks a contact up by user ID): the lookup is
 * sent first, and its answer is the outcome unless it leads to the request. The worker and
 * "send test event" both come through here, so what a test shows is what deliveries do.
 */
import { eventInput, isLookup, isSkip, type TAnyDestinationType, type TBuiltRequest, type TReading, type TSkip } from '../destinations/catalog/types.ts';
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
  const mappingFailed = (error: unknown): TCallResult => ({ kind: 'skipped', reason: `${target.def.name} could not map this event: ${(error as Error).message}` });
  let built: ReturnType<TAnyDestinationType['buildRequest']>;
  try {
    built = target.def.buildRequest(eventInput(payload), target.settings as never, { jobId, now, isTest });
  } catch (error) {
    return mappingFailed(error);
  }
  if (isLookup(built)) {
    const looked = await send(sender, target, built.lookup);
    if (looked.outcome.kind === 'network') return looked;
    let next: TBuiltRequest | TSkip | null;
    try {
      next = built.then({ status: looked.outcome.status, body: looked.outcome.bodyExcerpt, headers: looked.outcome.headers });
    } catch (error) {
      return mappingFailed(error);
    }
    if (next === null) return looked;
    built = next;
  }
  if (isSkip(built)) return { kind: 'skipped', reason: built.skip };
  return send(sender, target, built);
}

async function send(sender: HttpSender, target: TCallTarget, request: TBuiltRequest): Promise<TCallResult & { kind: 'sent' }> {
  let outcome = await sender.send({ method: request.method, url: request.url, headers: request.headers, body: request.body, timeoutMs: target.tuning.timeoutMs });
  const reading = outcome.kind === 'http' && target.def.readResponse ? target.def.readResponse({ status: outcome.status, body: outcome.bodyExcerpt, headers: outcome.headers }) : null;
  // The partner said when to come back in its own words (Braze's X-RateLimit-Reset): it counts as a Retry-After.
  if (reading?.retryAfterSeconds && outcome.kind === 'http' && outcome.retryAfterSeconds == null) outcome = { ...outcome, retryAfterSeconds: reading.retryAfterSeconds };
  return { kind: 'sent', request, outcome, reading };
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
