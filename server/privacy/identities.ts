/**
 * Who a request is about, as identifiers the event store can be searched by. Starting from
 * the request's identifiers, these links are followed until nothing new turns up (at most
 * MAX_ROUNDS rounds, MAX_IDENTIFIERS identifiers):
 *
 *  1. e-mail → the user ID and anonymous ID of every event that carries the address in
 *     `traits.email`, `context.traits.email` or `properties.email` (compared lower-case);
 *  2. user ID → the anonymous ID of every event that carries both (an `identify`, or any
 *     call made after sign-in): the device history tied to the user;
 *  3. `alias` both ways: an alias event whose `userId` or `previousId` is known adds the
 *     other one (as a user ID, and `previousId` also as an anonymous ID).
 *
 * Not followed: anonymous ID → user ID (a shared device would pull in another person), and
 * `group` IDs.
 *
 * Every lookup goes through the traces identity lookup (`event_identities`, keyed by
 * server/traces/identity.ts): the digests of the known identifiers lead to their events by
 * primary key, never by a scan of `events`. An alias call is indexed under its `previousId`
 * as a user ID too, so link 3 is found from either side; a `previousId` that is an anonymous
 * ID is looked up under the user-ID digest of the same text and kept only when it is an
 * alias call's `previousId`.
 */
import type pg from 'pg';
import { identityKey, type TIdentity } from '../traces/identity.ts';

export interface TIdentities {
  userIds: string[];
  anonymousIds: string[];
  emails: string[];
}

const MAX_ROUNDS = 6;
const MAX_IDENTIFIERS = 50_000;

/**
 * The identifiers of the events one of the digests ($2) points at, in workspace $1: each
 * distinct (user ID, anonymous ID, alias previousId) once.
 */
export const IDENTIFIERS_OF_EVENTS = /* sql */ `
SELECT DISTINCT e.user_id, e.anonymous_id, CASE WHEN e.type = 'alias' THEN e.payload ->> 'previousId' END AS previous_id
  FROM event_identities i
  JOIN events e ON e.received_at = i.received_at AND e.id = i.event_id
 WHERE i.identity = ANY($2::bigint[]) AND e.workspace_id = $1`;

interface TRow {
  user_id: string | null;
  anonymous_id: string | null;
  previous_id: string | null;
}

type TQueryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

/** The digests of a subject's identifiers, as the identity lookup stores them (bigint text). */
export function identityKeysOf(workspaceId: string, identities: TIdentities): string[] {
  const list: TIdentity[] = [
    ...identities.userIds.map((value) => ({ kind: 'user' as const, value })),
    ...identities.anonymousIds.map((value) => ({ kind: 'anon' as const, value })),
    ...identities.emails.map((value) => ({ kind: 'email' as const, value })),
  ];
  return [...new Set(list.map((identity) => identityKey(workspaceId, identity).toString()))];
}

export async function resolveIdentities({ db, workspaceId, subjectType, subjectIds }: { db: TQueryable; workspaceId: string; subjectType: string; subjectIds: string[] }): Promise<TIdentities> {
  const userIds = new Set<string>(subjectType === 'USER_ID' ? subjectIds : []);
  const anonymousIds = new Set<string>(subjectType === 'ANONYMOUS_ID' ? subjectIds : []);
  const emails = subjectType === 'EMAIL' ? subjectIds.map((e) => e.trim().toLowerCase()) : [];
  const add = (set: Set<string>, value: string | null) => {
    if (value !== null && value !== '' && userIds.size + anonymousIds.size < MAX_IDENTIFIERS) set.add(value);
  };
  const lookup = async (identities: TIdentity[]) => {
    if (identities.length === 0) return [];
    const keys = [...new Set(identities.map((identity) => identityKey(workspaceId, identity).toString()))];
    return (await db.query<TRow>(IDENTIFIERS_OF_EVENTS, [workspaceId, keys])).rows;
  };
  // 1. e-mail: every event indexed under the address.
  for (const row of await lookup(emails.map((value) => ({ kind: 'email', value })))) {
    add(userIds, row.user_id);
    add(anonymousIds, row.anonymous_id);
  }
  // 2 and 3, each round looking up only the identifiers the last one found.
  const asked = new Set<string>();
  const found: TRow[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const before = userIds.size + anonymousIds.size;
    const fresh = [...new Set([...userIds, ...anonymousIds])].filter((value) => !asked.has(value));
    if (fresh.length === 0) break;
    for (const value of fresh) asked.add(value);
    // Rules are applied again to every row found so far: a value first known as an anonymous
    // ID may become a user ID through an alias, and its rows then count as a user's.
    found.push(...(await lookup(fresh.map((value) => ({ kind: 'user' as const, value })))));
    for (const row of found) {
      const isKnownUser = row.user_id !== null && userIds.has(row.user_id);
      if (isKnownUser) add(anonymousIds, row.anonymous_id);
      if (row.previous_id !== null && (isKnownUser || userIds.has(row.previous_id) || anonymousIds.has(row.previous_id))) {
        add(userIds, row.user_id);
        add(userIds, row.previous_id);
        add(anonymousIds, row.previous_id);
      }
    }
    if (userIds.size + anonymousIds.size === before) break;
  }
  return { userIds: [...userIds], anonymousIds: [...anonymousIds], emails };
}
