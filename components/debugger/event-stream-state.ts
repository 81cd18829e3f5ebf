/**
 * What the debugger holds of one stream: the latest events (newest first, at most
 * MAX_ROWS), where "Load older" continues, and which rows just arrived. Every answer names
 * the filter it was asked for (`key`), so a late answer for an earlier filter is ignored.
 */
import type { TEventView } from '../trpc/types.ts';

export const MAX_ROWS = 200;

export interface TStreamState {
  key: string;
  status: 'loading' | 'ready' | 'error';
  events: TEventView[];
  /** Cursor of the oldest row held, when there may be older events; null when there are none. */
  olderCursor: string | null;
  /** Rows that came in live with the latest arrival (highlighted once). */
  freshIds: ReadonlySet<string>;
  isLoadingOlder: boolean;
  error: unknown;
  /** The last live check failed; the stream keeps trying. */
  pollError: unknown;
}

export type TStreamAction =
  | { type: 'load'; key: string }
  | { type: 'loaded'; key: string; events: TEventView[]; nextCursor: string | null }
  | { type: 'failed'; key: string; error: unknown }
  | { type: 'arrived'; key: string; events: TEventView[]; nextCursor?: string | null }
  | { type: 'jumped'; key: string; events: TEventView[]; nextCursor: string | null }
  | { type: 'polled'; key: string; error?: unknown }
  | { type: 'loadOlder'; key: string }
  | { type: 'older'; key: string; events: TEventView[]; nextCursor: string | null; error?: unknown };

const NONE: ReadonlySet<string> = new Set();

export function initialStream(key: string): TStreamState {
  return { key, status: 'loading', events: [], olderCursor: null, freshIds: NONE, isLoadingOlder: false, error: null, pollError: null };
}

/** Keeps the newest MAX_ROWS; when rows are dropped, "Load older" continues after the last one kept. */
function capped(state: TStreamState, events: TEventView[]): TStreamState {
  if (events.length <= MAX_ROWS) return { ...state, events };
  const kept = events.slice(0, MAX_ROWS);
  return { ...state, events: kept, olderCursor: kept[kept.length - 1].cursor };
}

export function streamReducer(state: TStreamState, action: TStreamAction): TStreamState {
  // A first page starts the stream for its filter; every later answer must be for that filter.
  if (action.type === 'load') return initialStream(action.key);
  if (action.type === 'loaded') return { ...initialStream(action.key), status: 'ready', events: action.events, olderCursor: action.nextCursor };
  if (action.key !== state.key) return state;
  switch (action.type) {
    case 'failed':
      return { ...state, status: 'error', error: action.error };
    case 'arrived': {
      const known = new Set(state.events.map((e) => e.id));
      const fresh = action.events.filter((e) => !known.has(e.id));
      const olderCursor = state.events.length === 0 ? (action.nextCursor ?? null) : state.olderCursor;
      if (fresh.length === 0) return state.pollError ? { ...state, pollError: null } : state;
      return capped({ ...state, olderCursor, pollError: null, freshIds: new Set(fresh.map((e) => e.id)) }, [...fresh, ...state.events]);
    }
    case 'jumped': {
      // Far behind after a burst: the newest page replaces the rows, so the list has no gap.
      const known = new Set(state.events.map((e) => e.id));
      return { ...state, events: action.events, olderCursor: action.nextCursor, pollError: null, freshIds: new Set(action.events.filter((e) => !known.has(e.id)).map((e) => e.id)) };
    }
    case 'polled':
      if (!action.error && !state.pollError) return state;
      return { ...state, pollError: action.error ?? null };
    case 'loadOlder':
      return { ...state, isLoadingOlder: true };
    case 'older': {
      if (action.error) return { ...state, isLoadingOlder: false };
      const known = new Set(state.events.map((e) => e.id));
      const events = [...state.events, ...action.events.filter((e) => !known.has(e.id))];
      return { ...capped(state, events), isLoadingOlder: false, ...(events.length > MAX_ROWS ? {} : { olderCursor: action.nextCursor }) };
    }
  }
}
