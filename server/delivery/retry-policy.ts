/**
 * The retry decision, as one pure function of (outcome, attempt, job age, Retry-After,
 * tuning, randomness), following DESIGN.md's table (from Segment's study of a day of HTTP
 * responses): 2xx succeeded; 429, 408 and 5xx other than 501 and network errors are
 * retried with capped, jittered exponential backoff inside the job's window; every other
 * answer is discarded; a job whose next try would fall past its window is archived.
 * An outcome that is about the destination's settings rather than the event (a blocked
 * address, an unknown host, an unparseable URL, a missing credential) is `held`: no attempt
 * is used up, and the destination waits for its settings to change (flow.ts).
 */

/** What the HTTP sender can report: an answer, or no answer. */
export type TSentOutcome =
  | { kind: 'http'; status: number; latencyMs: number; bodyExcerpt: string; retryAfterSeconds?: number | null; headers?: Record<string, string | string[] | undefined> }
  /** `isNotSent`: given up before sending (too little of the job's lease left): retried like a timeout, but it says nothing about the partner. */
  | { kind: 'network'; code: string; latencyMs: number; message?: string; isNotSent?: boolean };

export type TAttemptOutcome =
  | TSentOutcome
  /** Not sent: the destination's settings cannot work (any destination type may return this). */
  | { kind: 'config'; code: string; latencyMs: 0; message: string };

export type TDecision =
  | { state: 'succeeded' }
  | { state: 'discarded'; reason: string }
  | { state: 'awaiting_retry'; retryAt: Date; reason: string }
  | { state: 'archived'; reason: string }
  | { state: 'held'; code: string; reason: string };

export interface TRetryTuning {
  minBackoffSeconds: number;
  maxBackoffSeconds: number;
}

export const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN',
  'ETIMEDOUT', 'EPIPE', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_SOCKET',
  'UND_ERR_CLOSED', 'TIMEOUT',
]);

/**
 * Network errors that say the destination's settings are wrong (its URL names a refused
 * private address, a host that does not exist, a certificate for another name): retrying
 * the event cannot help, changing the settings can, so the destination is held.
 */
export const CONFIG_NETWORK_CODES = new Set(['BLOCKED_ADDRESS', 'INVALID_URL', 'ENOTFOUND', 'ERR_TLS_CERT_ALTNAME_INVALID']);

const CONFIG_EXPLANATIONS: Record<string, string> = {
  BLOCKED_ADDRESS: 'the URL resolves to a blocked address',
  INVALID_URL: 'the URL cannot be parsed',
  ENOTFOUND: 'the host name does not exist',
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's certificate is for another host name",
  MISSING_CREDENTIAL: 'a credential is missing',
  INVALID_SETTINGS: 'its settings are not valid',
};

/** "the URL resolves to a blocked address (10.0.0.5 is a private address …)". */
export function explainConfigProblem(code: string, message?: string): string {
  const what = CONFIG_EXPLANATIONS[code] ?? code;
  return message ? `${what} (${message})` : what;
}

export function classifyStatus(status: number): 'succeeded' | 'retry' | 'discard' {
  if (!Number.isInteger(status) || status < 100 || status > 599) return 'discard';
  if (status >= 200 && status < 300) return 'succeeded';
  if (status === 429 || status === 408) return 'retry';
  if (status >= 500 && status !== 501) return 'retry';
  return 'discard';
}

/** Delay before attempt `attempt + 1` (attempt counts from 1): full jitter over an exponential, capped. */
export function backoffSeconds(attempt: number, tuning: TRetryTuning, random: () => number = Math.random): number {
  const ceiling = Math.min(tuning.maxBackoffSeconds, tuning.minBackoffSeconds * 2 ** Math.max(0, attempt - 1));
  // Half fixed, half jitter: never sooner than half the exponential step, never past the cap.
  return Math.max(tuning.minBackoffSeconds, ceiling / 2 + random() * (ceiling / 2));
}

export function decide({
  outcome,
  attempt,
  now,
  expireAt,
  tuning,
  random = Math.random,
}: {
  outcome: TAttemptOutcome;
  attempt: number;
  now: Date;
  expireAt: Date;
  tuning: TRetryTuning;
  random?: () => number;
}): TDecision {
  let reason: string;
  let retryAfter: number | null = null;
  if (outcome.kind === 'http') {
    const kind = classifyStatus(outcome.status);
    if (kind === 'succeeded') return { state: 'succeeded' };
    if (kind === 'discard') return { state: 'discarded', reason: `HTTP ${outcome.status} is not retried` };
    reason = `HTTP ${outcome.status}`;
    retryAfter = outcome.retryAfterSeconds ?? null;
  } else if (outcome.kind === 'config' || CONFIG_NETWORK_CODES.has(outcome.code)) {
    return { state: 'held', code: outcome.code, reason: explainConfigProblem(outcome.code, outcome.message) };
  } else {
    if (!RETRYABLE_NETWORK_CODES.has(outcome.code)) {
      return { state: 'discarded', reason: `${outcome.code} is not retried` };
    }
    reason = outcome.code;
  }
  const delay = Math.max(backoffSeconds(attempt, tuning, random), retryAfter ?? 0);
  const retryAt = new Date(now.getTime() + delay * 1000);
  if (retryAt.getTime() > expireAt.getTime()) return { state: 'archived', reason: `${reason}; retry window ended` };
  return { state: 'awaiting_retry', retryAt, reason };
}

/** Retry-After as seconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now: Date = new Date()): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return null;
  if (/^\d+$/.test(text.trim())) return Math.min(Number(text.trim()), 86_400);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.min((date - now.getTime()) / 1000, 86_400));
}
