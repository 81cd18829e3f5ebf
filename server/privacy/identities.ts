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
 * `group` IDs. This lookup is our own for now; it is written as plain queries over `events`
 * so it can move onto the traces read model's identity lookups (server/traces) unchanged.
 */
import type pg from 'pg';

export interface TIdentities {
  userIds: string[];
  anonymousIds: string[];
  emails: string[];
}

const MAX_ROUNDS = 6;
const MAX_IDENTIFIERS = 50_000;

const EVENTS_WITH_EMAIL = /* sql */ `
SELECT DISTINCT user_id, anonymous_id FROM events
 WHERE workspace_id = $1
   AND (lower(payload #>> '{traits,email}') = ANY($2::text[])
     OR lower(payload #>> '{context,traits,email}') = ANY($2::text[])
     OR lower(payload #>> '{properties,email}') = ANY($2::text[]))`;

const ANONYMOUS_IDS_OF_USERS = /* sql */ `
SELECT DISTINCT anonymous_id FROM events
 WHERE workspace_id = $1 AND user_id = ANY($2::text[]) AND anonymous_id IS NOT NULL`;

const ALIASES = /* sql */ `
SELECT DISTINCT user_id, payload ->> 'previousId' AS previous_id FROM events
 WHERE workspace_id = $1 AND type = 'alias'
   AND (user_id = ANY($2::text[]) OR payload ->> 'previousId' = ANY($2::text[]) OR payload ->> 'previousId' = ANY($3::text[]))`;

type TQueryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

export async function resolveIdentities({ db, workspaceId, subjectType, subjectIds }: { db: TQueryable; workspaceId: string; subjectType: string; subjectIds: string[] }): Promise<TIdentities> {
  const userIds = new Set<string>(subjectType === 'USER_ID' ? subjectIds : []);
  const anonymousIds = new Set<string>(subjectType === 'ANONYMOUS_ID' ? subjectIds : []);
  const emails = subjectType === 'EMAIL' ? subjectIds.map((e) => e.toLowerCase()) : [];
  const add = (set: Set<string>, value: string | null) => {
    if (value !== null && value !== '' && userIds.size + anonymousIds.size < MAX_IDENTIFIERS) set.add(value);
  };
  if (emails.length > 0) {
    const { rows } = await db.query<{ user_id: string | null; anonymous_id: string | null }>(EVENTS_WITH_EMAIL, [workspaceId, emails]);
    for (const row of rows) {
      add(userIds, row.user_id);
      add(anonymousIds, row.anonymous_id);
    }
  }
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const before = userIds.size + anonymousIds.size;
    if (userIds.size > 0) {
      const { rows } = await db.query<{ anonymous_id: string }>(ANONYMOUS_IDS_OF_USERS, [workspaceId, [...userIds]]);
      for (const row of rows) add(anonymousIds, row.anonymous_id);
    }
    const aliases = await db.query<{ user_id: string | null; previous_id: string | null }>(ALIASES, [workspaceId, [...userIds], [...anonymousIds]]);
    for (const row of aliases.rows) {
      add(userIds, row.user_id);
      add(userIds, row.previous_id);
      add(anonymousIds, row.previous_id);
    }
    if (userIds.size + anonymousIds.size === before) break;
  }
  return { userIds: [...userIds], anonymousIds: [...anonymousIds], emails };
}
