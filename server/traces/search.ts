/**
 * Support search: every event of a workspace matching an identifier (or all, when there is
 * no query), newest first, in a time range, a page at a time, each with one badge per
 * destination. Used by the search page, GET /api/v1/events and the overview's samples.
 */
import type { Db } from '../db/client.ts';
import { AppError, notFound } from '../errors/app-error.ts';
import { decodeCursor, encodeCursor, MAX_UUID } from './cursor.ts';
import { statesOfEvent, type TDestinationInfo, type TJobStateRow } from './delivery-states.ts';
import { identityKey, parseIdentityQuery, type TIdentity } from './identity.ts';
import type { TSearchInput, TSearchPage, TSearchRow } from './schemas.ts';
import { stateCandidates } from './search-by-state.ts';
import { BROWSE_EVENTS, EVENTS_BY_KEY, IDENTITY_HITS, JOB_STATES, JOBS_AFTER, REPLAY_HOURS, TRANSITION_MARGIN_DAYS } from './sql/search.ts';

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
  return db.destination.findMany({ where: { workspaceId }, select: { id: true, name: true, sourceId: true, type: true, enabled: true } });
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

  // A destination narrows the search to its source's events; with a state, to the events in that state there.
  if (input.state && !input.destinationId) throw new AppError('BAD_REQUEST', 'state needs destinationId', { issues: { state: 'a delivery state is searched at one destination: pass destinationId too' } });
  let sourceId = input.sourceId ?? null;
  const type = input.type ?? null;
  let destination: { id: string; sourceId: string } | null = null;
  if (input.destinationId) {
    destination = await db.destination.findFirst({ where: { id: input.destinationId, workspaceId }, select: { id: true, sourceId: true } });
    if (!destination) throw notFound('destination');
    if (sourceId && sourceId !== destination.sourceId) return { data: [], nextCursor: null };
    sourceId = destination.sourceId;
  }

  let rows: TEventSummaryRow[];
  let nextCursor: string | null = null;
  if (identities.length > 0) {
    const keys = identities.map((identity) => identityKey(workspaceId, identity).toString());
    const hits = await db.$queryRawUnsafe<THit[]>(IDENTITY_HITS, keys, from, after.receivedAt, after.id, limit + 1);
    const page = hits.slice(0, limit);
    if (hits.length > limit) nextCursor = encodeCursor({ receivedAt: page[page.length - 1].received_at, id: page[page.length - 1].event_id });
    // A hit whose event is outside the source / type filter is left out (it still moved the cursor).
    rows = await eventsOfHits(db, workspaceId, page, { sourceId, type });
  } else if (destination && input.state) {
    const found = await stateCandidates({ db, destination, state: input.state, window: { from, to, after, hasCursor: Boolean(input.cursor), limit } });
    nextCursor = found.nextCursor;
    rows = await eventsOfHits(db, workspaceId, found.hits, { sourceId, type });
  } else {
    const found = await db.$queryRawUnsafe<TEventSummaryRow[]>(BROWSE_EVENTS, workspaceId, sourceId, from, after.receivedAt, after.id, limit + 1, type);
    rows = found.slice(0, limit);
    if (found.length > limit) nextCursor = encodeCursor({ receivedAt: rows[rows.length - 1].received_at, id: rows[rows.length - 1].id });
  }
  const data = await withBadges(db, workspaceId, rows, now);
  // The event's state there now decides (a candidate may have been retried, replayed or re-sent since).
  const wanted = destination && input.state ? { id: destination.id, state: input.state } : null;
  return { data: wanted ? data.filter((row) => row.deliveries.some((d) => d.destinationId === wanted.id && d.state === wanted.state)) : data, nextCursor };
}

/** One row of the identity lookup. */
export interface THit {
  received_at: Date;
  event_id: string;
}

const timeRange = (times: Date[]) => [new Date(Math.min(...times.map((t) => t.getTime()))), new Date(Math.max(...times.map((t) => t.getTime())))] as const;

/** The events of these hits, newest first, read by primary key within their own partitions. */
export async function eventsOfHits(db: Db, workspaceId: string, hits: THit[], { sourceId, type }: { sourceId: string | null; type: string | null }): Promise<TEventSummaryRow[]> {
  if (hits.length === 0) return [];
  const times = hits.map((hit) => hit.received_at);
  const [oldest, newest] = timeRange(times);
  const events = await db.$queryRawUnsafe<TEventSummaryRow[]>(EVENTS_BY_KEY, times, hits.map((hit) => hit.event_id), oldest, newest, workspaceId, sourceId, type);
  const byId = new Map(events.map((event) => [event.id, event]));
  const seen = new Set<string>();
  return hits.flatMap((hit) => {
    const event = byId.get(hit.event_id);
    if (!event || seen.has(event.id)) return [];
    seen.add(event.id);
    return [event];
  });
}

/**
 * The latest state of every job of these events. Ingest's jobs share their event's
 * receivedAt (one partition each); jobs made later (a replay or re-send, which marks the
 * job it replaces `replayed`, or a re-send to a destination that had no job) are looked up
 * from the earliest time they can have, only for the events that may have one (a replay
 * past the margin of the transitions' lookup is known by its mark: replayedPastMargin).
 */
async function ingestJobStates(db: Db, rows: TEventSummaryRow[]): Promise<TJobStateRow[]> {
  const times = rows.map((row) => row.received_at);
  const [oldest, newest] = timeRange(times);
  return db.$queryRawUnsafe<TJobStateRow[]>(JOB_STATES, rows.map((row) => row.id), times, oldest, newest);
}

const MARGIN_MS = TRANSITION_MARGIN_DAYS * DAY_MS;
const HOUR_MS = 3_600_000;

/**
 * When an ended job was replayed or re-sent so long after its window that its `replayed`
 * transition lies past the margin JOB_STATES reads: the destination's replay marks (hours)
 * since then say whether, and from when, to look for a newer job. Event id → earliest time.
 * One small index read of the hourly rollups, and only for pages holding such old jobs.
 */
async function replayedPastMargin(db: Db, jobs: TJobStateRow[], now: Date): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  const old = jobs.filter((job) => job.state !== null && job.state !== 'replayed' && !job.is_queued && job.expire_at.getTime() + MARGIN_MS <= now.getTime());
  if (old.length === 0) return found;
  const since = new Date(Math.min(...old.map((job) => job.expire_at.getTime() + MARGIN_MS)));
  const marks = await db.$queryRawUnsafe<Array<{ destination_id: string; hour: Date }>>(REPLAY_HOURS, [...new Set(old.map((job) => job.destination_id))], since);
  if (marks.length === 0) return found;
  for (const job of old) {
    const margin = job.expire_at.getTime() + MARGIN_MS;
    // Marks are hours: one in the hour the margin ends in may be a replay after it.
    const mark = marks.find((m) => m.destination_id === job.destination_id && m.hour.getTime() + HOUR_MS > margin);
    if (mark) found.set(job.event_id, Math.min(found.get(job.event_id) ?? Infinity, mark.hour.getTime()));
  }
  return found;
}

async function withLaterJobs(db: Db, rows: TEventSummaryRow[], jobs: TJobStateRow[], destinations: TDestinationInfo[], now: Date): Promise<TJobStateRow[]> {
  const later = await replayedPastMargin(db, jobs, now);
  for (const row of rows) {
    const own = jobs.filter((job) => job.event_id === row.id);
    const replayed = own.filter((job) => job.state === 'replayed').map((job) => job.at!.getTime());
    // A destination of its source without a job (left out by a stage, or added since) may have been re-sent the event later.
    const hasJobless = destinations.some((d) => d.enabled && d.sourceId === row.source_id && !own.some((job) => job.destination_id === d.id));
    if (replayed.length > 0 || hasJobless) later.set(row.id, Math.min(later.get(row.id) ?? Infinity, hasJobless ? row.received_at.getTime() : Math.min(...replayed)));
  }
  if (later.size === 0) return jobs;
  const since = new Date(Math.min(...later.values()));
  const more = await db.$queryRawUnsafe<TJobStateRow[]>(JOBS_AFTER, [...later.keys()], since);
  const seen = new Set(jobs.map((job) => job.job_id));
  return [...jobs, ...more.filter((job) => !seen.has(job.job_id))];
}

async function withBadges(db: Db, workspaceId: string, rows: TEventSummaryRow[], now: Date): Promise<TSearchRow[]> {
  if (rows.length === 0) return [];
  const [destinations, sources, ingestJobs] = await Promise.all([
    workspaceDestinations(db, workspaceId),
    db.source.findMany({ where: { workspaceId }, select: { id: true, name: true } }),
    ingestJobStates(db, rows),
  ]);
  const jobs = await withLaterJobs(db, rows, ingestJobs, destinations, now);
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
