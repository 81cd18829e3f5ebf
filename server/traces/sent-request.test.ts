/** What the trace records of a sent request: secrets never stored, the body stored once and only when it is not the event. */
import { describe, expect, it } from 'vitest';
import { addHistograms, LATENCY_BUCKETS, percentileMs } from './latency-buckets.ts';
import { keptResponseHeaders, MAX_HEADERS, MAX_VALUE } from '../delivery/response-headers.ts';
import { describeSentRequest, MASK } from './sent-request.ts';

const event = '{"type":"track","event":"Signed Up"}';
const secrets = ['whsec_c2VjcmV0LXNpZ25pbmcta2V5', 'partner-api-key-123'];

describe('describeSentRequest', () => {
  it('masks credential headers whole and any secret value wherever it appears', () => {
    const sent = describeSentRequest({
      request: {
        method: 'POST',
        url: 'https://api.partner.example/track?api_key=partner-api-key-123',
        headers: { authorization: 'Bearer abc', 'x-custom': 'k=partner-api-key-123', 'content-type': 'application/json' },
        body: '{"key":"partner-api-key-123","event":"Signed Up"}',
      },
      eventPayload: event,
      attempt: 1,
      secrets,
    });
    expect(sent.headers).toEqual({ authorization: MASK, 'x-custom': `k=${MASK}`, 'content-type': 'application/json' });
    expect(sent.url).toBe(`https://api.partner.example/track?api_key=${MASK}`);
    expect(sent.body).toMatchObject({ is: 'stored', text: `{"key":"${MASK}","event":"Signed Up"}` });
    expect(JSON.stringify(sent)).not.toContain('partner-api-key-123');
  });

  it('keeps no body when the event itself was sent, and only a digest after the first attempt', () => {
    const asEvent = describeSentRequest({ request: { method: 'POST', url: 'https://h.example', headers: {}, body: event }, eventPayload: event, attempt: 1, secrets });
    expect(asEvent.body).toEqual({ is: 'event' });
    const built = { method: 'POST', url: 'https://h.example', headers: {}, body: '{"built":true}' };
    const first = describeSentRequest({ request: built, eventPayload: event, attempt: 1, secrets });
    const later = describeSentRequest({ request: built, eventPayload: event, attempt: 2, secrets });
    expect(first.body.is).toBe('stored');
    expect(later.body).toEqual({ is: 'same-as-first', digest: (first.body as { digest: string }).digest });
  });
});

describe('response headers kept with an attempt', () => {
  it('keeps the headers that explain an answer and leaves the rest', () => {
    const kept = keptResponseHeaders({
      'content-type': 'application/json; charset=utf-8',
      'retry-after': '30',
      'x-ratelimit-remaining': '0',
      'X-RateLimit-Reset': '1733212800',
      ratelimit: 'limit=100, remaining=0, reset=30',
      'x-request-id': 'req_8f2c',
      'x-amzn-requestid': 'b1a2',
      'cf-ray': '8e2f-FRA',
      server: 'cloudflare',
      date: 'Thu, 03 Dec 2026 06:00:00 GMT',
      'set-cookie': ['a=1', 'b=2'],
      'cache-control': 'no-store',
      'access-control-allow-origin': '*',
      'content-length': '42',
    });
    expect(kept).toEqual({
      'content-type': 'application/json; charset=utf-8',
      'retry-after': '30',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '1733212800',
      ratelimit: 'limit=100, remaining=0, reset=30',
      'x-request-id': 'req_8f2c',
      'x-amzn-requestid': 'b1a2',
      'cf-ray': '8e2f-FRA',
      server: 'cloudflare',
    });
  });

  it('stays small: a bounded number of headers, each value cut', () => {
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`x-ratelimit-${i}`, 'v'.repeat(1000)]));
    const kept = keptResponseHeaders(many);
    expect(Object.keys(kept)).toHaveLength(MAX_HEADERS);
    for (const value of Object.values(kept)) expect(value.length).toBe(MAX_VALUE);
  });

  it('records them with the request, secrets masked, and Retry-After as seconds', () => {
    const sent = describeSentRequest({
      request: { method: 'POST', url: 'https://h.example', headers: {}, body: event },
      eventPayload: event,
      attempt: 1,
      secrets,
      answer: { retryAfterSeconds: 30, headers: { 'retry-after': '30', 'x-request-id': 'echo partner-api-key-123', 'x-api-key-remaining': '4' } },
    });
    expect(sent.retryAfterSeconds).toBe(30);
    expect(sent.responseHeaders).toEqual({ 'retry-after': '30', 'x-request-id': `echo ${MASK}`, 'x-api-key-remaining': MASK });
    expect(describeSentRequest({ request: { method: 'POST', url: 'https://h.example', headers: {}, body: event }, eventPayload: event, attempt: 1, secrets, answer: { headers: {} } }).responseHeaders).toBeUndefined();
  });
});

describe('latency histogram', () => {
  it('gives percentiles inside the right bucket and null when empty', () => {
    const histogram = addHistograms([], Array.from({ length: LATENCY_BUCKETS }, () => 0));
    expect(percentileMs(histogram, 0.5)).toBeNull();
    histogram[4] = 90; // 50–100 ms
    histogram[7] = 10; // 500–1000 ms
    expect(percentileMs(histogram, 0.5)).toBeGreaterThanOrEqual(50);
    expect(percentileMs(histogram, 0.5)).toBeLessThan(100);
    expect(percentileMs(histogram, 0.95)).toBeGreaterThanOrEqual(500);
    expect(percentileMs(histogram, 0.95)).toBeLessThanOrEqual(1000);
  });
});
