/**
 * What a destination's owner sees when their endpoint misbehaves: outages recovered from,
 * client errors not hammered, Retry-After honoured, hangs cut at the timeout (also after an
 * interim 103), redirects not followed, endless and binary bodies handled, private addresses held (the destination waits for a fixed URL), and events past
 * their window archived (not dropped). One source per case so cases don't share events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { startIngestTestServer, type TIngestTestServer } from '../ingest/test-server.ts';
import { buildEngine, readArchive, sleep, transitionsOf, type TTestEngine } from './test-engine.ts';
import { answer, endlessBody, failingFor, firstThen, hanging } from './test-responders.ts';
import { ok, startSink, type TSink } from './test-sink.ts';
import { createSourceWithSinks, FAST_RETRIES, sendEvents, waitFor } from './test-world.ts';

let testDb: TTestDb;
let server: TIngestTestServer;
const sinks: TSink[] = [];
type TWorld = Awaited<ReturnType<typeof createSourceWithSinks>> & { sink: TSink };
const worlds = new Map<string, TWorld>();

async function world(name: string, delivery = FAST_RETRIES, url?: (sink: TSink) => string): Promise<void> {
  const sink = await startSink();
  sinks.push(sink);
  const target = url ? { ...sink, url: url(sink) } : sink;
  worlds.set(name, { ...(await createSourceWithSinks(testDb, [target], delivery)), sink });
}

const get = (name: string) => worlds.get(name)!;
const send = (name: string, count: number) => sendEvents(server, get(name).writeKey, count, name);
const transitions = (name: string) => transitionsOf(testDb.db, get(name).destinationIds[0]);
const queued = (name: string) => testDb.db.jobQueue.count({ where: { destinationId: get(name).destinationIds[0] } });
async function waitForStates(name: string, state: string, count: number): Promise<void> {
  await waitFor(async () => (await transitions(name)).filter((t) => t.state === state).length >= count, { timeoutMs: 25_000, what: `${count} ${state} (${name})` });
}

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
  // Every destination exists before any engine starts (engines reload destinations every 3 s).
  await world('blocked-ip');
  await world('blocked-name', FAST_RETRIES, (sink) => sink.url.replace('127.0.0.1', 'localhost'));
  for (const name of ['recovering', 'unauthorized', 'rate-limited', 'redirect', 'redirect-target']) await world(name);
  await world('expiring', { ...FAST_RETRIES, retryWindowSeconds: 60 });
  await world('hanging', { ...FAST_RETRIES, timeoutMs: 1000 });
  await world('endless-body', { ...FAST_RETRIES, timeoutMs: 10_000 });
  await world('binary-answer');
  await world('early-hints', { ...FAST_RETRIES, timeoutMs: 1000 });
});
afterAll(async () => {
  await Promise.all(sinks.map((sink) => sink.close()));
  await server.close();
  await testDb.drop();
});

describe('private addresses (SWITCHYARD_ALLOW_PRIVATE_DESTINATIONS unset)', () => {
  it('refuses loopback by IP and by a name that resolves to it: the destination is held, its events kept, nothing arrives', async () => {
    const { engine } = await buildEngine(testDb.url, { allowPrivate: undefined });
    try {
      await send('blocked-ip', 3);
      await send('blocked-name', 3);
      for (const name of ['blocked-ip', 'blocked-name']) {
        await waitFor(async () => (await testDb.db.destinationFlow.findUnique({ where: { destinationId: get(name).destinationIds[0] } }))?.heldCode === 'BLOCKED_ADDRESS', { what: `${name} held` });
      }
    } finally {
      await engine.stop();
    }
    for (const name of ['blocked-ip', 'blocked-name']) {
      // A configuration problem of the destination, not an answer about the events: no attempt
      // is used up, nothing is discarded, all three wait for the URL to be fixed.
      expect(await transitions(name)).toEqual([]);
      expect(get(name).sink.requests).toHaveLength(0);
      expect(await queued(name)).toBe(3);
      const flow = await testDb.db.destinationFlow.findUnique({ where: { destinationId: get(name).destinationIds[0] } });
      expect(flow?.heldReason).toMatch(/^the URL resolves to a blocked address/);
    }
    expect(await testDb.db.jobQueue.count({ where: { destinationId: get('blocked-ip').destinationIds[0], attempt: { gt: 0 } } })).toBe(0);
  });
});

describe('faults of one destination at a time (loopback allowed)', () => {
  let running: TTestEngine;
  beforeAll(async () => {
    running = await buildEngine(testDb.url);
  });
  afterAll(async () => {
    await running.engine.stop();
  });

  it('delivers every event once a sink that answered 500 for ~3 s recovers; earlier attempts are retries with status 500', async () => {
    get('recovering').sink.respond(failingFor(3000, 500));
    const messageIds = await send('recovering', 6);
    await waitForStates('recovering', 'succeeded', 6);
    const rows = await transitions('recovering');
    expect(rows.filter((t) => t.state === 'succeeded')).toHaveLength(6);
    const retries = rows.filter((t) => t.state !== 'succeeded');
    expect(retries.length).toBeGreaterThanOrEqual(6);
    expect(retries.every((t) => t.state === 'awaiting_retry' && t.statusCode === 500 && t.retryAt !== null)).toBe(true);
    const delivered = get('recovering').sink.requests.filter((r) => r.at - get('recovering').sink.requests[0].at >= 3000);
    expect(new Set(delivered.map((r) => (JSON.parse(r.body) as { messageId: string }).messageId))).toEqual(new Set(messageIds));
    expect(await queued('recovering')).toBe(0);
  });

  it('tries a 401 once and never again: discarded', async () => {
    const { sink } = get('unauthorized');
    sink.respond(answer(401, {}, 'bad credentials'));
    await send('unauthorized', 5);
    await waitForStates('unauthorized', 'discarded', 5);
    await sleep(2500); // past the longest backoff (2 s)
    expect(sink.counts.size).toBe(5);
    expect([...sink.counts.values()]).toEqual([1, 1, 1, 1, 1]);
    const rows = await transitions('unauthorized');
    expect(rows.map((t) => [t.state, t.statusCode, t.responseExcerpt])).toEqual(Array(5).fill(['discarded', 401, 'bad credentials']));
    expect(await queued('unauthorized')).toBe(0);
  });

  it('waits at least Retry-After (3 s) after a 429 before the next attempt', async () => {
    const { sink } = get('rate-limited');
    sink.respond(firstThen(answer(429, { 'retry-after': '3' }), ok));
    await send('rate-limited', 3);
    await waitForStates('rate-limited', 'succeeded', 3);
    const rows = await transitions('rate-limited');
    for (const [id, count] of sink.counts) {
      expect(count).toBe(2);
      const [first, second] = sink.requests.filter((r) => r.id === id).map((r) => r.at);
      const retry = rows.find((t) => t.jobId === id && t.state === 'awaiting_retry')!;
      expect(retry.statusCode).toBe(429);
      expect(retry.retryAt!.getTime() - first).toBeGreaterThanOrEqual(3000);
      expect(second - first).toBeGreaterThanOrEqual(3000);
      expect(second).toBeGreaterThanOrEqual(retry.retryAt!.getTime());
    }
  });

  it('records an answer whose body holds NUL bytes (Postgres refuses them in text): succeeded, the NUL replaced', async () => {
    get('binary-answer').sink.respond(answer(200, { 'content-type': 'application/octet-stream' }, 'ok\u0000\u0001binary\u0000'));
    await send('binary-answer', 3);
    await waitForStates('binary-answer', 'succeeded', 3);
    const rows = await transitions('binary-answer');
    expect(rows.map((t) => [t.state, t.statusCode, t.responseExcerpt])).toEqual(Array(3).fill(['succeeded', 200, 'ok\uFFFD\u0001binary\uFFFD']));
  });

  it('does not take an interim 103 Early Hints for the answer: a sink that sends one and then hangs is cut and retried', async () => {
    get('early-hints').sink.respond((_request, res) => {
      res.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' });
    });
    await send('early-hints', 2);
    await waitForStates('early-hints', 'awaiting_retry', 2);
    const first = (await transitions('early-hints')).filter((t) => t.attempt === 1);
    expect(first.map((t) => [t.state, t.statusCode])).toEqual(Array(2).fill(['awaiting_retry', null]));
    for (const t of first) expect(['TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT']).toContain(t.errorCode);
    await testDb.db.jobQueue.deleteMany({ where: { destinationId: get('early-hints').destinationIds[0] } });
  });

  it("cuts a sink that never answers at the destination's timeout (1 s) and retries it", async () => {
    get('hanging').sink.respond(hanging());
    await send('hanging', 2);
    await waitForStates('hanging', 'awaiting_retry', 2);
    const first = (await transitions('hanging')).filter((t) => t.attempt === 1);
    expect(first).toHaveLength(2);
    for (const t of first) {
      expect(t.state).toBe('awaiting_retry');
      expect(['TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT']).toContain(t.errorCode);
      expect(t.latencyMs).toBeGreaterThanOrEqual(950);
      expect(t.latencyMs).toBeLessThan(2000); // a loaded event loop may fire the timer late
    }
    await testDb.db.jobQueue.deleteMany({ where: { destinationId: get('hanging').destinationIds[0] } });
  });

  it('does not follow a redirect: recorded as 302 and discarded, the other sink gets nothing', async () => {
    const target = get('redirect-target').sink;
    get('redirect').sink.respond(answer(302, { location: target.url.replace('/hook', '/') }));
    await send('redirect', 3);
    await waitForStates('redirect', 'discarded', 3);
    expect((await transitions('redirect')).map((t) => [t.state, t.statusCode])).toEqual(Array(3).fill(['discarded', 302]));
    expect(get('redirect').sink.requests).toHaveLength(3);
    expect(target.requests).toHaveLength(0);
  });

  it('reads only a bounded part of an endless (1 GB) answer: quick, a ≤ 1 KB excerpt, no memory growth', async () => {
    const stats = { written: 0 };
    get('endless-body').sink.respond(endlessBody(1024 ** 3, stats));
    const rssBefore = process.memoryUsage().rss;
    await send('endless-body', 3);
    await waitForStates('endless-body', 'succeeded', 3);
    for (const t of await transitions('endless-body')) {
      expect(t.statusCode).toBe(200);
      expect(t.latencyMs).toBeLessThan(2000); // reading it all takes many seconds
      expect(Buffer.byteLength(t.responseExcerpt ?? '')).toBeGreaterThan(0);
      expect(Buffer.byteLength(t.responseExcerpt ?? '')).toBeLessThanOrEqual(1024);
    }
    expect(stats.written).toBeLessThan(3 * 64 * 1024 ** 2);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 ** 2);
  });

  it('archives jobs past their window: a gzip NDJSON file holds the events, the queue is empty', async () => {
    const { sink, destinationIds } = get('expiring');
    sink.respond(answer(503));
    const messageIds = await send('expiring', 3);
    await waitForStates('expiring', 'awaiting_retry', 3);
    await testDb.db.$executeRaw`UPDATE jobs SET expire_at = now() WHERE destination_id = ${destinationIds[0]}::uuid`;
    await waitForStates('expiring', 'archived', 3);
    await waitFor(async () => (await queued('expiring')) === 0, { what: 'the archived jobs to leave the queue' });
    const archived = (await transitions('expiring')).filter((t) => t.state === 'archived');
    expect(new Set(archived.map((t) => t.jobId)).size).toBe(3);
    const lines = await readArchive(running.dataDir, destinationIds[0]);
    expect(lines.map((line) => line.jobId).sort()).toEqual(archived.map((t) => t.jobId).sort());
    expect(new Set(lines.map((line) => line.event?.messageId))).toEqual(new Set(messageIds));
    expect(new Set(lines.map((line) => line.messageId))).toEqual(new Set(messageIds));
  });
});
