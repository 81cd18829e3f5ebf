/**
 * The identity lookup support search runs on: every stored event gets one row in
 * `event_identities` per identifier (userId, anonymousId, e-mail, messageId), keyed by a
 * 64-bit digest of (workspace, kind, value). One narrow table with one index replaces an
 * index per identifier on `events`; the workspace inside the digest keeps workspaces apart
 * (the search still joins `events` on its workspace, so a collision could never cross one).
 * Ingest (server/ingest/writer.ts) writes the rows; search and privacy read them.
 */
import { hash } from 'node:crypto';

export const IDENTITY_KINDS = ['user', 'anon', 'email', 'message'] as const;
export type TIdentityKind = (typeof IDENTITY_KINDS)[number];

export interface TIdentity {
  kind: TIdentityKind;
  value: string;
}

/** Where an event carries an e-mail address; matched case-insensitively. */
const EMAIL_PATHS: ReadonlyArray<readonly string[]> = [['traits', 'email'], ['context', 'traits', 'email'], ['properties', 'email']];

export function normalizeEmail(value: string): string {
  return value.trim().toLowerCase();
}

/** The distinct e-mail addresses an event payload carries (lower-cased). */
export function emailsOf(payload: Record<string, unknown>): string[] {
  const found = new Set<string>();
  for (const path of EMAIL_PATHS) {
    let node: unknown = payload;
    for (const key of path) node = typeof node === 'object' && node !== null && !Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined;
    if (typeof node === 'string' && node.trim() !== '' && node.length <= 320) found.add(normalizeEmail(node));
  }
  return [...found];
}

/** The digest stored in event_identities.identity (a signed 64-bit integer, as Postgres bigint). */
export function identityKey(workspaceId: string, { kind, value }: TIdentity): bigint {
  const text = kind === 'email' ? normalizeEmail(value) : value;
  // One-shot crypto.hash: the same SHA-256 without a Hash object per call (ingest makes 3–4 per event).
  return hash('sha256', `${workspaceId}\u0000${kind}\u0000${text}`, 'buffer').readBigInt64BE(0);
}

/**
 * The same digest in SQL, for statements that must find an event's identity rows from the
 * event itself (the privacy deletion removes them with the event). `valueSql` must already be
 * normalized for e-mails (lower(btrim(...))). Checked against identityKey in
 * server/delivery/privacy-deletion.test.ts.
 */
export function identityKeySql(workspaceSql: string, kindSql: string, valueSql: string): string {
  return `('x' || encode(substring(sha256(convert_to(${workspaceSql}::text, 'UTF8') || '\\x00'::bytea || convert_to(${kindSql}, 'UTF8') || '\\x00'::bytea || convert_to(${valueSql}, 'UTF8')) from 1 for 8), 'hex'))::bit(64)::bigint`;
}

/**
 * The identifiers of one event, deduplicated. An `alias` call's `previousId` counts as a user
 * ID of the event too, so searching the earlier ID finds the call that linked it (and the
 * privacy deletion follows the link through this lookup, server/privacy/identities.ts).
 */
export function identitiesOf(event: { messageId: string; userId: string | null; anonymousId: string | null; emails: string[]; type?: string; payload?: Record<string, unknown> }): TIdentity[] {
  const list: TIdentity[] = [{ kind: 'message', value: event.messageId }];
  if (event.userId) list.push({ kind: 'user', value: event.userId });
  const raw = event.type === 'alias' ? event.payload?.previousId : undefined;
  const previousId = typeof raw === 'number' ? String(raw) : raw;
  if (typeof previousId === 'string' && previousId !== '' && previousId !== event.userId) list.push({ kind: 'user', value: previousId });
  if (event.anonymousId) list.push({ kind: 'anon', value: event.anonymousId });
  for (const email of event.emails) list.push({ kind: 'email', value: email });
  return list;
}

const PREFIXES: Record<string, TIdentityKind> = { email: 'email', user: 'user', userid: 'user', anon: 'anon', anonymous: 'anon', anonymousid: 'anon', message: 'message', messageid: 'message' };

/**
 * What a search box query means: `email:ann@example.com` narrows to one kind; anything else
 * is tried as every kind (a user ID that looks like an e-mail is still found as a user ID).
 */
export function parseIdentityQuery(query: string): TIdentity[] {
  const text = query.trim();
  const prefixed = /^([a-zA-Z]+):\s*(.+)$/.exec(text);
  if (prefixed && Object.hasOwn(PREFIXES, prefixed[1].toLowerCase())) return [{ kind: PREFIXES[prefixed[1].toLowerCase()], value: prefixed[2].trim() }];
  if (!text) return [];
  return IDENTITY_KINDS.map((kind) => ({ kind, value: text }));
}
