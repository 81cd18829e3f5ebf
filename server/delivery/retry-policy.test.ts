import { describe, expect, it } from 'vitest';
import { backoffSeconds, classifyStatus, decide, parseRetryAfter, type TAttemptOutcome } from './retry-policy.ts';

const tuning = { minBackoffSeconds: 5, maxBackoffSeconds: 900 };
const now = new Date('2026-11-22T10:00:00Z');
const inWindow = new Date(now.getTime() + 4 * 3600_000);
const http = (status: number, retryAfterSeconds?: number): TAttemptOutcome => ({ kind: 'http', status, latencyMs: 10, bodyExcerpt: '', retryAfterSeconds });
const net = (code: string): TAttemptOutcome => ({ kind: 'network', code, latencyMs: 10 });

describe('retry decision (DESIGN.md table)', () => {
  it.each([
    ['200', http(200), 'succeeded'],
    ['201', http(201), 'succeeded'],
    ['204', http(204), 'succeeded'],
    ['429 rate limited', http(429), 'awaiting_retry'],
    ['408 request timeout', http(408), 'awaiting_retry'],
    ['500', http(500), 'awaiting_retry'],
    ['502', http(502), 'awaiting_retry'],
    ['503', http(503), 'awaiting_retry'],
    ['504', http(504), 'awaiting_retry'],
    ['599 other 5xx', http(599), 'awaiting_retry'],
    ['ECONNREFUSED', net('ECONNREFUSED'), 'awaiting_retry'],
    ['ECONNRESET', net('ECONNRESET'), 'awaiting_retry'],
    ['ECONNABORTED', net('ECONNABORTED'), 'awaiting_retry'],
    ['EHOSTUNREACH', net('EHOSTUNREACH'), 'awaiting_retry'],
    ['EAI_AGAIN', net('EAI_AGAIN'), 'awaiting_retry'],
    ['timeout', net('TIMEOUT'), 'awaiting_retry'],
    ['400', http(400), 'discarded'],
    ['401', http(401), 'discarded'],
    ['403', http(403), 'discarded'],
    ['404', http(404), 'discarded'],
    ['413', http(413), 'discarded'],
    ['422', http(422), 'discarded'],
    ['501 not implemented', http(501), 'discarded'],
    ['451 other 4xx', http(451), 'discarded'],
    ['418 teapot', http(418), 'discarded'],
    ['1xx', http(102), 'discarded'],
    ['unfollowed 302', http(302), 'discarded'],
    ['nonsense 0', http(0), 'discarded'],
    ['nonsense 700', http(700), 'discarded'],
    ['blocked private address (a setting of the destination)', net('BLOCKED_ADDRESS'), 'held'],
    ['unknown host (a setting of the destination)', net('ENOTFOUND'), 'held'],
    ['unparseable URL', net('INVALID_URL'), 'held'],
    ['certificate for another name', net('ERR_TLS_CERT_ALTNAME_INVALID'), 'held'],
    ['missing credential', { kind: 'config', code: 'MISSING_CREDENTIAL', latencyMs: 0, message: 'no API key' } as TAttemptOutcome, 'held'],
  ])('%s → %s', (_label, outcome, state) => {
    expect(decide({ outcome, attempt: 1, now, expireAt: inWindow, tuning }).state).toBe(state);
  });

  it('archives instead of retrying when the next try would fall past the window', () => {
    const expireAt = new Date(now.getTime() + 2_000);
    expect(decide({ outcome: http(503), attempt: 1, now, expireAt, tuning })).toMatchObject({ state: 'archived' });
  });

  it('honours Retry-After: the next attempt is not earlier', () => {
    const decision = decide({ outcome: http(429, 120), attempt: 1, now, expireAt: inWindow, tuning, random: () => 0 });
    expect(decision).toMatchObject({ state: 'awaiting_retry' });
    expect((decision as { retryAt: Date }).retryAt.getTime() - now.getTime()).toBe(120_000);
  });

  it('backs off exponentially with jitter, within [min, cap]', () => {
    expect(backoffSeconds(1, tuning, () => 0)).toBe(5);
    expect(backoffSeconds(3, tuning, () => 0)).toBe(10);
    expect(backoffSeconds(3, tuning, () => 1)).toBe(20);
    expect(backoffSeconds(30, tuning, () => 1)).toBe(900);
    for (let attempt = 1; attempt < 40; attempt++) {
      const delay = backoffSeconds(attempt, tuning);
      expect(delay).toBeGreaterThanOrEqual(5);
      expect(delay).toBeLessThanOrEqual(900);
    }
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('30', now)).toBe(30);
    expect(parseRetryAfter(new Date(now.getTime() + 60_000).toUTCString(), now)).toBe(60);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(classifyStatus(299)).toBe('succeeded');
  });
});
