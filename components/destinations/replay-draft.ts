/**
 * The Replay form's state: two `datetime-local` values (the browser's time zone) and the
 * ended states to replay, checked here before the server sees them.
 */

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

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** A Date as a `datetime-local` value in the browser's time zone, to the minute. */
export function toLocalInput(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The last 24 hours, archived events only (the usual case: an outage that outlasted the retries). */
export function replayDraft(now: Date): TReplayDraft {
  return { from: toLocalInput(new Date(now.getTime() - DAY_MS)), to: toLocalInput(now), states: ['archived'] };
}

function parseLocal(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The range to send, or what is wrong with the draft. `to` covers its whole minute. */
export function readReplayDraft(draft: TReplayDraft): { range: TReplayRange | null; errors: Partial<Record<'from' | 'to' | 'states', string>> } {
  const from = parseLocal(draft.from);
  const to = parseLocal(draft.to);
  const errors: Partial<Record<'from' | 'to' | 'states', string>> = {};
  if (!from) errors.from = 'Enter a date and time';
  if (!to) errors.to = 'Enter a date and time';
  if (from && to && from > to) errors.to = 'Must be after the start';
  if (draft.states.length === 0) errors.states = 'Choose archived, discarded or both.';
  if (!from || !to || Object.keys(errors).length > 0) return { range: null, errors };
  return { range: { from, to: new Date(to.getTime() + 59_999), states: draft.states }, errors };
}
