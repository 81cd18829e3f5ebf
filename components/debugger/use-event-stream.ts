'use client';

/**
 * The live tail of a source's events: the newest page first, then every POLL_MS the events
 * that arrived after the newest one held (`events.newer`), prepended. Changing the filter
 * starts over; pausing stops asking until resumed. "Load older" pages back with events.list.
 */
import { toaster } from 'evergreen-ui';
import { useEffect, useReducer, useState } from 'react';
import { errorMessage } from '../trpc/errors.ts';
import { useTRPCClient } from '../trpc/provider.tsx';
import type { TEventFilter } from '../trpc/types.ts';
import { initialStream, MAX_ROWS, streamReducer, type TStreamState } from './event-stream-state.ts';

export const POLL_MS = 1500;
const PAGE_SIZE = 50;
/** How many events one events.newer answer holds at most (listNewerEvents' limit). */
const NEWER_LIMIT = 100;

export interface TEventStream extends TStreamState {
  /** More events exist before the oldest row and the row limit leaves room for them. */
  canLoadOlder: boolean;
  /** The row limit is reached: older events are only reachable by narrowing the filters. */
  isCapped: boolean;
  loadOlder: () => void;
  retry: () => void;
}

export function useEventStream({ workspaceId, filter, isPaused }: { workspaceId: string; filter: TEventFilter; isPaused: boolean }): TEventStream {
  const client = useTRPCClient();
  const key = JSON.stringify(filter);
  const [stored, dispatch] = useReducer(streamReducer, key, initialStream);
  const [attempt, setAttempt] = useState(0);
  // Until the first page for a new filter is in, the rows of the previous filter are not shown.
  const state = stored.key === key ? stored : initialStream(key);
  const newestCursor = state.events[0]?.cursor ?? null;

  useEffect(() => {
    let isActive = true;
    const query: TEventFilter = JSON.parse(key);
    client.events.list.query({ workspaceId, ...query, limit: PAGE_SIZE }).then(
      (page) => isActive && dispatch({ type: 'loaded', key, events: page.data, nextCursor: page.nextCursor }),
      (error: unknown) => isActive && dispatch({ type: 'failed', key, error }),
    );
    return () => {
      isActive = false;
    };
  }, [client, workspaceId, key, attempt]);

  const isPolling = state.status === 'ready' && !isPaused;
  useEffect(() => {
    if (!isPolling) return;
    let isActive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const query: TEventFilter = JSON.parse(key);
    const tick = async () => {
      try {
        if (newestCursor) {
          const fresh = await client.events.newer.query({ workspaceId, filter: query, since: newestCursor });
          if (!isActive) return;
          if (fresh.length >= NEWER_LIMIT) {
            // A burst: jump to the newest events rather than walk through all of them.
            const page = await client.events.list.query({ workspaceId, ...query, limit: PAGE_SIZE });
            if (!isActive) return;
            return dispatch({ type: 'jumped', key, events: page.data, nextCursor: page.nextCursor });
          }
          // A new newest row re-runs this effect, which continues from it.
          if (fresh.length > 0) return dispatch({ type: 'arrived', key, events: fresh.reverse() });
        } else {
          const page = await client.events.list.query({ workspaceId, ...query, limit: PAGE_SIZE });
          if (!isActive) return;
          if (page.data.length > 0) return dispatch({ type: 'arrived', key, events: page.data, nextCursor: page.nextCursor });
        }
        dispatch({ type: 'polled', key });
      } catch (error) {
        if (!isActive) return;
        dispatch({ type: 'polled', key, error });
      }
      timer = setTimeout(tick, POLL_MS);
    };
    timer = setTimeout(tick, POLL_MS);
    return () => {
      isActive = false;
      clearTimeout(timer);
    };
  }, [client, workspaceId, key, isPolling, newestCursor]);

  const canLoadOlder = state.olderCursor !== null && state.events.length < MAX_ROWS;
  return {
    ...state,
    canLoadOlder,
    isCapped: state.olderCursor !== null && !canLoadOlder,
    retry: () => {
      dispatch({ type: 'load', key });
      setAttempt((n) => n + 1);
    },
    loadOlder: () => {
      const cursor = state.olderCursor;
      if (!cursor || state.isLoadingOlder) return;
      dispatch({ type: 'loadOlder', key });
      client.events.list.query({ workspaceId, ...filter, limit: PAGE_SIZE, cursor }).then(
        (page) => dispatch({ type: 'older', key, events: page.data, nextCursor: page.nextCursor }),
        (error: unknown) => {
          dispatch({ type: 'older', key, events: [], nextCursor: cursor, error });
          toaster.danger('Older events could not be loaded', { description: errorMessage(error) });
        },
      );
    },
  };
}
