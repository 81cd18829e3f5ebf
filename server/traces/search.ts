/**
 * Support search: every event of a workspace matching an identifier (or all, when there is
 * no query), newest first, in a time range, a page at a time, each with one badge per
 * destination. Used by the search page, GET /api/v1/events and the overview's samples.
 */
import type { Db } from '../db/client.ts';
import { AppError } from '../errors/app-error.ts';
import { decodeCursor, encodeCursor, MAX_UUID } from './cursor.ts';
import { statesOfEvent, type TDestinationInfo, type TJobStateRow } from './delivery-states.ts';
import { identityKey, parseIdentityQuery, type TIdentity } from './identity.ts';
import type { TSearchInput, TSearchPage, TSearchRow } from './schemas.ts';
import { BROWSE_EVENTS, JOB_STATES, SEARCH_BY_IDENTITY } from './sql/search.ts';

const DAY_MS = 86_400_000;
export const DEFAULT_SEARCH_DAYS = 30;

/** The columns of an event both the search rows and the trace read (trace.ts adds the rest). */
export interface TEventSummaryRow {
  id: string;
  source_id: string;
  message_id: string;
  type: string;
  name: string | null;
  user_id: string | null;
  anonymous_id: string | null;
  received_at: Date;
  timestamp: Date;
  pipeline: Record<string, unknown> | null;
  email: string | null;
}

/** The identities a search input names: explicit fields first, then the free query. */
export function identitiesOfInput(input: TSearchInput): TIdentity[] {
  const explicit: TIdentity[] = [];
  if (input.userId) explicit.push({ kind: 'user', value: input.userId });
  if (input.anonymousId) explicit.push({ kind: 'anon', value: input.anonymousId });
  if (input.email) explicit.push({ kind: 'email', value: input.email });
  if (input.messageId) explicit.push({ kind: 'message', value: input.messageId });
  return explicit.length > 0 ? explicit : parseIdentityQuery(input.q ?? '');
}

export async function workspaceDestinations(db: Db, workspaceId: string): Promise<TDestinationInfo[]> {
  return db.destination.findMany({ where: { workspaceId }, select: { id: true, name: true, sourceId: true, type: true } });
}

export async function searchEvents({ db, workspaceId, input, now = new Date() }: { db: Db; workspaceId: string; input: TSearchInput; now?: Date }): Promise<TSearchPage> {
  const to = input.to ?? now;
  const from = input.from ?? new Date(to.getTime() - DEFAULT_SEARCH_DAYS * DAY_MS);
  if (from.getTime() > to.getTime()) throw new AppError('BAD_REQUEST', 'from must not be after to', { issues: { from: 'from must not be after to' } });
  const after = input.cursor ? decodeCursor(input.cursor) : { receivedAt: to, id: MAX_UUID };
  const limit = input.limit;
  const identities = identitiesOfInput(input);
  const hasQuery = Boolean(input.q?.trim() || input.userId || input.anonymousId || input.email || input.messageId);
  if (hasQuery && identities.length === 0) return { data: [], nextCursor: null };

  let rows: TEventSummaryRow[];
  let nextCursor: string | null = null;
  if (identities.length > 0) {
    const keys = identities.map((identity) => identityKey(workspaceId, identity).toString());
    const hits = await db.$queryRawUnsafe<Array<TEventSummaryRow & { hit_at: Date; hit_id: string }>>(SEARCH_BY_IDENTITY, keys, from, after.receivedAt, after.id, limit + 1, workspaceId, input.sourceId ?? null, input.type ?? null);
    const page = hits.slice(0, limit);
    if (hits.length > limit) nextCursor = encodeCursor({ receivedAt: page[page.length - 1].hit_at, id: page[page.length - 1].hit_id });
    rows = page.filter((hit) => hit.id !== null);
  } else {
    const found = await db.$queryRawUnsafe<TEventSummaryRow[]>(BROWSE_EVENTS, workspaceId, input.sourceId ?? null, from, after.receivedAt, after.id, limit + 1, input.type ?? null);
    rows = found.slice(0, limit);
    if (found.length > limit) nextCursor = encodeCursor({ receivedAt: rows[rows.length - 1].received_at, id: rows[rows.length - 1].id });
  }
  return { data: await withBadges(db, workspaceId, rows), nextCursor };
}

async function withBadges(db: Db, workspaceId: string, rows: TEventSummaryRow[]): Promise<TSearchRow[]> {
  if (rows.length === 0) return [];
  const earliest = new Date(Math.min(...rows.map((row) => row.received_at.getTime())));
  const [jobs, destinations, sources] = await Promise.all([
    db.$queryRawUnsafe<TJobStateRow[]>(JOB_STATES, rows.map((row) => row.id), earliest),
    workspaceDestinations(db, workspaceId),
    db.source.findMany({ where: { workspaceId }, select: { id: true, name: true } }),
  ]);
  const names = new Map(destinations.map((d) => [d.id, d.name]));
  const sourceNames = new Map(sources.map((s) => [s.id, s.name]));
  const jobsByEvent = new Map<string, TJobStateRow[]>();
  for (const job of jobs) jobsByEvent.set(job.event_id, [...(jobsByEvent.get(job.event_id) ?? []), job]);
  return rows.map((row) => ({
    id: row.id,
    sourceId: row.source_id,
    sourceName: sourceNames.get(row.source_id) ?? 'deleted source',
    messageId: row.message_id,
    type: row.type,
    name: row.name,
    userId: row.user_id,
    anonymousId: row.anonymous_id,
    email: row.email,
    receivedAt: row.received_at,
    timestamp: row.timestamp,
    deliveries: statesOfEvent({ pipeline: row.pipeline ?? {}, sourceId: row.source_id, jobs: jobsByEvent.get(row.id) ?? [], destinations }).map((s) => ({
      destinationId: s.destinationId,
      destinationName: names.get(s.destinationId) ?? 'deleted destination',
      state: s.state,
      lastResult: s.job?.status_code ? String(s.job.status_code) : (s.job?.error_code ?? null),
      attempts: s.job?.attempt ?? 0,
      reason: s.reason,
    })),
  }));
}
