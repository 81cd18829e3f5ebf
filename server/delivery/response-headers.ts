/**
 * The response headers kept with each attempt, for the trace: the ones that explain an
 * answer (its content type, when to come back, how much quota is left, the partner's request
 * id to quote to their support), not the rest (dates, caching, cookies, CORS…). Bounded so an
 * attempt stays small: at most MAX_HEADERS headers of at most MAX_VALUE characters each.
 */

const KEPT = [
  /^content-type$/,
  /^retry-after$/,
  /^location$/, // where an unfollowed redirect pointed
  /^www-authenticate$/,
  /^(x-)?rate-?limit(-|$)/, // x-ratelimit-remaining, ratelimit-reset, ratelimit, x-rate-limit-limit …
  /^ratelimit-policy$/,
  /request-?id$/, // x-request-id, request-id, x-amzn-requestid, x-github-request-id …
  /^x-amz-(cf-)?id/,
  /correlation-?id$/,
  /trace-?id$/,
  /^cf-ray$/,
  /^server$/, // tells a partner's answer from a proxy's (cloudflare, nginx, awselb)
];

export const MAX_HEADERS = 12;
export const MAX_VALUE = 200;

/** Decisions by header name: every answer repeats the same few names, and twelve patterns per name showed in the worker's profile (~4 µs per delivery). Bounded: names are the partner's to choose. */
const decided = new Map<string, boolean>();
const MAX_DECIDED = 2_000;

export function isKeptResponseHeader(name: string): boolean {
  let isKept = decided.get(name);
  if (isKept === undefined) {
    const lower = name.toLowerCase();
    isKept = KEPT.some((pattern) => pattern.test(lower));
    if (decided.size < MAX_DECIDED) decided.set(name, isKept);
  }
  return isKept;
}

/** The kept headers of an answer, names lower-cased, repeated ones joined with ", ". */
export function keptResponseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  let count = 0;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || !isKeptResponseHeader(name)) continue;
    const text = (Array.isArray(value) ? value.join(', ') : value).replaceAll('\u0000', '');
    kept[name.toLowerCase()] = text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
    if (++count >= MAX_HEADERS) break;
  }
  return kept;
}
