/** What the generated REST adapter adds around a procedure: token → workspace, list wrapping, 405, query and body errors. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TWorld } from '../api/test-principals.ts';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { handleRestRequest } from './dispatch.ts';

let testDb: TTestDb;
let world: TWorld;

beforeAll(async () => {
  testDb = await createTestDb();
  world = await createWorld(testDb.db);
});
afterAll(() => testDb.drop());

async function call(method: string, pathAndQuery: string, body?: unknown, token = world.principals.editor.token!) {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const url = new URL(`http://localhost:3000/api/v1${pathAndQuery}`);
  const res = await handleRestRequest({ req: new Request(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }), db: testDb.db, path: url.pathname.replace('/api/v1', '') });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

describe('REST adapter', () => {
  it('answers GET /workspace with the token\'s workspace, name and role', async () => {
    const res = await call('GET', '/workspace', undefined, world.principals.support.token!);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: world.workspaceId, name: 'Acme', token: { role: 'support', name: expect.stringMatching(/support/) } });
  });

  it('fills workspaceId from the token, whatever the request says', async () => {
    const created = await call('POST', '/sources', { name: 'Mine' });
    expect(created.status).toBe(201);
    const outsider = await call('GET', `/sources?workspaceId=${world.workspaceId}`, undefined, world.principals.outsider.token!);
    expect(outsider.body.data.map((s: { id: string }) => s.id)).not.toContain(created.body.id);
    const smuggled = await call('POST', '/sources', { name: 'Elsewhere', workspaceId: world.otherWorkspaceId });
    expect(smuggled).toMatchObject({ status: 400, body: { error: 'bad_request', issues: { workspaceId: expect.any(String) } } });
  });

  it('sends list outputs as { data } and says which methods a path allows', async () => {
    const list = await call('GET', '/destinations');
    expect(list.status).toBe(200);
    expect(Array.isArray(list.body.data)).toBe(true);
    const wrong = await call('PUT', '/sources');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, POST');
  });

  it('names the query field that is wrong, and refuses a body that is not an object', async () => {
    const res = await call('GET', '/events?limit=lots');
    expect(res).toMatchObject({ status: 400, body: { error: 'bad_request', issues: { 'query.limit': expect.any(String) } } });
    expect(res.body.message).toContain('query.limit');
    expect(await call('POST', '/sources', ['Mine'])).toMatchObject({ status: 400, body: { error: 'bad_request' } });
  });

  it('checks a body against the procedure\'s refinements (a replay range that ends before it starts)', async () => {
    const source = (await call('POST', '/sources', { name: 'Replay source' })).body;
    const destination = (await call('POST', '/destinations', { sourceId: source.id, type: 'webhook', name: 'Hook', settings: { url: 'https://hooks.example.com/x' } })).body;
    const res = await call('POST', `/destinations/${destination.id}/replays`, { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' });
    expect(res).toMatchObject({ status: 400, body: { error: 'bad_request', issues: { from: 'from must not be after to' } } });
  });
});
