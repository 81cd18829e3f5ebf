/** Every bad input the tracking API refuses, with its exact status and error code. */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { basicAuth, createIngestFixture } from './test-fixtures.ts';
import { startIngestTestServer, type TIngestTestServer } from './test-server.ts';

let testDb: TTestDb;
let server: TIngestTestServer;
let writeKey: string;

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
  writeKey = (await createIngestFixture(testDb.db)).writeKey;
});
afterAll(async () => {
  await server.close();
  await testDb.drop();
});

const deep = (levels: number): unknown => (levels === 0 ? 'leaf' : { n: deep(levels - 1) });
const event = (extra: Record<string, unknown> = {}) => ({ userId: 'u', event: 'E', ...extra });

interface TCase {
  name: string;
  path?: string;
  method?: string;
  body: unknown;
  headers?: Record<string, string>;
  status: number;
  error: string;
}

const CASES: TCase[] = [
  { name: 'invalid JSON', body: '{"userId": "u", ', status: 400, error: 'invalid_json' },
  { name: 'a JSON array body', body: '[1,2]', status: 400, error: 'invalid_body' },
  { name: 'form-encoded body', body: 'userId=u', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 400, error: 'unsupported_content_type' },
  { name: 'brotli body', body: '{}', headers: { 'content-encoding': 'br' }, status: 400, error: 'unsupported_encoding' },
  { name: 'corrupt gzip', body: Buffer.from('not gzip at all'), headers: { 'content-encoding': 'gzip' }, status: 400, error: 'invalid_gzip' },
  { name: 'no userId or anonymousId', body: { event: 'E' }, status: 400, error: 'missing_identity' },
  { name: 'track without event', body: { userId: 'u' }, status: 400, error: 'missing_event' },
  { name: 'track with an empty event', body: event({ event: '  ' }), status: 400, error: 'missing_event' },
  { name: 'group without groupId', path: '/v1/group', body: { userId: 'u' }, status: 400, error: 'missing_group_id' },
  { name: 'alias without previousId', path: '/v1/alias', body: { userId: 'u' }, status: 400, error: 'missing_previous_id' },
  { name: 'userId of the wrong type', body: event({ userId: { id: 1 } }), status: 400, error: 'invalid_field' },
  { name: 'properties not an object', body: event({ properties: [1, 2] }), status: 400, error: 'invalid_field' },
  { name: 'unparseable timestamp', body: event({ timestamp: 'yesterday-ish' }), status: 400, error: 'invalid_timestamp' },
  { name: 'NUL character', body: event({ properties: { a: 'x\u0000y' } }), status: 400, error: 'invalid_field' },
  { name: 'event over 32 KB', body: event({ properties: { blob: 'x'.repeat(33 * 1024) } }), status: 413, error: 'event_too_large' },
  { name: 'nesting deeper than 32', body: event({ properties: deep(40) }), status: 400, error: 'too_deep' },
  { name: 'more than 5,000 keys and items', body: event({ properties: { list: Array.from({ length: 6000 }, () => 0) } }), status: 400, error: 'too_many_keys' },
  { name: 'batch without a batch array', path: '/v1/batch', body: { events: [] }, status: 400, error: 'invalid_body' },
  { name: 'empty batch', path: '/v1/batch', body: { batch: [] }, status: 400, error: 'empty_batch' },
  { name: 'batch over 2,500 events', path: '/v1/batch', body: { batch: Array.from({ length: 2501 }, () => ({ type: 'track', userId: 'u', event: 'E' })) }, status: 413, error: 'too_many_events' },
  { name: 'batch over 500 KB', path: '/v1/batch', body: { batch: Array.from({ length: 20 }, () => ({ type: 'track', userId: 'u', event: 'E', properties: { blob: 'x'.repeat(30_000) } })) }, status: 413, error: 'payload_too_large' },
  { name: 'batch whose only event has an unknown type', path: '/v1/batch', body: { batch: [{ type: 'launch', userId: 'u' }] }, status: 400, error: 'unknown_type' },
  { name: 'batch of events all missing identity', path: '/v1/batch', body: { batch: [{ type: 'track', event: 'E' }, { type: 'page' }] }, status: 400, error: 'missing_identity' },
  { name: 'batch context not an object', path: '/v1/batch', body: { context: 'x', batch: [{ type: 'track', userId: 'u', event: 'E' }] }, status: 400, error: 'invalid_field' },
  { name: 'unknown endpoint', path: '/v1/launch', body: event(), status: 404, error: 'not_found' },
  { name: 'GET on an event endpoint', path: '/v1/track', method: 'GET', body: null, status: 405, error: 'method_not_allowed' },
];

describe('bad input', () => {
  it.each(CASES)('$name → $status $error', async ({ path = '/v1/track', method = 'POST', body, headers = {}, status, error }) => {
    const raw = body === null ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: basicAuth(writeKey), ...headers },
      body: Buffer.isBuffer(raw) ? new Uint8Array(raw) : raw,
    });
    const json = await res.json();
    expect({ status: res.status, error: json.error }).toEqual({ status, error });
    expect(typeof json.message).toBe('string');
    expect(json.message.length).toBeGreaterThan(10);
  });

  it('names the limit in the message', async () => {
    const res = await fetch(`${server.url}/v1/track`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basicAuth(writeKey) },
      body: JSON.stringify(event({ properties: { blob: 'x'.repeat(40 * 1024) } })),
    });
    expect((await res.json()).message).toMatch(/limit is 32 KB/);
  });

  it('refuses a gzip bomb without inflating it in memory', async () => {
    // 200 MB of zeros compress to ~200 KB: within the compressed limit, far over the 500 KB inflated limit.
    const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024), { level: 9 });
    const before = process.memoryUsage().rss;
    const res = await fetch(`${server.url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: basicAuth(writeKey) },
      body: bomb,
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error).toBe('payload_too_large');
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('refuses a body over the limit without reading it all', async () => {
    const res = await fetch(`${server.url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basicAuth(writeKey) },
      body: 'x'.repeat(2 * 1024 * 1024),
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error).toBe('payload_too_large');
  });

  it('answers 429 with Retry-After when a write key passes its rate', async () => {
    const limited = await startIngestTestServer({ databaseUrl: testDb.url, ratePerSecond: 5, burst: 10 });
    try {
      const send = (n: number) =>
        fetch(`${limited.url}/v1/batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: basicAuth(writeKey) },
          body: JSON.stringify({ batch: Array.from({ length: n }, () => ({ type: 'track', userId: 'u', event: 'E' })) }),
        });
      expect((await send(10)).status).toBe(200);
      const res = await send(10);
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await res.json()).error).toBe('rate_limited');
    } finally {
      await limited.close();
    }
  });
});

describe('regressions found by the hostile-input property test', () => {
  const send = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basicAuth(writeKey), ...headers }, body });

  it.each([
    ['a timestamp past year 9999', { userId: 'u', event: 'E', timestamp: '+275760-09-13T00:00:00.000Z' }],
    ['a timestamp before year 1', { userId: 'u', event: 'E', timestamp: '-000001-01-01T00:00:00.000Z' }],
  ])('refuses %s with 400 invalid_timestamp, not a failed commit', async (_label, body) => {
    const res = await send('/v1/track', JSON.stringify(body));
    expect({ status: res.status, error: (await res.json()).error }).toEqual({ status: 400, error: 'invalid_timestamp' });
  });

  it('keeps the client time when the skew correction would leave the storable years', async () => {
    const res = await send('/v1/track', JSON.stringify({ userId: 'u', event: 'E', timestamp: '0002-01-01T00:00:00.000Z', sentAt: '9999-01-01T00:00:00.000Z' }));
    expect(res.status).toBe(200);
  });

  it('cuts a long page name without splitting an emoji', async () => {
    const res = await send('/v1/page', JSON.stringify({ userId: 'u', name: `${'x'.repeat(511)}😀 tail` }));
    expect(res.status).toBe(200);
  });

  it('answers 401/404, not 5xx, for write keys Postgres cannot hold and malformed settings paths', async () => {
    expect((await send('/v1/track', JSON.stringify({ userId: 'u', event: 'E', writeKey: 'bad\u0000key' }), { authorization: '' })).status).toBe(401);
    expect((await fetch(`${server.url}/v1/projects/%E0/settings`)).status).toBe(404);
    expect((await send('/v1/constructor', '{}')).status).toBe(404);
    expect((await send('/v1/__proto__', '{}')).status).toBe(404);
  });

  it('accepts the RudderStack SDK\'s gzipped JSON declared as form-urlencoded', async () => {
    const res = await send('/v1/batch', JSON.stringify({ batch: [{ type: 'track', userId: 'u', event: 'Rudder' }] }), { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(200);
  });
});
