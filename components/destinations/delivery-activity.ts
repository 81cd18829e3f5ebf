/**
 * What the destination page's Activity card reads: the shapes of `destinations.activity`,
 * how each attempt outcome is named and coloured, and small formatters for its numbers.
 */
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/api/root.ts';

export type TDestinationActivity = inferRouterOutputs<AppRouter>['destinations']['activity'];
export type TDeliveryAttempt = TDestinationActivity['recentAttempts'][number];
export type TDeliveryStatus = TDestinationActivity['status'];

type TBadgeColor = 'neutral' | 'blue' | 'red' | 'yellow' | 'green';

export interface TOutcomeStyle {
  label: string;
  color: TBadgeColor;
  /** Shown when hovering the badge. */
  meaning: string;
}

export const OUTCOMES: Record<string, TOutcomeStyle> = {
  succeeded: { label: 'Succeeded', color: 'green', meaning: 'The endpoint answered 2xx: delivered.' },
  awaiting_retry: { label: 'Retrying', color: 'yellow', meaning: 'The endpoint failed (5xx, 429, timeout or network error); Switchyard tries again at the next retry time.' },
  discarded: { label: 'Discarded', color: 'red', meaning: 'The endpoint refused the event (a 4xx answer) or cannot be reached at all; it is not retried.' },
  archived: { label: 'Archived', color: 'neutral', meaning: 'Every retry failed within the retry window; the event was archived and can be replayed.' },
  skipped: { label: 'Skipped', color: 'neutral', meaning: 'This destination does not take this kind of call (for example an alias call to Amplitude); nothing was sent.' },
  replayed: { label: 'Replayed', color: 'blue', meaning: 'An editor replayed this event; it is delivered again as a new job.' },
};

export function outcomeOf(state: string): TOutcomeStyle {
  return OUTCOMES[state] ?? { label: state, color: 'neutral', meaning: state };
}

/** 38 → "38 ms", 1520 → "1.5 s". */
export function formatLatency(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** "in 12 s", "in 4 min": when the next attempt of a retrying job is due. */
export function formatRetryIn(date: Date, now: Date): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  if (seconds <= 0) return 'due now';
  if (seconds < 60) return `in ${seconds} s`;
  if (seconds < 3600) return `in ${Math.round(seconds / 60)} min`;
  return `in ${Math.round(seconds / 3600)} h`;
}

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

