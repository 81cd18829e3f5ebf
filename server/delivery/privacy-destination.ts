/**
 * Asking a destination to delete the subject. Until the catalog's destination-type
 * interface (server/destinations/catalog/<type>/, issue 15) brings `deleteUser`, only the
 * webhook type can: it gets a signed (Standard Webhooks) `user.deleted` POST at its URL
 * with the linked identifiers; every other type answers `not_supported`. The receipt keeps
 * the partner's status code and latency, never its response body (it could echo the data).
 */
import type pg from 'pg';
import { openJson } from '../crypto/secret-box.ts';
import type { TWebhookSecrets, TWebhookSettings } from '../destinations/catalog.ts';
import { HttpSender } from './http-sender.ts';
import { webhookHeaders } from './signing.ts';
import type { TIdentities } from '../privacy/identities.ts';

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
  const { rows } = await pool.query<{ type: string; settings: TWebhookSettings; secrets: string | null }>('SELECT type, settings, secrets FROM destinations WHERE id = $1', [destinationId]);
  const destination = rows[0];
  if (!destination) return { status: 'not_supported', receipt: { reason: 'the destination was deleted before the request reached it' } };
  if (destination.type !== 'webhook') return { status: 'not_supported', receipt: { reason: `${destination.type} destinations cannot delete users yet` } };
  const secrets = destination.secrets ? openJson<TWebhookSecrets>(destination.secrets) : { signingSecret: '', headers: {} };
  const body = JSON.stringify({ type: 'user.deleted', regulationId, userIds: identities.userIds, anonymousIds: identities.anonymousIds, emails: identities.emails, timestamp: new Date().toISOString() });
  const signing = [secrets.signingSecret].filter(Boolean);
  const headers = { ...secrets.headers, 'content-type': 'application/json', ...(signing.length ? webhookHeaders({ id: `regulation_${regulationId}`, body, secrets: signing }) : {}) };
  const outcome = await sender.send({ url: destination.settings.url, headers, body, timeoutMs: 10_000 });
  const host = safeHost(destination.settings.url);
  if (outcome.kind === 'http' && outcome.status >= 200 && outcome.status < 300) {
    return { status: 'finished', receipt: { call: `POST ${host} user.deleted`, statusCode: outcome.status, latencyMs: outcome.latencyMs, identifiersSent: identities.userIds.length + identities.anonymousIds.length + identities.emails.length } };
  }
  const answer = outcome.kind === 'http' ? `HTTP ${outcome.status}` : outcome.code;
  const receipt = { call: `POST ${host} user.deleted`, ...(outcome.kind === 'http' ? { statusCode: outcome.status } : { errorCode: outcome.code }) };
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
