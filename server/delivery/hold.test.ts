/**
 * Issue 13, item 1 at send time: a destination whose URL becomes a blocked address (saved
 * before the save-time check existed, or a name that now resolves to a private address)
 * is a configuration problem of the destination, not an answer about its events. Its
 * queued and retrying jobs are held — none discarded, none archived, no attempt used up —
 * the destination says why, and everything is delivered once the URL is fixed.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { startIngestTestServer, type TIngestTestServer } from '../ingest/test-server.ts';
import { getDestinationActivity } from '../queue/activity.ts';
import { buildEngine, sleep, transitionsOf, type TTestEngine } from './test-engine.ts';
import { answer } from './test-responders.ts';
import { ok, startSink, type TSink } from './test-sink.ts';
import { createSourceWithSinks, sendEvents, waitFor } from './test-world.ts';

const EVENTS = 31;
/** How long a running worker may keep using a destination's previous settings (destination-config.ts). */
const CONFIG_RELOAD_MS = 3500;

let testDb: TTestDb;
let server: TIngestTestServer;
let sink: TSink;
let running: TTestEngine | undefined;

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
  sink = await startSink();
});
afterAll(async () => {
  await running?.engine.stop();
  await sink.close();
  await server.close();
  await testDb.drop();
});

it(`keeps all ${EVENTS} queued and retrying events of a destination whose URL becomes blocked, and delivers them once it is fixed`, { timeout: 90_000 }, async () => {
  sink.respond(answer(500));
  const world = await createSourceWithSinks(testDb, [sink], { maxInFlight: 50, timeoutMs: 2000, minBackoffSeconds: 1, maxBackoffSeconds: 2 });
  const [destinationId] = world.destinationIds;
  const setUrl = (url: string) => testDb.db.destination.update({ where: { id: destinationId }, data: { settings: { url } } });
  // Production's refusal of private addresses, except the local sink's own.
  running = await buildEngine(testDb.url, { allowPrivate: '127.0.0.1/32' });
  const ids = await sendEvents(server, world.writeKey, EVENTS);
  await waitFor(async () => new Set((await transitionsOf(testDb.db, destinationId)).map((t) => t.jobId)).size === EVENTS, { what: `a failed attempt of each of the ${EVENTS} events` });

  // The URL now points at the cloud metadata address; the endpoint itself has recovered.
  await setUrl('http://169.254.169.254/latest/meta-data');
  await sleep(CONFIG_RELOAD_MS); // (until the worker sees the new URL, the old one still answers 500)
  sink.respond(ok);
  await waitFor(async () => (await testDb.db.destinationFlow.findUnique({ where: { destinationId } }))?.heldCode === 'BLOCKED_ADDRESS', { timeoutMs: 30_000, what: 'the destination to be held' });
  await sleep(CONFIG_RELOAD_MS); // retries fall due meanwhile: still nothing may be discarded
  const activity = await getDestinationActivity({ db: testDb.db, workspaceId: world.workspaceId, destinationId });
  expect(activity.status).toMatchObject({ state: 'held', needsAttention: true, held: { code: 'BLOCKED_ADDRESS' } });
  expect(activity.status.message).toMatch(/^Held: the URL resolves to a blocked address/);
  expect(activity.queue.pending + activity.queue.retrying).toBe(EVENTS);
  const whileHeld = await transitionsOf(testDb.db, destinationId);
  expect(whileHeld.filter((t) => t.state !== 'awaiting_retry')).toEqual([]);
  expect(whileHeld.filter((t) => t.errorCode === 'BLOCKED_ADDRESS')).toEqual([]);
  expect(await testDb.db.jobQueue.count({ where: { destinationId } })).toBe(EVENTS);

  // Fixed: every event is delivered, none was lost on the way.
  await setUrl(sink.url);
  await waitFor(async () => (await testDb.db.jobQueue.count({ where: { destinationId } })) === 0, {
    timeoutMs: 60_000,
    what: `all ${EVENTS} events delivered after the fix`,
  });
  const all = await transitionsOf(testDb.db, destinationId);
  expect(all.filter((t) => t.state === 'succeeded')).toHaveLength(EVENTS);
  expect(all.filter((t) => t.state === 'discarded' || t.state === 'archived')).toEqual([]);
  const delivered = new Set(sink.requests.slice(-EVENTS * 2).map((r) => (JSON.parse(r.body) as { messageId: string }).messageId));
  expect(ids.every((id) => delivered.has(id))).toBe(true);
  const after = await getDestinationActivity({ db: testDb.db, workspaceId: world.workspaceId, destinationId });
  expect(after.status.held).toBeNull();
});
