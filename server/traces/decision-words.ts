/**
 * What each recorded attempt decided, in the words a support engineer reads on the trace:
 * "503 is retried; next attempt at 14:02:10 UTC (attempt 3), inside the retry window that
 * ends 18:00:00 UTC". The worker decided (server/delivery/retry-policy.ts, DESIGN.md's table);
 * this only words the recorded decision.
 */

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'the destination refused the connection',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'DNS did not answer in time',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ECONNABORTED: 'the request was cut short',
  TIMEOUT: 'no complete answer within the timeout',
  BLOCKED_ADDRESS: 'the address is private and this install may not reach it',
  INVALID_URL: 'the destination URL is not valid',
  NOT_SENT: 'nothing was sent',
};

export function utcTime(date: Date): string {
  return `${date.toISOString().slice(11, 19)} UTC`;
}

function utcDateTime(date: Date): string {
  return `${date.toISOString().slice(0, 10)} ${utcTime(date)}`;
}

function what(statusCode: number | null, errorCode: string | null): string {
  if (statusCode !== null && statusCode > 0) return `HTTP ${statusCode}`;
  if (errorCode) return NETWORK_WORDS[errorCode] ? `${errorCode} (${NETWORK_WORDS[errorCode]})` : errorCode;
  return 'the attempt';
}

function whyDiscarded(statusCode: number | null, errorCode: string | null): string {
  if (statusCode !== null && statusCode > 0) {
    if (statusCode >= 300 && statusCode < 400) return 'redirects are not followed';
    if (statusCode === 418 || statusCode < 100 || statusCode > 599 || statusCode < 200) return 'the answer makes no sense for a delivery';
    if (statusCode === 501) return 'the destination does not implement this request';
    return 'a client error: the destination will refuse the same request again, so it is not retried';
  }
  if (errorCode) return 'retrying cannot fix this';
  return 'it is not retried';
}

export interface TTransitionFacts {
  state: string;
  attempt: number;
  statusCode: number | null;
  errorCode: string | null;
  retryAt: Date | null;
  retryAfterSeconds: number | null;
  responseExcerpt: string | null;
  expireAt: Date | null;
}

export function decisionInWords(t: TTransitionFacts): string {
  const result = what(t.statusCode, t.errorCode);
  switch (t.state) {
    case 'succeeded':
      return `${result} is a success: delivered${t.attempt > 1 ? ` at attempt ${t.attempt}` : ''}.`;
    case 'awaiting_retry': {
      const next = t.retryAt ? `next attempt at ${utcTime(t.retryAt)} (attempt ${t.attempt + 1})` : `attempt ${t.attempt + 1} follows`;
      const window = t.expireAt ? `, inside the retry window that ends ${utcDateTime(t.expireAt)}` : '';
      const honoured = t.retryAfterSeconds ? ` The destination asked to wait ${t.retryAfterSeconds} s (Retry-After).` : '';
      return `${result} is retried; ${next}${window}.${honoured}`;
    }
    case 'discarded':
      if (t.errorCode === 'NOT_SENT') return `Discarded without sending: ${t.responseExcerpt ?? 'nothing to send'}.`;
      return `${result}: discarded, because ${whyDiscarded(t.statusCode, t.errorCode)}.`;
    case 'archived':
      if (t.errorCode === 'NOT_SENT') return `Archived without sending: ${t.responseExcerpt ?? 'the retry window ended'}. It can be replayed.`;
      return `${result} would be retried, but the next attempt would fall after the retry window${t.expireAt ? ` (ended ${utcDateTime(t.expireAt)})` : ''}: archived. It can be replayed.`;
    case 'skipped':
      return `Not sent: ${t.responseExcerpt ?? 'the destination type does not take this event'}.`;
    case 'replayed':
      return `Re-sent as a new delivery (${t.responseExcerpt ?? 'replay'}).`;
    default:
      return t.state;
  }
}

/** 130_400 ms → "2 min 10 s". */
function heldWords(ms: number): string {
  const total = Math.max(1, Math.round(ms / 1000));
  const parts = [[Math.floor(total / 86_400), 'd'], [Math.floor((total % 86_400) / 3600), 'h'], [Math.floor((total % 3600) / 60), 'min'], [total % 60, 's']] as const;
  return parts.filter(([n]) => n > 0).map(([n, unit]) => `${n} ${unit}`).join(' ');
}

/**
 * The retry window's extension, for the trace: the time the destination was held (its jobs
 * not tried) does not use up the window. Null when nothing was added (under a second).
 */
export function windowInWords({ endsAt, heldMs, scheduledEnd }: { endsAt: Date; heldMs: number | null; scheduledEnd: Date }): string | null {
  if (heldMs === null) return `Time its destination was held more than 7 days ago is no longer kept: the retry window shown ends ${utcDateTime(scheduledEnd)} without it.`;
  if (heldMs < 1000) return null;
  return `The destination was held for ${heldWords(heldMs)} while this event waited (paused by a Retry-After, or settings that could not work) and nothing was tried meanwhile, so its retry window was extended by as much, to ${utcDateTime(endsAt)} (from ${utcDateTime(scheduledEnd)}).`;
}
