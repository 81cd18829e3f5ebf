/**
 * Dates and durations as people read them, the one module the whole UI formats with:
 * `2 Dec 2026, 13:06` everywhere (also in date inputs, which parse the same form back),
 * relative times that do not change wording from one minute to the next ("in 7 days",
 * never "next week" first), and durations like "1 min 30 s".
 */

const DATE_TIME = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
const DATE_TIME_SECONDS = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });
const DATE = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium' });
const TIME = new Intl.DateTimeFormat('en-GB', { timeStyle: 'medium' });
const TIME_SHORT = new Intl.DateTimeFormat('en-GB', { timeStyle: 'short' });
// numeric: 'always' — "auto" says "next week" for 7 days and "in 7 days" a minute later.
const RELATIVE = new Intl.RelativeTimeFormat('en', { numeric: 'always' });

/** "2 Dec 2026, 13:06" (or "2 Dec 2026, 13:06:32" with seconds). */
export function formatDateTime(date: Date, options: { seconds?: boolean } = {}): string {
  return (options.seconds ? DATE_TIME_SECONDS : DATE_TIME).format(date);
}

/** "13:06:32": a time today, next to a date shown elsewhere. */
export function formatTime(date: Date): string {
  return TIME.format(date);
}

/** "13:00": an hour on a chart's axis. */
export function formatClock(date: Date): string {
  return TIME_SHORT.format(date);
}

/** "2 Dec 2026". */
export function formatDate(date: Date): string {
  return DATE.format(date);
}

// Weeks are left out on purpose: "in 7 days" reads the same a minute later, "in 1 week" would not.
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** "3 minutes ago", "in 7 days", "just now". */
export function formatRelative(date: Date, now = new Date()): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  for (const [unit, size] of UNITS) {
    // A unit is used from 1 of it on, except months from 45 days and years from 18 months,
    // so "in 30 days" does not turn into "in 1 month" and back as days pass.
    const threshold = unit === 'month' ? 45 * 86_400 : unit === 'year' ? 545 * 86_400 : size;
    if (Math.abs(seconds) >= threshold) return RELATIVE.format(Math.round(seconds / size), unit);
  }
  return 'just now';
}

const COUNT = new Intl.NumberFormat('en-GB');

/** 12345 → "12,345". */
export function formatCount(value: number): string {
  return COUNT.format(value);
}

/** 14400 → "4 h", 90 → "1 min 30 s". */
export function formatSeconds(total: number): string {
  const parts: string[] = [];
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3_600);
  const minutes = Math.floor((total % 3_600) / 60);
  const seconds = total % 60;
  if (days) parts.push(`${days} d`);
  if (hours) parts.push(`${hours} h`);
  if (minutes) parts.push(`${minutes} min`);
  if (seconds || parts.length === 0) parts.push(`${seconds} s`);
  return parts.join(' ');
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Reads a date and time typed the way this module writes them, in the browser's time zone:
 * "2 Dec 2026, 13:06" (comma optional, month names of three letters or more), or ISO-like
 * "2026-12-02 13:06". Null when it is not one of these or not a real date.
 */
export function parseDateTime(text: string): Date | null {
  const value = text.trim();
  let year: number, month: number, day: number, hour: number, minute: number;
  const written = /^(\d{1,2})\s+([a-z]{3,})\.?\s+(\d{4}),?\s+(\d{1,2}):(\d{2})$/i.exec(value);
  const iso = /^(\d{4})-(\d{2})-(\d{2})[T\s](\d{1,2}):(\d{2})$/.exec(value);
  if (written) {
    month = MONTHS.indexOf(written[2].slice(0, 3).toLowerCase());
    if (month < 0) return null;
    [day, year, hour, minute] = [Number(written[1]), Number(written[3]), Number(written[4]), Number(written[5])];
  } else if (iso) {
    [year, month, day, hour, minute] = [Number(iso[1]), Number(iso[2]) - 1, Number(iso[3]), Number(iso[4]), Number(iso[5])];
  } else {
    return null;
  }
  if (hour > 23 || minute > 59) return null;
  const date = new Date(year, month, day, hour, minute);
  if (date.getFullYear() !== year || date.getMonth() !== month || date.getDate() !== day) return null;
  return date;
}
