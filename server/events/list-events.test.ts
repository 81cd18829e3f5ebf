/** GET /api/v1/events over events that came in through the real tracking API. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { basicAuth, createIngestFixture } from '../ingest/test-fixtures.ts';
import { startIngestTestServer, type TIngestTestServer } from '../ingest/test-server.ts';
import { handleRestRequest } from '../rest/dispatch.ts';
import { createSource } from '../sources/sources.ts';
import { createApiToken } from '../tokens/api-tokens.ts';
import { listEvents, listNewerEvents } from './list-events.ts';

let testDb: TTestDb;
let server: TIngestTestServer;
let fx: Awaited<ReturnType<typeof createIngestFixture>>;
let token: string;

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
  fx = await createIngestFixture(testDb.db);
  token = (await createApiToken({ db: testDb.db, workspaceId: fx.workspaceId, actor: fx.actor, name: 'reader', role: 'support' })).token;
  // 120 events over 3 users, sent in 4 batches.
  for (let b = 0; b < 4; b++) {
    const batch = Array.from({ length: 30 }, (_, i) => ({ type: 'track', event: `E${b}`, userId: `user-${(b * 30 + i) % 3}`, messageId: `msg-${b}-${i}` }));
    const res = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basicAuth(fx.writeKey) }, body: JSON.stringify({ batch }) });
    expect(res.status).toBe(200);
  }
});
afterAll(async () => {
  await server.close();
  await testDb.drop();
});

async function get(query: string) {
  const url = new URL(`http://localhost/api/v1/events?${query}`);
  const res = await handleRestRequest({ req: new Request(url, { headers: { authorization: `Bearer ${token}` } }), db: testDb.db, path: '/events' });
  return { status: res.status, body: await res.json() };
}

describe('GET /api/v1/events', () => {
  it('pages through every event exactly once, newest first', async () => {
    const seen: string[] = [];
    let cursor = '';
    let previous = Infinity;
    for (let pages = 0; pages < 10; pages++) {
      const { status, body } = await get(`sourceId=${fx.sourceId}&limit=25${cursor ? `&cursor=${cursor}` : ''}`);
      expect(status).toBe(200);
      for (const event of body.data) {
        const at = new Date(event.receivedAt).getTime();
        expect(at).toBeLessThanOrEqual(previous);
        previous = at;
        seen.push(event.messageId);
      }
      if (!body.nextCursor) break;
      cursor = body.nextCursor;
    }
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
  });

  it('filters by userId and messageId', async () => {
    const byUser = await get('userId=user-1&limit=500');
    expect(byUser.body.data).toHaveLength(40);
    expect(new Set(byUser.body.data.map((e: { userId: string }) => e.userId))).toEqual(new Set(['user-1']));
    const byMessage = await get('messageId=msg-2-7');
    expect(byMessage.body.data).toHaveLength(1);
    expect(byMessage.body.data[0]).toMatchObject({ type: 'track', name: 'E2', payload: { messageId: 'msg-2-7' } });
  });

  it('finds a customer by any identifier (q), by e-mail in any case, and within from / to', async () => {
    const email = `ann-${Date.now()}@example.com`;
    const batch = [{ type: 'identify', userId: 'ann-1', traits: { email: email.toUpperCase() }, messageId: `ann-${Date.now()}` }, { type: 'track', event: 'Paid', userId: 'ann-1', properties: { email } }];
    // Another source of the workspace: the search spans sources, and the 120 events above stay 120.
    const other = await createSource({ db: testDb.db, workspaceId: fx.workspaceId, actor: fx.actor, name: 'Billing' });
    const res = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basicAuth(other.writeKeys[0].key) }, body: JSON.stringify({ batch }) });
    expect(res.status).toBe(200);
    expect((await get(`email=${encodeURIComponent(email)}`)).body.data.map((e: { type: string }) => e.type).sort()).toEqual(['identify', 'track']);
    expect((await get(`q=${encodeURIComponent(email.toUpperCase())}`)).body.data).toHaveLength(2);
    expect((await get('q=ann-1&type=track')).body.data.map((e: { name: string }) => e.name)).toEqual(['Paid']);
    expect((await get(`q=${encodeURIComponent('anon:ann-1')}`)).body.data).toEqual([]);
    const later = new Date(Date.now() + 60_000).toISOString();
    expect((await get(`q=ann-1&from=${later}`)).body.data).toEqual([]);
    expect((await get(`q=ann-1&to=${later}`)).body.data).toHaveLength(2);
  });

  it('answers a bad cursor or limit with 400', async () => {
    expect(await get('cursor=garbage')).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    expect(await get('limit=0')).toMatchObject({ status: 400, body: { error: 'bad_request' } });
  });
});

describe('event cursors', () => {
  it('let a live view continue from any event it holds, in both directions', async () => {
    const filter = { sourceId: fx.sourceId };
    const { events } = await listEvents({ db: testDb.db, workspaceId: fx.workspaceId, filter, limit: 200 });
    expect(events).toHaveLength(120);
    const newer = await listNewerEvents({ db: testDb.db, workspaceId: fx.workspaceId, filter, since: events[10].cursor });
    expect(newer.map((e) => e.id)).toEqual(events.slice(0, 10).map((e) => e.id).reverse());
    const older = await listEvents({ db: testDb.db, workspaceId: fx.workspaceId, filter, limit: 5, cursor: events[9].cursor });
    expect(older.events.map((e) => e.id)).toEqual(events.slice(10, 15).map((e) => e.id));
  });
});
