/**
 * Issue 12: the time a destination is held — settings that cannot work, a Retry-After
 * pause — does not use up its jobs' retry windows. (An open breaker does: the partner is
 * failing, which is what the window is for; replay-rotation.test.ts archives such jobs.) Its jobs are not tried
 * meanwhile, so a hold longer than what is left of their windows must not get them
 * archived: each scenario below lets the windows end (jobs.expire_at moved close, as a
 * 4-hour window would after hours) while the destination is held, and expects every event
 * delivered and none archived once it is no longer held.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { getTrace } from '../traces/trace.ts';
import { startIngestTestServer, type TIngestTestServer } from '../ingest/test-server.ts';
import { buildEngine, sleep, transitionsOf, type TTestEngine } from './test-engine.ts';
import { ok, startSink, type TSink, type TSinkResponder } from './test-sink.ts';
import { createSourceWithSinks, sendEvents, waitFor } from './test-world.ts';

const EVENTS = 20;
const TUNING = { maxInFlight: 5, timeoutMs: 2000, minBackoffSeconds: 1, maxBackoffSeconds: 2 };

let testDb: TTestDb;
let server: TIngestTestServer;
let running: TTestEngine;
const sinks: TSink[] = [];

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
  // Production's refusal of private addresses, except the local sinks' own.
  running = await buildEngine(testDb.url, { allowPrivate: '127.0.0.1/32' });
});
afterAll(async () => {
  await running?.engine.stop();
  await Promise.all(sinks.map((sink) => sink.close()));
  await server.close();
  await testDb.drop();
});

async function world(responder: TSinkResponder) {
  const sink = await startSink();
  sinks.push(sink);
  sink.respond(responder);
  const created = await createSourceWithSinks(testDb, [sink], TUNING);
  return { sink, destinationId: created.destinationIds[0], writeKey: created.writeKey, workspaceId: created.workspaceId };
}

/** The windows of the destination's jobs end `seconds` from now (as a 4-hour window would, hours in). */
async function windowsEndIn(destinationId: string, seconds: number): Promise<void> {
  const moved = await testDb.db.$executeRawUnsafe(`UPDATE jobs SET expire_at = now() + make_interval(secs => $2) WHERE destination_id = $1::uuid`, destinationId, seconds);
  expect(moved).toBe(EVENTS);
}

async function everythingDelivered(destinationId: string, sink: TSink, ids: string[]): Promise<void> {
  await waitFor(async () => (await testDb.db.jobQueue.count({ where: { destinationId } })) === 0, { timeoutMs: 60_000, what: `all ${EVENTS} jobs ended` });
  const all = await transitionsOf(testDb.db, destinationId);
  expect(all.filter((t) => t.state === 'archived' || t.state === 'discarded').map((t) => `${t.state}: ${t.responseExcerpt}`)).toEqual([]);
  expect(new Set(all.filter((t) => t.state === 'succeeded').map((t) => t.jobId)).size).toBe(EVENTS);
  const delivered = new Set(sink.requests.filter((r) => r.body).map((r) => (JSON.parse(r.body) as { messageId: string }).messageId));
  expect(ids.filter((id) => !delivered.has(id))).toEqual([]);
}

const flowOf = (destinationId: string) => testDb.db.destinationFlow.findUnique({ where: { destinationId } });

it('settings that cannot work: held longer than what was left of the windows, then fixed — all delivered, none archived', { timeout: 90_000 }, async () => {
  const { sink, destinationId, writeKey } = await world(ok);
  await testDb.db.destination.update({ where: { id: destinationId }, data: { settings: { url: 'http://169.254.169.254/latest/meta-data' } } });
  const ids = await sendEvents(server, writeKey, EVENTS);
  await waitFor(async () => (await flowOf(destinationId))?.heldCode === 'BLOCKED_ADDRESS', { timeoutMs: 30_000, what: 'the destination to be held' });
  await windowsEndIn(destinationId, 3);
  await sleep(6000);
  await testDb.db.destination.update({ where: { id: destinationId }, data: { settings: { url: sink.url } } });
  await everythingDelivered(destinationId, sink, ids);
});

it('a Retry-After pause longer than what was left of the windows — all delivered after it, none archived', { timeout: 90_000 }, async () => {
  const RETRY_AFTER_S = 6;
  let firstAt: number | null = null;
  const { sink, destinationId, writeKey, workspaceId } = await world((request, res) => {
    firstAt ??= request.at;
    if (request.at - firstAt < RETRY_AFTER_S * 1000) {
      res.writeHead(429, { 'retry-after': String(RETRY_AFTER_S) });
      res.end('{"error":"slow down"}');
    } else ok(request, res);
  });
  const ids = await sendEvents(server, writeKey, EVENTS);
  await waitFor(async () => ((await flowOf(destinationId))?.pausedUntil?.getTime() ?? 0) > Date.now() + 2000, { timeoutMs: 30_000, what: 'the destination to be paused' });
  await windowsEndIn(destinationId, 3);
  await everythingDelivered(destinationId, sink, ids);
  // Nothing went out while it was paused (the first requests got the 429).
  expect(sink.requests.filter((r) => r.at - firstAt! > 200 && r.at - firstAt! < RETRY_AFTER_S * 1000 - 50)).toEqual([]);

  // The trace shows the window as the worker applied it: its scheduled end (3 s after it was
  // moved) plus the pause, and says so.
  const [job] = await testDb.db.$queryRawUnsafe<Array<{ event_id: string; expire_at: Date }>>(`SELECT event_id::text, expire_at FROM jobs WHERE destination_id = $1::uuid LIMIT 1`, destinationId);
  const delivery = (await getTrace({ db: testDb.db, workspaceId, eventId: job.event_id })).deliveries[0];
  expect(delivery.state).toBe('delivered');
  expect(delivery.heldMs).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000 - 500);
  expect(delivery.heldMs).toBeLessThan(RETRY_AFTER_S * 1000 + 3000);
  expect(delivery.expireAt?.getTime()).toBe(job.expire_at.getTime() + delivery.heldMs!);
  const words = (date: Date) => `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 19)} UTC`;
  expect(delivery.windowNote).toMatch(/^The destination was held for \d+ s while this event waited \(paused by a Retry-After, or settings that could not work\) and nothing was tried meanwhile, so its retry window was extended by as much, /);
  expect(delivery.windowNote).toContain(`to ${words(delivery.expireAt!)} (from ${words(job.expire_at)})`);
});
