/**
 * fast-check arbitraries of hostile tracking-API requests: events with wrong types in any
 * field, strings with NUL and lone surrogates, values at and just past every limit, batches
 * mixing good and bad events, messageIds drawn from a small pool (so duplicates happen
 * within and across requests), random bytes, gzip, content types, encodings, paths, keys.
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { LIMITS } from './limits.ts';

export interface THostileRequest {
  method: 'POST' | 'GET' | 'PUT';
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** The messages the server will see when it parses the body we built; null for raw bytes. */
  events: unknown[] | null;
}

/** Short, readable form of a request for fast-check's counterexample report. */
export function labelled(arb: fc.Arbitrary<THostileRequest>): fc.Arbitrary<THostileRequest> {
  return arb.map((req) => Object.assign(req, {
    [fc.toStringMethod]: () => `${req.method} ${req.path} ${JSON.stringify(req.headers)} ${req.body?.length ?? 0} B ${JSON.stringify(req.body?.subarray(0, 600).toString('utf8') ?? '')}`,
  }));
}

const basic = (user: string) => `Basic ${Buffer.from(`${user}:`).toString('base64')}`;
const SINGLE_PATHS = ['/v1/track', '/v1/identify', '/v1/page', '/v1/screen', '/v1/group', '/v1/alias', '/v1/t', '/v1/i', '/v1/p', '/v1/s', '/v1/g', '/v1/a'];
const BATCH_PATHS = ['/v1/batch', '/v1/import', '/v1/b'];
const TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'];

/** Characters that break naive code: NUL, lone and split surrogates, escapes, RTL override, emoji. */
const nasty = fc.constantFrom('\u0000', '\ud800', '\udfff', '\ud83d', '\ude00', '\\', '\\u0000', '"', '\n', '\u202e', '\uffff', '😀', 'é', '\u0085');
export const hostileString = fc.string({ unit: fc.oneof(nasty, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 40 });
/** Just under, at and just past a code-unit limit, ending in emoji so that slicing can split a pair. */
const aroundLength = (limit: number) =>
  fc.tuple(fc.string({ unit: 'grapheme-ascii', maxLength: 3 }), fc.integer({ min: limit / 2 - 4, max: limit / 2 + 4 })).map(([lead, pairs]) => lead + '😀'.repeat(pairs));

const hostileDate = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.integer({ min: -8.64e15, max: 8.64e15 }),
  fc.constantFrom('-271821-04-20T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', '0000-01-01T00:00:00Z', '-004713-01-01T00:00:00Z', '2026-02-30', 'yesterday', '', 1e300, -0),
);
const recentDate = fc.integer({ min: -86_400_000, max: 86_400_000 }).map((offset) => new Date(Date.now() + offset).toISOString());
/** Mostly near now; sometimes anywhere in 0001–9999 (so sentAt − timestamp can be millennia) or out of range. */
const eventDate = fc.oneof(
  { arbitrary: recentDate, weight: 8 },
  { arbitrary: fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()), weight: 1 },
  { arbitrary: hostileDate, weight: 1 },
);

/** Any JSON-ish value, with hostile strings at every level. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 3 },
  { arbitrary: hostileString, weight: 3 },
  { arbitrary: hostileDate, weight: 1 },
  { arbitrary: fc.dictionary(hostileString, fc.oneof(hostileString, fc.integer()), { maxKeys: 4 }), weight: 2 },
  { arbitrary: aroundLength(512), weight: 1 },
  { arbitrary: fc.constantFrom(null, true, 0, -1, 1e308, [], {}, [[[]]], JSON.parse('{"__proto__":{"a":1},"toString":"x","constructor":1}') as unknown), weight: 1 },
);

/** A field that is usually right, sometimes wrong in type or content, sometimes missing. */
const field = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 30 }, { arbitrary: hostileValue, weight: 1 }, { arbitrary: fc.constant(undefined), weight: 1 });

export const messageIdFrom = (run: string) => fc.nat(400).map((n) => `${run}-m${n}`);

/** An event of any type; on a single-event path the path's type wins over its `type`. */
export function eventArb(run: string): fc.Arbitrary<Record<string, unknown>> {
  const id = fc.oneof({ arbitrary: fc.string({ minLength: 1, maxLength: 12 }), weight: 20 }, { arbitrary: hostileString, weight: 1 });
  const props = fc.dictionary(
    fc.oneof({ arbitrary: fc.string({ maxLength: 8 }), weight: 40 }, { arbitrary: hostileString, weight: 1 }),
    fc.oneof({ arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 40 }, { arbitrary: hostileValue, weight: 1 }),
    { maxKeys: 6 },
  );
  return fc.record({
    type: field(fc.constantFrom(...TYPES)),
    messageId: fc.oneof({ arbitrary: messageIdFrom(run), weight: 12 }, { arbitrary: hostileValue, weight: 1 }, { arbitrary: fc.constant(undefined), weight: 1 }),
    userId: field(id), anonymousId: field(id),
    event: field(fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), aroundLength(512))),
    name: field(fc.oneof(fc.string({ maxLength: 20 }), aroundLength(512))),
    groupId: field(id), previousId: field(id),
    properties: field(props), traits: field(props), context: field(props), integrations: field(fc.dictionary(fc.constantFrom('All', 'Hook A', 'Webhook'), fc.boolean())),
    timestamp: field(eventDate), originalTimestamp: field(eventDate), sentAt: field(eventDate),
  });
}

/** Structures at and just past the depth, key and size limits. */
export function nearLimitEventArb(run: string): fc.Arbitrary<Record<string, unknown>> {
  const deep = fc.integer({ min: LIMITS.depth - 3, max: LIMITS.depth + 2 }).map((levels) => {
    let node: unknown = 'leaf';
    for (let i = 0; i < levels; i++) node = { n: node };
    return node;
  });
  const wide = fc.integer({ min: LIMITS.keys - 8, max: LIMITS.keys + 3 }).map((n) => ({ list: Array.from({ length: n }, () => 0) }));
  const huge = fc.tuple(fc.integer({ min: -400, max: 200 }), fc.constantFrom('x', 'é', '😀')).map(([delta, ch]) => ({ blob: ch.repeat(Math.max(0, Math.floor((LIMITS.eventBytes - 350 + delta) / Buffer.byteLength(ch)))) }));
  return fc.record({ type: fc.constant('track'), event: fc.constant('Near limit'), userId: fc.constant('u'), messageId: messageIdFrom(run), properties: fc.oneof(deep, wide, huge) });
}

const contentType = fc.oneof(
  { arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain;charset=UTF-8'), weight: 8 },
  { arbitrary: fc.constantFrom(undefined, '', 'APPLICATION/JSON', 'application/x-www-form-urlencoded', 'application/octet-stream', 'multipart/form-data; boundary=x', 'application/xml', 'application/jsonp', '*/*'), weight: 2 },
);
const encoding = fc.constantFrom(undefined, 'identity', 'br', 'deflate', 'GZIP', ' gzip ', 'x-gzip', 'gzip, gzip', 'compress');
const authArb = (writeKey: string) =>
  fc.oneof(
    { arbitrary: fc.constant(basic(writeKey)), weight: 12 },
    { arbitrary: fc.oneof(hostileString.map(basic), fc.uint8Array({ maxLength: 40 }).map((b) => `Basic ${Buffer.from(b).toString('base64')}`), fc.constantFrom(undefined, '', 'Basic', 'Basic !!!', 'Bearer x', basic(`${writeKey}\u0000`), basic('x'.repeat(5000)))), weight: 1 },
  );
/** Key in the body: the right one, a hostile string, or none. */
const bodyKey = (writeKey: string) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: fc.constant(writeKey), weight: 1 }, { arbitrary: hostileValue, weight: 1 });

function headersOf(auth: string | undefined, type: string | undefined, enc?: string): Record<string, string> {
  return { ...(auth === undefined ? {} : { authorization: auth }), ...(type === undefined ? {} : { 'content-type': type }), ...(enc === undefined ? {} : { 'content-encoding': enc }) };
}

/** A JSON request to a single-event or batch path, sometimes gzipped, sometimes with odd headers. */
export function jsonRequestArb(run: string, writeKey: string, kind: 'single' | 'batch'): fc.Arbitrary<THostileRequest> {
  const body = kind === 'single'
    ? fc.tuple(fc.constantFrom(...SINGLE_PATHS), fc.oneof({ arbitrary: eventArb(run), weight: 9 }, { arbitrary: nearLimitEventArb(run), weight: 1 }), bodyKey(writeKey))
        .map(([path, event, key]) => ({ path, json: key === undefined ? event : { ...event, writeKey: key }, events: [event] }))
    : fc.tuple(fc.constantFrom(...BATCH_PATHS), fc.array(fc.oneof({ arbitrary: eventArb(run), weight: 12 }, { arbitrary: nearLimitEventArb(run), weight: 1 }, { arbitrary: hostileValue, weight: 1 }), { minLength: 1, maxLength: 30 }), field(fc.dictionary(fc.string({ maxLength: 8 }), hostileValue, { maxKeys: 3 })), field(recentDate), bodyKey(writeKey))
        .map(([path, batch, context, sentAt, key]) => ({ path, json: { batch, context, sentAt, ...(key === undefined ? {} : { writeKey: key }) }, events: batch }));
  return fc.record({ body, auth: authArb(writeKey), type: contentType, gzip: fc.boolean(), odd: fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: encoding, weight: 1 }) }).map(({ body: b, auth, type, gzip, odd }) => {
    const raw = Buffer.from(JSON.stringify(b.json));
    const useGzip = gzip && odd === undefined;
    return { method: 'POST', path: b.path, headers: headersOf(auth, type, useGzip ? 'gzip' : odd), body: useGzip ? gzipSync(raw) : raw, events: b.events };
  });
}

const percentEncode = (bytes: Uint8Array) => [...bytes].map((x) => `%${x.toString(16).padStart(2, '0')}`).join('');

/** Not JSON we built: random bytes, gzip of random bytes, truncated JSON, bad paths and methods. */
export function rawRequestArb(writeKey: string): fc.Arbitrary<THostileRequest> {
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.from(b)),
    fc.uint8Array({ maxLength: 3000 }).map((b) => gzipSync(b)),
    fc.tuple(fc.jsonValue(), fc.nat()).map(([v, cut]) => { const text = JSON.stringify(v) ?? ''; return Buffer.from(text.slice(0, cut % (text.length + 1))); }),
    fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
    fc.jsonValue().map((v) => gzipSync(JSON.stringify(v) ?? 'null').subarray(0, 12)),
  );
  const path = fc.oneof(
    fc.constantFrom(...SINGLE_PATHS, ...BATCH_PATHS, '/v1/m', '/v1/', '/v1/constructor', '/v1/__proto__', '/v1/toString', '/v1/hasOwnProperty', '/v1/track/x', '/v1//track', '/v1/track?x=%E0', '/v1/%00', '/v1/projects/%E0%A4%A/settings'),
    hostileString.map((s) => `/v1/${percentEncode(Buffer.from(s))}`),
    fc.uint8Array({ maxLength: 12 }).map((b) => `/v1/projects/${percentEncode(b)}/settings`),
  );
  return fc.record({ method: fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT'), path, body: bytes, auth: authArb(writeKey), type: contentType, enc: fc.oneof(encoding, fc.constant('gzip')) })
    .map(({ method, path: p, body, auth, type, enc }): THostileRequest => ({ method, path: p, headers: headersOf(auth, type, enc), body: method === 'GET' ? undefined : body, events: null }));
}

/** Batches at the request limits: around 2,500 tiny events, or around 500 KB of big ones. */
export function bigBatchRequestArb(run: string, writeKey: string): fc.Arbitrary<THostileRequest> {
  const tiny = fc.integer({ min: LIMITS.batchEvents - 2, max: LIMITS.batchEvents + 1 }).map((n) => ({ n, blob: 0 }));
  const heavy = fc.integer({ min: -3000, max: 3000 }).map((delta) => ({ n: 16, blob: Math.floor((LIMITS.batchBytes + delta) / 16) - 200 }));
  return fc.tuple(fc.oneof(tiny, heavy), fc.nat(1_000_000), fc.boolean()).map(([{ n, blob }, seed, gzip]): THostileRequest => {
    const batch = Array.from({ length: n }, (_, i) => ({ type: 'track', event: 'Big', userId: 'u', messageId: `${run}-big-${seed}-${i % 3000}`, properties: { blob: 'x'.repeat(blob) } }));
    const raw = Buffer.from(JSON.stringify({ batch }));
    return { method: 'POST', path: '/v1/batch', headers: headersOf(basic(writeKey), 'application/json', gzip ? 'gzip' : undefined), body: gzip ? gzipSync(raw) : raw, events: batch };
  });
}
