/** The tracking API over real HTTP on a real Postgres: what is stored, and every bad input's answer. */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { revokeWriteKey, addWriteKey, updateSource } from '../sources/sources.ts';
import { updateDestination } from '../destinations/destinations.ts';
import { basicAuth, createIngestFixture } from './test-fixtures.ts';
import { startIngestTestServer, type TIngestTestServer } from './test-server.ts';

let testDb: TTestDb;
let server: TIngestTestServer;
let fx: Awaited<ReturnType<typeof createIngestFixture>>;

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
  fx = await createIngestFixture(testDb.db);
});
afterAll(async () => {
  await server.close();
  await testDb.drop();
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const raw = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basicAuth(fx.writeKey), ...headers },
    body: Buffer.isBuffer(raw) ? new Uint8Array(raw) : raw,
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

const uid = () => Math.random().toString(36).slice(2);

describe('accepting events', () => {
  it('stores a track call once with the right fields and one job per enabled destination, in one commit', async () => {
    const messageId = `m-${uid()}`;
    const res = await post('/v1/track', {
      userId: 'u-1', event: 'Order Completed', properties: { total: 42 }, messageId,
      timestamp: '2026-01-01T00:00:00.000Z', sentAt: '2026-01-01T00:00:10.000Z',
    });
    expect(res).toMatchObject({ status: 200, body: { success: true, accepted: 1, duplicates: 0, rejected: [] } });
    const event = await testDb.db.event.findFirstOrThrow({ where: { messageId } });
    expect(event).toMatchObject({ type: 'track', name: 'Order Completed', userId: 'u-1', sourceId: fx.sourceId, workspaceId: fx.workspaceId });
    // timestamp = receivedAt − (sentAt − originalTimestamp): the client clock was 10 s behind sending.
    expect(event.receivedAt.getTime() - event.timestamp.getTime()).toBe(10_000);
    expect(event.originalTimestamp?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(event.payload).toMatchObject({ properties: { total: 42 }, messageId, receivedAt: event.receivedAt.toISOString() });
    const jobs = await testDb.db.job.findMany({ where: { eventId: event.id } });
    expect(jobs.map((j) => j.destinationId).sort()).toEqual(fx.destinations.map((d) => d.id).sort());
    expect(jobs[0].expireAt.getTime() - jobs[0].createdAt.getTime()).toBe(4 * 3600 * 1000);
    expect(await testDb.db.jobQueue.count({ where: { jobId: { in: jobs.map((j) => j.id) } } })).toBe(2);
  });

  it('assigns a messageId when missing, and takes the write key from the body', async () => {
    const res = await post('/v1/identify', { userId: `u-${uid()}`, traits: { plan: 'pro' }, writeKey: fx.writeKey }, { authorization: '' });
    expect(res.status).toBe(200);
    const event = await testDb.db.event.findFirstOrThrow({ where: { type: 'identify' }, orderBy: { receivedAt: 'desc' } });
    expect(event.messageId).toMatch(/^sy-[0-9a-f-]{36}$/);
    expect(JSON.stringify(event.payload)).not.toContain(fx.writeKey);
  });

  it('deduplicates by messageId: a repeat gets 200 and is neither stored nor delivered again', async () => {
    const messageId = `dup-${uid()}`;
    const event = { userId: 'u-2', event: 'Signed Up', messageId };
    expect((await post('/v1/track', event)).body).toMatchObject({ accepted: 1, duplicates: 0 });
    expect((await post('/v1/track', event)).body).toMatchObject({ success: true, accepted: 0, duplicates: 1 });
    expect((await post('/v1/batch', { batch: [{ ...event, type: 'track' }, { ...event, type: 'track' }] })).body).toMatchObject({ accepted: 0, duplicates: 2 });
    expect(await testDb.db.event.count({ where: { messageId } })).toBe(1);
    const stored = await testDb.db.event.findFirstOrThrow({ where: { messageId } });
    expect(await testDb.db.job.count({ where: { eventId: stored.id } })).toBe(2);
  });

  it('merges batch context and integrations into each event, the event\'s own keys winning, and routes by integrations', async () => {
    const tag = uid();
    const res = await post('/v1/batch', {
      context: { library: { name: 'batch-lib' }, ip: '1.2.3.4' },
      integrations: { All: false, 'Hook A': true },
      batch: [
        { type: 'track', event: 'A only', userId: tag, messageId: `${tag}-1` },
        { type: 'track', event: 'Both', userId: tag, messageId: `${tag}-2`, integrations: { All: true }, context: { ip: '5.6.7.8' } },
        { type: 'page', name: 'Home', anonymousId: tag, messageId: `${tag}-3`, integrations: { Webhook: false } },
      ],
    });
    expect(res.body).toMatchObject({ accepted: 3 });
    const events = await testDb.db.event.findMany({ where: { OR: [{ userId: tag }, { anonymousId: tag }] }, orderBy: { messageId: 'asc' } });
    expect(events.map((e) => (e.payload as { context: { ip: string } }).context.ip)).toEqual(['1.2.3.4', '5.6.7.8', '1.2.3.4']);
    const jobsOf = async (id: string) => (await testDb.db.job.findMany({ where: { eventId: id } })).map((j) => j.destinationId).sort();
    const [hookA, hookB] = fx.destinations.map((d) => d.id);
    expect(await jobsOf(events[0].id)).toEqual([hookA]);
    expect(await jobsOf(events[1].id)).toEqual([hookA, hookB].sort());
    expect(await jobsOf(events[2].id)).toEqual([hookA]); // the event's own integrations replace the batch's "All"
    expect(events[0].pipeline).toMatchObject({ routing: { selected: [hookA], skipped: [{ id: hookB, reason: 'integrations' }] } });
  });

  it('accepts gzip bodies, and skips disabled destinations', async () => {
    await updateDestination({ db: testDb.db, workspaceId: fx.workspaceId, actor: fx.actor, destinationId: fx.destinations[1].id, patch: { enabled: false } });
    const messageId = `gz-${uid()}`;
    const res = await post('/v1/track', gzipSync(JSON.stringify({ userId: 'u', event: 'Zipped', messageId })), { 'content-encoding': 'gzip' });
    expect(res.body).toMatchObject({ accepted: 1 });
    const event = await testDb.db.event.findFirstOrThrow({ where: { messageId } });
    expect((await testDb.db.job.findMany({ where: { eventId: event.id } })).map((j) => j.destinationId)).toEqual([fx.destinations[0].id]);
    await updateDestination({ db: testDb.db, workspaceId: fx.workspaceId, actor: fx.actor, destinationId: fx.destinations[1].id, patch: { enabled: true } });
  });

  it('stores the good events of a batch and reports each bad one with its index and code', async () => {
    const tag = uid();
    const res = await post('/v1/batch', {
      batch: [
        { type: 'track', event: 'Good', userId: tag, messageId: `${tag}-ok` },
        { type: 'track', userId: tag, messageId: `${tag}-noevent` },
        { type: 'launch', userId: tag },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      accepted: 1,
      rejected: [
        { index: 1, messageId: `${tag}-noevent`, error: 'missing_event' },
        { index: 2, error: 'unknown_type' },
      ],
    });
    expect(await testDb.db.event.count({ where: { userId: tag } })).toBe(1);
  });

  it('serves analytics.js settings that point it back at this server', async () => {
    const res = await fetch(`${server.url}/v1/projects/${fx.writeKey}/settings`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = await res.json();
    expect(body.integrations['Segment.io']).toMatchObject({ apiKey: fx.writeKey, apiHost: `${new URL(server.url).host}/v1`, protocol: 'http' });
    expect((await fetch(`${server.url}/v1/projects/wk_nope/settings`)).status).toBe(404);
  });
});

describe('write keys and sources', () => {
  it('401 for unknown, missing and revoked keys; 403 for a disabled source; rotation keeps both keys working', async () => {
    expect(await post('/v1/track', { userId: 'u', event: 'x' }, { authorization: basicAuth('wk_unknown') })).toMatchObject({ status: 401, body: { error: 'invalid_write_key' } });
    expect(await post('/v1/track', { userId: 'u', event: 'x' }, { authorization: '' })).toMatchObject({ status: 401, body: { error: 'missing_write_key' } });
    const second = await addWriteKey({ db: testDb.db, workspaceId: fx.workspaceId, actor: fx.actor, sourceId: fx.sourceId });
    expect((await post('/v1/track', { userId: 'u', event: 'x' }, { authorization: basicAuth(second.key) })).status).toBe(200);
    expect((await post('/v1/track', { userId: 'u', event: 'x' })).status).toBe(200);
    await revokeWriteKey({ db: testDb.db, workspaceId: fx.workspaceId, actor: fx.actor, sourceId: fx.sourceId, keyIdOrValue: fx.writeKey });
    expect(await post('/v1/track', { userId: 'u', event: 'x' })).toMatchObject({ status: 401, body: { error: 'invalid_write_key' } });
    await updateSource({ db: testDb.db, workspaceId: fx.workspaceId, actor: fx.actor, sourceId: fx.sourceId, enabled: false });
    expect(await post('/v1/track', { userId: 'u', event: 'x' }, { authorization: basicAuth(second.key) })).toMatchObject({ status: 403, body: { error: 'source_disabled' } });
    await updateSource({ db: testDb.db, workspaceId: fx.workspaceId, actor: fx.actor, sourceId: fx.sourceId, enabled: true });
    fx.writeKey = second.key;
  });
});
