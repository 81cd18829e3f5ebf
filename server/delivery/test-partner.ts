/**
 * For delivery tests: a simulated partner with scripted behaviour, as a responder for
 * test-sink.ts (a real local HTTP server): a fixed capacity in requests per second with 429
 * above it (a token bucket, optionally with Retry-After), random 5xx at a given rate, each
 * message failing N times before it succeeds, slow answers with a limit on requests open at
 * once (503 above it), and an outage (503) before recovering. It logs every answer with the
 * partner's own clock, so tests compare what it accepted against what it could accept.
 */
import type { TSinkRequest, TSinkResponder } from './test-sink.ts';

/** Reproducible randomness for partners' random failures and simulated outcomes (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TPartnerScript {
  /** Requests per second it accepts; above that it answers 429. */
  capacityPerSecond?: number;
  /** How many requests its bucket holds (default a tenth of a second's worth, at least 1). */
  burst?: number;
  /** Retry-After (seconds) on its 429s (capacity) and 503s (outage, overload). */
  retryAfterSeconds?: number;
  /** Share of requests within capacity that get a random `errorStatus` (default 500). */
  errorRate?: number;
  errorStatus?: number;
  /** Each message (webhook-id) fails this many times with `failStatus`, then succeeds. */
  failFirst?: number;
  failStatus?: number;
  /** Retry-After (seconds) sent with the failFirst answers. */
  failRetryAfterSeconds?: number;
  /** Each answer takes this long. */
  latencyMs?: number;
  /** At most this many requests in work at once; more get 503 at once (not after latencyMs). */
  maxConcurrent?: number;
  /** From the first request on, answer 503 for this long, then recover. */
  outageMs?: number;
  random?: () => number;
}

export interface TPartnerAnswer {
  id: string;
  /** When the request arrived (ms, the partner's clock). */
  at: number;
  status: number;
  retryAfterSeconds: number | null;
  /** When its work was done and the answer written (ms, the partner's clock): `at` for refusals, `at` + latency (or later, if its timers ran late) for work. */
  doneAt: number | null;
}

export interface TPartner {
  respond: TSinkResponder;
  answers: TPartnerAnswer[];
  /** Requests open right now, and the most ever open at once. */
  open: number;
  maxOpen: number;
  /** webhook-id → accepted (2xx) count. */
  accepted: Map<string, number>;
}

export function simulatedPartner(script: TPartnerScript): TPartner {
  const random = script.random ?? Math.random;
  const rate = script.capacityPerSecond ?? null;
  const burst = script.burst ?? (rate === null ? 0 : Math.max(1, rate / 10));
  let tokens = burst;
  let refilledAt = Date.now();
  let firstAt: number | null = null;
  const failures = new Map<string, number>();
  const partner: TPartner = { respond: () => undefined, answers: [], open: 0, maxOpen: 0, accepted: new Map() };

  function decide(request: TSinkRequest): { status: number; retryAfterSeconds: number | null; isRefused: boolean } {
    const now = request.at;
    firstAt ??= now;
    const retryAfter = script.retryAfterSeconds ?? null;
    const refuse = (status: number) => ({ status, retryAfterSeconds: retryAfter, isRefused: true });
    if (script.outageMs !== undefined && now - firstAt < script.outageMs) return refuse(503);
    if (script.maxConcurrent !== undefined && partner.open >= script.maxConcurrent) return refuse(503);
    if (rate !== null) {
      tokens = Math.min(burst, tokens + ((now - refilledAt) / 1000) * rate);
      refilledAt = now;
      if (tokens < 1) return refuse(429);
      tokens -= 1;
    }
    if (script.failFirst !== undefined) {
      const failed = failures.get(request.id) ?? 0;
      if (failed < script.failFirst) {
        failures.set(request.id, failed + 1);
        return { status: script.failStatus ?? 500, retryAfterSeconds: script.failRetryAfterSeconds ?? null, isRefused: false };
      }
    }
    if (script.errorRate !== undefined && random() < script.errorRate) return { status: script.errorStatus ?? 500, retryAfterSeconds: null, isRefused: false };
    return { status: 200, retryAfterSeconds: null, isRefused: false };
  }

  partner.respond = (request, res) => {
    const { status, retryAfterSeconds, isRefused } = decide(request);
    const answer: TPartnerAnswer = { id: request.id, at: request.at, status, retryAfterSeconds, doneAt: null };
    partner.answers.push(answer);
    if (status >= 200 && status < 300) partner.accepted.set(request.id, (partner.accepted.get(request.id) ?? 0) + 1);
    // Refusals (429, outage and overload 503s) are answered at once; work takes latencyMs.
    if (!isRefused) partner.open++;
    partner.maxOpen = Math.max(partner.maxOpen, partner.open);
    const finish = () => {
      answer.doneAt = Date.now();
      if (!isRefused) partner.open--;
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json', ...(retryAfterSeconds !== null ? { 'retry-after': String(retryAfterSeconds) } : {}) });
      res.end(status < 300 ? '{"ok":true}' : `{"error":"simulated ${status}"}`);
    };
    if (script.latencyMs && !isRefused) setTimeout(finish, script.latencyMs);
    else finish();
  };
  return partner;
}

/** Answers with `status` whose arrival lies in [from, to) (partner clock). */
export function answersBetween(partner: TPartner, from: number, to: number, status?: (code: number) => boolean): number {
  return partner.answers.filter((a) => a.at >= from && a.at < to && (!status || status(a.status))).length;
}

/**
 * A partner with `slots` requests at once (maxConcurrent): the share of its slot-time in
 * [from, to) spent on requests it accepted, by its own clock. This is what it could accept
 * then, whatever its answers really took (timers run late on a loaded machine): 1 means
 * every slot was busy with accepted work all the time.
 */
export function acceptedSlotShare(partner: TPartner, from: number, to: number, slots: number): number {
  let busy = 0;
  for (const a of partner.answers) {
    if (!isSuccess(a.status)) continue;
    const end = a.doneAt ?? to;
    busy += Math.max(0, Math.min(end, to) - Math.max(a.at, from));
  }
  return busy / (slots * (to - from));
}

/**
 * How the partner's slots were refilled, in order of events rather than their timing: for
 * each request it accepted in [from, to), whether the next request it received after
 * finishing that one arrived before our side had recorded the accepted one's outcome
 * (`recordedAt`: job id → when its queue row was deleted, Postgres' clock, the same system
 * clock as the partner's). A worker that counts a lease as in flight until its outcome is
 * recorded can refill a slot that way only when some other room opened meanwhile; one that
 * lets a succeeded request go at once (engine.ts `settled`) refills it while the outcome is
 * still on its way. Also the mean wait from finishing to the next arrival, for the log.
 */
export function slotRefills(partner: TPartner, recordedAt: Map<string, number>, from: number, to: number): { refills: number; beforeRecorded: number; meanIdleMs: number } {
  const arrivals = partner.answers.map((a) => a.at).sort((a, b) => a - b);
  const nextAfter = (t: number) => {
    let lo = 0;
    let hi = arrivals.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (arrivals[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    return arrivals[lo];
  };
  let refills = 0;
  let beforeRecorded = 0;
  let idle = 0;
  for (const a of partner.answers) {
    if (!isSuccess(a.status) || a.doneAt === null || a.at < from || a.at >= to) continue;
    const recorded = recordedAt.get(a.id);
    const next = nextAfter(a.doneAt);
    if (recorded === undefined || next === undefined) continue;
    refills++;
    idle += next - a.doneAt;
    if (next < recorded) beforeRecorded++;
  }
  return { refills, beforeRecorded, meanIdleMs: refills ? idle / refills : 0 };
}

export const isSuccess = (status: number) => status >= 200 && status < 300;
