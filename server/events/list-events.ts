/**
 * Stored events, newest first, with keyset pagination on (receivedAt, id) so pages stay
 * fast however many events a source has. Used by the source debugger and GET /api/v1/events.
 */
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import type { Prisma } from '../db/generated/client.ts';
import { AppError } from '../errors/app-error.ts';
import { MAX_UUID } from '../traces/cursor.ts';
import { identityKey, parseIdentityQuery, type TIdentity } from '../traces/identity.ts';
import { IDENTITY_HITS } from '../traces/sql/search.ts';

export const ZEventView = z.object({
  id: z.string(),
  sourceId: z.string(),
  messageId: z.string(),
  type: z.string(),
  name: z.string().nullable(),
  userId: z.string().nullable(),
  anonymousId: z.string().nullable(),
  receivedAt: z.date(),
  timestamp: z.date(),
  payload: z.unknown(),
  pipeline: z.unknown(),
  /** This event's position: pass it as `since` to events.newer (or as a list cursor for what is older). */
  cursor: z.string(),
});

export type TEventView = z.infer<typeof ZEventView>;

export const ZEventFilter = z.object({
  sourceId: z.uuid().optional(),
  userId: z.string().max(512).optional(),
  anonymousId: z.string().max(512).optional(),
  messageId: z.string().max(512).optional(),
  type: z.enum(['track', 'identify', 'page', 'screen', 'group', 'alias']).optional(),
  /** Event name (track) or page/screen name, exact. */
  name: z.string().max(512).optional(),
  /** Matches userId or anonymousId, exact. */
  user: z.string().max(512).optional(),
  /** E-mail from traits.email, context.traits.email or properties.email, any case. */
  email: z.string().max(320).optional(),
  /** Any identifier: user ID, anonymous ID, e-mail or message ID (prefix email:, user:, anon:, message: to narrow). */
  q: z.string().max(600).optional(),
  /** Oldest receivedAt, ISO-8601. */
  from: z.coerce.date().optional(),
  /** Newest receivedAt (exclusive), ISO-8601. */
  to: z.coerce.date().optional(),
});

export type TEventFilter = z.infer<typeof ZEventFilter>;

/** A page of events: the filter's fields, a page size and the cursor of the page before. */
export const ZEventPageInput = ZEventFilter.extend({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).nullish().describe('nextCursor of the page before'),
});

export function encodeCursor(event: { receivedAt: Date; id: string }): string {
  return Buffer.from(`${event.receivedAt.toISOString()}|${event.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { receivedAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const receivedAt = new Date(at);
  if (!id || Number.isNaN(receivedAt.getTime()) || !z.uuid().safeParse(id).success) throw new AppError('BAD_REQUEST', 'cursor is not valid; pass nextCursor from the previous page');
  return { receivedAt, id };
}

function identitiesOf(filter: TEventFilter): TIdentity[] {
  const list: TIdentity[] = [];
  if (filter.userId) list.push({ kind: 'user', value: filter.userId });
  if (filter.anonymousId) list.push({ kind: 'anon', value: filter.anonymousId });
  if (filter.messageId) list.push({ kind: 'message', value: filter.messageId });
  if (filter.user) list.push({ kind: 'user', value: filter.user }, { kind: 'anon', value: filter.user });
  if (filter.email) list.push({ kind: 'email', value: filter.email });
  if (filter.q?.trim()) list.push(...parseIdentityQuery(filter.q));
  return list;
}

const HIT_BATCH = 500;

/**
 * Events filtered by an identifier come through the identity lookup (events has no index per
 * identifier): hits are read newest first in batches and matched against the other filters,
 * until `want` events are found or the hits run out. Returns the events' keys, newest first.
 */
async function identityMatches(db: Db, workspaceId: string, filter: TEventFilter, { before, after, want }: { before: { receivedAt: Date; id: string } | null; after: { receivedAt: Date; id: string } | null; want: number }): Promise<Array<{ receivedAt: Date; id: string }>> {
  const keys = identitiesOf(filter).map((identity) => identityKey(workspaceId, identity).toString());
  const found: Array<{ receivedAt: Date; id: string }> = [];
  let cursor = before ?? { receivedAt: new Date(8.64e15), id: MAX_UUID };
  for (;;) {
    const hits = await db.$queryRawUnsafe<Array<{ received_at: Date; event_id: string }>>(IDENTITY_HITS, keys, after?.receivedAt ?? new Date(0), cursor.receivedAt, cursor.id, HIT_BATCH);
    const candidates = hits.filter((hit) => !after || hit.received_at > after.receivedAt || (hit.received_at.getTime() === after.receivedAt.getTime() && hit.event_id > after.id));
    if (candidates.length > 0) {
      // The other filters (workspace, source, type, time…) are checked here, on the candidates only.
      const rows = await db.event.findMany({ where: { AND: [where(workspaceId, filter), { OR: candidates.map((c) => ({ receivedAt: c.received_at, id: c.event_id })) }] }, select: { receivedAt: true, id: true } });
      found.push(...rows);
    }
    if (found.length >= want || hits.length < HIT_BATCH) break;
    cursor = { receivedAt: hits[hits.length - 1].received_at, id: hits[hits.length - 1].event_id };
  }
  return found;
}

function where(workspaceId: string, filter: TEventFilter): Prisma.EventWhereInput {
  return {
    workspaceId,
    ...(filter.sourceId ? { sourceId: filter.sourceId } : {}),
    ...(filter.userId ? { userId: filter.userId } : {}),
    ...(filter.anonymousId ? { anonymousId: filter.anonymousId } : {}),
    ...(filter.messageId ? { messageId: filter.messageId } : {}),
    ...(filter.type ? { type: filter.type } : {}),
    ...(filter.name ? { name: filter.name } : {}),
    ...(filter.user ? { OR: [{ userId: filter.user }, { anonymousId: filter.user }] } : {}),
    ...(filter.from || filter.to ? { receivedAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } } : {}),
  };
}

function toView(row: Prisma.EventGetPayload<object>): TEventView {
  const { id, sourceId, messageId, type, name, userId, anonymousId, receivedAt, timestamp, payload, pipeline } = row;
  return { id, sourceId, messageId, type, name, userId, anonymousId, receivedAt, timestamp, payload, pipeline, cursor: encodeCursor(row) };
}

/** A page of events older than `cursor` (or the newest), and the cursor of the next page. */
export async function listEvents({ db, workspaceId, filter, limit = 50, cursor }: { db: Db; workspaceId: string; filter: TEventFilter; limit?: number; cursor?: string | null }): Promise<{ events: TEventView[]; nextCursor: string | null }> {
  const after = cursor ? decodeCursor(cursor) : null;
  const matches = identitiesOf(filter).length > 0 ? await identityMatches(db, workspaceId, filter, { before: after, after: null, want: limit + 1 }) : null;
  const rows = await db.event.findMany({
    where: {
      AND: [
        where(workspaceId, filter),
        ...(matches ? [{ OR: matches.length ? matches.map((m) => ({ receivedAt: m.receivedAt, id: m.id })) : [{ id: MAX_UUID }] }] : []),
        ...(after ? [{ OR: [{ receivedAt: { lt: after.receivedAt } }, { receivedAt: after.receivedAt, id: { lt: after.id } }] }] : []),
      ],
    },
    orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return { events: page.map(toView), nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]) : null };
}

/** Events newer than `since` (a cursor of the newest event the caller has), oldest first, for live views. */
export async function listNewerEvents({ db, workspaceId, filter, since, limit = 100 }: { db: Db; workspaceId: string; filter: TEventFilter; since: string; limit?: number }): Promise<TEventView[]> {
  const from = decodeCursor(since);
  const matches = identitiesOf(filter).length > 0 ? await identityMatches(db, workspaceId, filter, { before: null, after: from, want: 10_000 }) : null;
  const rows = await db.event.findMany({
    where: { AND: [where(workspaceId, filter), ...(matches ? [{ OR: matches.length ? matches.map((m) => ({ receivedAt: m.receivedAt, id: m.id })) : [{ id: MAX_UUID }] }] : []), { OR: [{ receivedAt: { gt: from.receivedAt } }, { receivedAt: from.receivedAt, id: { gt: from.id } }] }] },
    orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
    take: limit,
  });
  return rows.map(toView);
}
