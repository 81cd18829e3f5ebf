/**
 * Asking a destination to delete the subject, through the destination-type interface
 * (server/destinations/catalog/<type>/): a type with `deleteUser` builds the partner's
 * deletion call (the webhook: a signed `user.deleted` POST), the worker's HTTP sender
 * sends it; a type without it answers `not_supported`, which does not fail the request.
 * The receipt keeps the partner's status code and latency, never its response body (it
 * could echo the subject's data).
 */
import type pg from 'pg';
import { openJson } from '../crypto/secret-box.ts';
import { destinationType } from '../destinations/catalog/registry.ts';
import { isSkip } from '../destinations/catalog/types.ts';
import type { TIdentities } from '../privacy/identities.ts';
import type { HttpSender } from './http-sender.ts';

export type TDestinationDeletion =
  | { status: 'finished'; receipt: Record<string, unknown> }
  | { status: 'not_supported'; receipt: Record<string, unknown> }
  | { status: 'retry'; error: string; receipt: Record<string, unknown> }
  | { status: 'failed'; error: string; receipt: Record<string, unknown> };

export async function deleteAtDestination({
  pool,
  sender,
  destinationId,
  regulationId,
  identities,
}: {
  pool: pg.Pool;
  sender: HttpSender;
  destinationId: string;
  regulationId: string;
  identities: TIdentities;
}): Promise<TDestinationDeletion> {
  const { rows } = await pool.query<{ type: string; settings: unknown; secrets: string | null }>('SELECT type, settings, secrets FROM destinations WHERE id = $1', [destinationId]);
  const destination = rows[0];
  if (!destination) return { status: 'not_supported', receipt: { reason: 'the destination was deleted before the request reached it' } };
  const def = destinationType(destination.type);
  if (!def?.deleteUser) return { status: 'not_supported', receipt: { reason: `${def?.name ?? destination.type} destinations cannot delete users yet` } };
  const settings = def.storage.resolve(destination.settings, destination.secrets ? openJson<unknown>(destination.secrets) : undefined);
  const built = def.deleteUser({ regulationId, userIds: identities.userIds, anonymousIds: identities.anonymousIds, emails: identities.emails }, settings as never, { jobId: `regulation_${regulationId}`, now: new Date() });
  if (isSkip(built)) return { status: 'not_supported', receipt: { reason: built.skip } };
  const outcome = await sender.send({ method: built.method, url: built.url, headers: built.headers, body: built.body, timeoutMs: 10_000 });
  const call = `${built.method} ${safeHost(built.url)} (deletion)`;
  if (outcome.kind === 'http' && outcome.status >= 200 && outcome.status < 300) {
    return { status: 'finished', receipt: { call, statusCode: outcome.status, latencyMs: outcome.latencyMs, identifiersSent: identities.userIds.length + identities.anonymousIds.length + identities.emails.length } };
  }
  const answer = outcome.kind === 'http' ? `HTTP ${outcome.status}` : outcome.code;
  const receipt = { call, ...(outcome.kind === 'http' ? { statusCode: outcome.status } : { errorCode: outcome.code }) };
  const isRetryable = outcome.kind === 'network' ? outcome.code !== 'BLOCKED_ADDRESS' && outcome.code !== 'INVALID_URL' : outcome.status === 429 || outcome.status >= 500;
  return isRetryable ? { status: 'retry', error: `the partner answered ${answer}`, receipt } : { status: 'failed', error: `the partner answered ${answer}`, receipt };
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid URL';
  }
}
