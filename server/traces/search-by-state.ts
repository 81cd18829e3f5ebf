/**
 * Events in one delivery state at one destination, newest first: what an overview step
 * (delivered, retrying, discarded, filtered …) opens. Candidates come from where that state
 * is recorded — a transition (delivered, discarded, archived), the queue (pending newest
 * first; retrying by next attempt, latest first), the event's pipeline record (filtered,
 * blocked) — found through the rollups
 * (sql/search-by-state.ts); each is then checked against the event's current badge, so a
 * job that was retried, replayed or re-sent since shows under its state now.
 */
import type { Db } from '../db/client.ts';
import { encodeCursor } from './cursor.ts';
import type { TDeliveryState } from './schemas.ts';
import { DELIVERY_CANDIDATES, DELIVERY_HOURS, LEFT_OUT_CANDIDATES, LEFT_OUT_HOURS, PENDING_CANDIDATES, RETRYING_CANDIDATES } from './sql/search-by-state.ts';

/** Where a search by state starts and how far it goes: time range, cursor, page size. */
export interface TStateWindow {
  from: Date;
  to: Date;
  /** The keyset position: the cursor's, or (to, the largest id) on the first page. */
  after: { receivedAt: Date; id: string };
  /** False on the first page (retrying jobs are ordered by their next attempt, which may be after `to`). */
  hasCursor: boolean;
  limit: number;
}

interface TCandidate {
  at: Date;
  key: string;
  event_id: string;
  event_received_at: Date;
}

export interface TStateCandidates {
  /** The candidates' events, as identity hits (newest first). */
  hits: Array<{ received_at: Date; event_id: string }>;
  nextCursor: string | null;
}

const OUTCOME_OF: Partial<Record<TDeliveryState, string>> = { delivered: 'succeeded', discarded: 'discarded', archived: 'archived' };

/**
 * The newest hours holding at least `want` of the outcome (their counts may include ones
 * before the cursor or superseded since; the hours after them are read on the next page).
 */
function chooseHours(hours: Array<{ hour: Date; count: number }>, want: number): { chosen: Date[]; hasOlder: boolean } {
  const chosen: Date[] = [];
  let total = 0;
  for (const { hour, count } of hours) {
    if (total >= want) return { chosen, hasOlder: true };
    chosen.push(hour);
    total += count;
  }
  return { chosen, hasOlder: false };
}

function pageOf(candidates: TCandidate[], limit: number, olderHours: { hasOlder: boolean; oldest: Date | null }): TStateCandidates {
  const page = candidates.slice(0, limit);
  let nextCursor: string | null = null;
  if (candidates.length > limit) nextCursor = encodeCursor({ receivedAt: page[page.length - 1].at, id: page[page.length - 1].key });
  // Fewer than a page in the hours read, but older hours hold more: continue just before them.
  else if (olderHours.hasOlder && olderHours.oldest) nextCursor = encodeCursor({ receivedAt: new Date(olderHours.oldest.getTime() - 1), id: 'ffffffff-ffff-ffff-ffff-ffffffffffff' });
  return { hits: page.map((c) => ({ received_at: c.event_received_at, event_id: c.event_id })), nextCursor };
}

export async function stateCandidates({ db, destination, state, window }: { db: Db; destination: { id: string; sourceId: string }; state: TDeliveryState; window: TStateWindow }): Promise<TStateCandidates> {
  const { from, after, limit } = window;
  const outcome = OUTCOME_OF[state];
  if (outcome) {
    const hours = await db.$queryRawUnsafe<Array<{ hour: Date; count: number }>>(DELIVERY_HOURS, destination.id, outcome, from, after.receivedAt);
    const { chosen, hasOlder } = chooseHours(hours, limit + 1);
    if (chosen.length === 0) return { hits: [], nextCursor: null };
    const candidates = await db.$queryRawUnsafe<TCandidate[]>(DELIVERY_CANDIDATES, destination.id, outcome, chosen, from, after.receivedAt, after.id, limit + 1);
    return pageOf(candidates, limit, { hasOlder, oldest: chosen.at(-1)! });
  }
  if (state === 'pending') {
    const candidates = await db.$queryRawUnsafe<TCandidate[]>(PENDING_CANDIDATES, destination.id, from, after.receivedAt, after.id, limit + 1);
    return pageOf(candidates, limit, { hasOlder: false, oldest: null });
  }
  if (state === 'retrying') {
    const candidates = await db.$queryRawUnsafe<TCandidate[]>(RETRYING_CANDIDATES, destination.id, from, window.to, window.hasCursor ? after.receivedAt : null, after.id, limit + 1);
    return pageOf(candidates, limit, { hasOlder: false, oldest: null });
  }
  const isFiltered = state === 'filtered';
  const hours = await db.$queryRawUnsafe<Array<{ hour: Date; count: number }>>(LEFT_OUT_HOURS, destination.sourceId, destination.id, isFiltered, from, after.receivedAt);
  const { chosen, hasOlder } = chooseHours(hours, limit + 1);
  if (chosen.length === 0) return { hits: [], nextCursor: null };
  const candidates = await db.$queryRawUnsafe<TCandidate[]>(LEFT_OUT_CANDIDATES, destination.sourceId, destination.id, isFiltered, chosen, from, after.receivedAt, after.id, limit + 1);
  return pageOf(candidates, limit, { hasOlder, oldest: chosen.at(-1)! });
}
