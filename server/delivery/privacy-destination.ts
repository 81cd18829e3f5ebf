/**
 * Asking a destination to delete the subject, through the destination-type interface
 * (server/destinations/catalog/<type>/): a type with `deleteUser` builds the partner's
 * deletion calls (the webhook: one signed `user.deleted` POST; Amplitude, Braze, Mixpanel,
 * Customer.io: their documented deletion APIs, as many calls as their per-call limits
 * need), the worker's HTTP sender sends them in order; a type without it, or one whose
 * settings lack what the partner's deletion API needs, answers `not_supported`, which does
 * not fail the request.
 *
 * Progress is kept in the receipt (`callsSucceeded`): a retried or resumed target starts
 * after the calls that already succeeded. 429, 5xx and network failures are retried by the
 * runner (a partner's Retry-After is respected); other answers fail the target.
 * The receipt keeps the partner's status code, latency and its answer in words
 * (`readDeletion`, which names no identifiers), never its response body (it could echo
 * the subject's data).
 */
import type pg from 'pg';
import { openJson } from '../crypto/secret-box.ts';
import { destinationType } from '../destinations/catalog/registry.ts';
import type { TBuiltRequest } from '../destinations/catalog/types.ts';
import type { TIdentities } from '../privacy/identities.ts';
import type { HttpSender } from './http-sender.ts';

type TReceipt = Record<string, number | string>;

export type TDestinationDeletion =
  | { status: 'finished'; receipt: TReceipt }
  | { status: 'not_supported'; receipt: TReceipt }
  | { status: 'retry'; error: string; receipt: TReceipt; retryAfterSeconds?: number }
  | { status: 'failed'; error: string; receipt: TReceipt };

/** How long one deletion call may take (the runner leases a destination's target for at least this and a margin: privacy-runner.ts). */
export const DELETION_CALL_TIMEOUT_MS = 10_000;

export async function deleteAtDestination({
  pool,
  sender,
  destinationId,
  regulationId,
  identities,
  receipt: previous = {},
  onCall,
}: {
  pool: pg.Pool;
  sender: HttpSender;
  destinationId: string;
  regulationId: string;
  identities: TIdentities;
  /** The target's receipt so far (a retried or resumed attempt skips the calls it counts as done). */
  receipt?: TReceipt;
  /** Saves the receipt after each successful call (and extends the lease). */
  onCall?: (receipt: TReceipt) => Promise<void>;
}): Promise<TDestinationDeletion> {
  const { rows } = await pool.query<{ type: string; settings: unknown; secrets: string | null }>('SELECT type, settings, secrets FROM destinations WHERE id = $1', [destinationId]);
  const destination = rows[0];
  if (!destination) return { status: 'not_supported', receipt: { reason: 'the destination was deleted before the request reached it' } };
  const def = destinationType(destination.type);
  if (!def?.deleteUser) return { status: 'not_supported', receipt: { reason: `Switchyard does not forward deletions to ${def?.name ?? destination.type} destinations: delete the user there yourself if it holds their data` } };
  const settings = def.storage.resolve(destination.settings, destination.secrets ? openJson<unknown>(destination.secrets) : undefined);
  const built = def.deleteUser({ regulationId, userIds: identities.userIds, anonymousIds: identities.anonymousIds, emails: identities.emails }, settings as never, { jobId: `regulation_${regulationId}`, now: new Date() });
  if (!Array.isArray(built)) return { status: 'not_supported', receipt: { reason: built.skip } };
  const calls: TBuiltRequest[] = built;
  // A webhook's URL is the customer's own and may carry a secret in its path: only its host is kept.
  const describeCall = (request: TBuiltRequest | undefined) => describe(request, def.type !== 'webhook');

  let receipt: TReceipt = {
    call: describeCall(calls[0]),
    callsTotal: calls.length,
    callsSucceeded: 0,
    identifiersSent: identities.userIds.length + identities.anonymousIds.length + identities.emails.length,
    ...previous,
  };
  for (let i = Number(receipt.callsSucceeded); i < calls.length; i++) {
    const request = calls[i];
    const outcome = await sender.send({ method: request.method, url: request.url, headers: request.headers, body: request.body, timeoutMs: DELETION_CALL_TIMEOUT_MS });
    const call = describeCall(request);
    if (outcome.kind === 'http' && outcome.status >= 200 && outcome.status < 300) {
      const answer = def.readDeletion?.({ status: outcome.status, body: outcome.bodyExcerpt ?? '' });
      receipt = {
        ...receipt,
        call,
        callsSucceeded: i + 1,
        statusCode: outcome.status,
        latencyMs: Number(receipt.latencyMs ?? 0) + outcome.latencyMs,
        ...(answer ? { answer } : {}),
      };
      if (i + 1 < calls.length) await onCall?.(receipt);
      continue;
    }
    const said = outcome.kind === 'http' ? `HTTP ${outcome.status}` : outcome.code;
    const failedReceipt: TReceipt = { ...receipt, call, ...(outcome.kind === 'http' ? { statusCode: outcome.status } : { errorCode: outcome.code }) };
    const error = `${def.name} answered ${said} to deletion call ${i + 1} of ${calls.length}`;
    const isRetryable = outcome.kind === 'network' ? outcome.code !== 'BLOCKED_ADDRESS' && outcome.code !== 'INVALID_URL' : outcome.status === 429 || outcome.status >= 500;
    if (!isRetryable) return { status: 'failed', error: `${error}${outcome.kind === 'http' ? explainRefusal(outcome.status) : ''}`, receipt: failedReceipt };
    const retryAfterSeconds = outcome.kind === 'http' ? outcome.retryAfterSeconds : undefined;
    return { status: 'retry', error, receipt: failedReceipt, ...(retryAfterSeconds ? { retryAfterSeconds } : {}) };
  }
  return { status: 'finished', receipt };
}

function explainRefusal(status: number): string {
  if (status === 401 || status === 403) return ': the credentials were refused or lack the deletion permission; fix them in the destination\'s settings and create the request again';
  if (status === 400 || status === 422) return ': the partner refused the request as invalid';
  return '';
}

/** `DELETE track.customer.io/api/v1/customers/…`: the method, host and path (without the query or an identifier at its end). */
function describe(request: TBuiltRequest | undefined, isPathShown: boolean): string {
  if (!request) return 'no call';
  try {
    const url = new URL(request.url);
    if (!isPathShown) return `${request.method} ${url.host}`;
    const path = url.pathname.split('/').length > 4 && request.method === 'DELETE' ? `${url.pathname.split('/').slice(0, -1).join('/')}/…` : url.pathname;
    return `${request.method} ${url.host}${path}`;
  } catch {
    return `${request.method} (invalid URL)`;
  }
}
