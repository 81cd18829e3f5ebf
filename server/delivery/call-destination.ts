/**
 * The one place where a job becomes a request and is sent: the destination's type builds
 * the request (or skips the event), the HTTP sender sends it, the type reads the answer,
 * and the shared retry table decides, corrected by the type's reading where the partner
 * says more than its status (Braze's 2xx carrying errors). A type may need one answer
 * before it can build its request (HubSpot looks a contact up by user ID): the lookup is
 * sent first, and its answer is the outcome unless it leads to the request. The worker and
 * "send test event" both come through here, so what a test shows is what deliveries do.
 */
import { eventInput, isLookup, isSkip, MAX_LOOKUPS, type TAnyDestinationType, type TBuiltRequest, type TLookup, type TReading, type TSkip } from '../destinations/catalog/types.ts';
import type { TDeliveryTuning } from '../destinations/delivery-tuning.ts';
import type { HttpSender } from './http-sender.ts';
import { LEASE_MARGIN_SECONDS } from './lease.ts';
import { backoffSeconds, decide, type TDecision, type TSentOutcome } from './retry-policy.ts';

export interface TCallTarget {
  /** The destination's id (a "send test event" has none: its type remembers nothing from it). */
  id?: string;
  def: TAnyDestinationType;
  /** The type's resolved settings (secrets decrypted). */
  settings: unknown;
  tuning: TDeliveryTuning;
}

export type TCallResult =
  | { kind: 'skipped'; reason: string }
  | { kind: 'sent'; request: TBuiltRequest; outcome: TSentOutcome; reading: TReading | null; batchSize?: number };

/** A type's mapping threw: the event is skipped with the reason (a module function: a closure per delivery showed in profiles). */
function mappingFailed(target: TCallTarget, error: unknown): TCallResult {
  return { kind: 'skipped', reason: `${target.def.name} could not map this event: ${(error as Error).message}` };
}

export async function callDestination({
  sender,
  target,
  jobId,
  payload,
  now,
  isTest = false,
  deadline,
}: {
  sender: HttpSender;
  target: TCallTarget;
  jobId: string;
  payload: string;
  now: Date;
  isTest?: boolean;
  /** By when (epoch ms) every request must have its answer: the worker's lease on the job (lease.ts). None: each request gets the whole timeout. */
  deadline?: number;
}): Promise<TCallResult> {
  let built: ReturnType<TAnyDestinationType['buildRequest']>;
  try {
    built = target.def.buildRequest(eventInput(payload), target.settings as never, { jobId, now, isTest, destinationId: target.id });
  } catch (error) {
    return mappingFailed(target, error);
  }
  for (let lookups = 0; isLookup(built); lookups++) {
    if (lookups === MAX_LOOKUPS) return mappingFailed(target, new Error(`more than ${MAX_LOOKUPS} look-ups for one event`));
    const lookup = built;
    const looked = await send(sender, target, lookup.lookup, undefined, deadline);
    if (looked.outcome.kind === 'network') return looked;
    let next: TBuiltRequest | TSkip | TLookup | null;
    try {
      next = lookup.then({ status: looked.outcome.status, body: looked.outcome.bodyExcerpt, headers: looked.outcome.headers });
    } catch (error) {
      return mappingFailed(target, error);
    }
    if (next === null) return looked;
    built = next;
  }
  if (isSkip(built)) return { kind: 'skipped', reason: built.skip };
  return send(sender, target, built, undefined, deadline);
}

/** The excerpt kept of a batch's answer: enough for the partner's per-event list (Mixpanel's failed_records). */
const BATCH_EXCERPT_BYTES = 64 * 1024;

/**
 * Several jobs of one destination whose type batches (`def.batch`): each event is built as
 * alone, those going to the same URL share one request (merged by the type), and each job
 * gets its own result: skipped with its reason, or sent with the shared answer read for it
 * (`readBatch`). A job's `request` is its own event's request, not the merged one, so its
 * trace shows what was sent for it. Results are in the jobs' order.
 */
export async function callDestinationBatch({
  sender,
  target,
  jobs,
  now,
  deadline,
}: {
  sender: HttpSender;
  target: TCallTarget;
  jobs: Array<{ jobId: string; payload: string }>;
  now: Date;
  deadline?: number;
}): Promise<TCallResult[]> {
  const batching = target.def.batch!;
  const results: TCallResult[] = new Array<TCallResult>(jobs.length);
  const groups = new Map<string, Array<{ index: number; request: TBuiltRequest }>>();
  const alone: Array<Promise<void>> = [];
  jobs.forEach((job, index) => {
    let built: ReturnType<TAnyDestinationType['buildRequest']>;
    try {
      built = target.def.buildRequest(eventInput(job.payload), target.settings as never, { jobId: job.jobId, now, destinationId: target.id });
    } catch (error) {
      results[index] = mappingFailed(target, error);
      return;
    }
    if (isSkip(built)) results[index] = { kind: 'skipped', reason: built.skip };
    else if (isLookup(built)) alone.push(callDestination({ sender, target, jobId: job.jobId, payload: job.payload, now, deadline }).then((result) => void (results[index] = result)));
    else {
      const key = `${built.method} ${built.url}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = []));
      group.push({ index, request: built });
    }
  });
  const sends = [...groups.values()].flatMap((group) => {
    const chunks = [];
    for (let i = 0; i < group.length; i += batching.max) chunks.push(group.slice(i, i + batching.max));
    return chunks.map(async (chunk) => {
      if (chunk.length === 1) {
        results[chunk[0].index] = await send(sender, target, chunk[0].request, undefined, deadline);
        return;
      }
      const sent = await send(sender, target, batching.merge(chunk.map((c) => c.request)), BATCH_EXCERPT_BYTES, deadline);
      const { outcome } = sent;
      const readings = outcome.kind === 'http' && batching.readBatch ? batching.readBatch({ status: outcome.status, body: outcome.bodyExcerpt, headers: outcome.headers }, chunk.length) : null;
      chunk.forEach((c, k) => {
        results[c.index] = { kind: 'sent', request: c.request, outcome, reading: readings?.[k] ?? sent.reading, batchSize: chunk.length };
      });
    });
  });
  await Promise.all([...sends, ...alone]);
  return results;
}

/** Least time worth sending a request with: less left before the deadline, and it is not sent. */
const MIN_REQUEST_MS = 500;

async function send(sender: HttpSender, target: TCallTarget, request: TBuiltRequest, excerptBytes?: number, deadline?: number): Promise<TCallResult & { kind: 'sent' }> {
  // A request may not outlive the job's lease: another worker could take the job then, and
  // the partner would get it twice. Look-ups before the request use up the same time.
  const timeoutMs = deadline === undefined ? target.tuning.timeoutMs : Math.min(target.tuning.timeoutMs, Math.floor(deadline - Date.now()));
  if (timeoutMs < MIN_REQUEST_MS) {
    const message = `not sent: the worker's lease on this job ends in ${Math.max(0, timeoutMs) + 1000 * LEASE_MARGIN_SECONDS} ms, too soon to wait for an answer (earlier requests for it took the time); it is tried again`;
    return { kind: 'sent', request, outcome: { kind: 'network', code: 'TIMEOUT', latencyMs: 0, message, isNotSent: true }, reading: null };
  }
  let outcome = await sender.send({ method: request.method, url: request.url, headers: request.headers, body: request.body, timeoutMs, excerptBytes });
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
  if (reading?.verdict === 'retry') {
    // One event of a batch the partner refused for others in it: sent again, like a retry.
    const retryAt = new Date(now.getTime() + Math.max(backoffSeconds(attempt, tuning), (outcome.kind === 'http' ? outcome.retryAfterSeconds : null) ?? 0) * 1000);
    if (retryAt.getTime() > expireAt.getTime()) return { state: 'archived', reason: `${reading.explanation}; retry window ended` };
    return { state: 'awaiting_retry', retryAt, reason: reading.explanation };
  }
  const decision = decide({ outcome, attempt, now, expireAt, tuning });
  if (decision.state === 'discarded' && reading) return { state: 'discarded', reason: reading.explanation };
  return decision;
}
