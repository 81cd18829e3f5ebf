/**
 * The Replay form's state: two date-and-time texts written the way the rest of the product
 * writes them ("2 Dec 2026, 13:06", the browser's time zone; a native datetime-local input
 * would show "12/01/2026, 01:06 PM" in an en-US browser) and the ended states to replay,
 * checked here before the server sees them.
 */
import { formatDateTime, parseDateTime } from '../common/format.ts';

export type TReplayState = 'archived' | 'discarded';

export interface TReplayDraft {
  from: string;
  to: string;
  states: TReplayState[];
}

export interface TReplayRange {
  from: Date;
  to: Date;
  states: TReplayState[];
}

const DAY_MS = 86_400_000;

/** A Date as the inputs show it, in the browser's time zone, to the minute. */
export function toLocalInput(date: Date): string {
  return formatDateTime(date);
}

/** The last 24 hours, archived events only (the usual case: an outage that outlasted the retries). */
export function replayDraft(now: Date): TReplayDraft {
  return { from: toLocalInput(new Date(now.getTime() - DAY_MS)), to: toLocalInput(now), states: ['archived'] };
}

const EXAMPLE = 'Enter a date and time like 2 Dec 2026, 13:06';

/** The range to send, or what is wrong with the draft. `to` covers its whole minute. */
export function readReplayDraft(draft: TReplayDraft): { range: TReplayRange | null; errors: Partial<Record<'from' | 'to' | 'states', string>> } {
  const from = parseDateTime(draft.from);
  const to = parseDateTime(draft.to);
  const errors: Partial<Record<'from' | 'to' | 'states', string>> = {};
  if (!from) errors.from = EXAMPLE;
  if (!to) errors.to = EXAMPLE;
  if (from && to && from > to) errors.to = 'Must be after the start';
  if (draft.states.length === 0) errors.states = 'Choose archived, discarded or both.';
  if (!from || !to || Object.keys(errors).length > 0) return { range: null, errors };
  return { range: { from, to: new Date(to.getTime() + 59_999), states: draft.states }, errors };
}
