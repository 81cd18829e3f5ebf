/** Source names: never silently cut, never two alike in one workspace (form, tRPC and REST say the same). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callTrpc, createWorld, type TWorld } from '../api/test-principals.ts';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { handleRestRequest } from '../rest/dispatch.ts';

let testDb: TTestDb;
let world: TWorld;

beforeAll(async () => {
  testDb = await createTestDb();
  world = await createWorld(testDb.db);
});
afterAll(() => testDb.drop());

const create = (name: string, workspaceId = world.workspaceId, who: 'editor' | 'outsider' = 'editor') =>
  callTrpc({ db: testDb.db, path: 'sources.create', type: 'mutation', input: { workspaceId, name }, cookie: world.principals[who].cookie });

async function rest(method: string, path: string, body: unknown) {
  const url = new URL(`http://localhost:3000/api/v1${path}`);
  const req = new Request(url, { method, headers: { authorization: `Bearer ${world.principals.editor.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const res = await handleRestRequest({ req, db: testDb.db, path });
  return { status: res.status, body: (await res.json()) as { message?: string; issues?: Record<string, string> } };
}

describe('source names', () => {
  it('refuses a name over 80 characters with its length, and stores nothing cut short', async () => {
    const long = 'Mobile app for the spring campaign '.repeat(13).slice(0, 440);
    const refused = await create(long);
    expect(refused).toMatchObject({ code: 'BAD_REQUEST' });
    const viaRest = await rest('POST', '/sources', { name: long });
    expect(viaRest.status).toBe(400);
    expect(JSON.stringify(viaRest.body)).toContain('Use at most 80 characters; this name has 440.');
    expect(await testDb.db.source.count({ where: { workspaceId: world.workspaceId, name: { startsWith: 'Mobile app for the spring' } } })).toBe(0);
    await expect(create('x'.repeat(80))).resolves.toMatchObject({ code: null });
  });

  it('refuses a second source with the same name in a workspace, ignoring case and spaces; other workspaces may reuse it', async () => {
    expect(await create('Mobile App')).toMatchObject({ code: null });
    const again = await create('  mobile app ');
    expect(again).toMatchObject({ code: 'CONFLICT', message: 'Another source in this workspace is already called “Mobile App”. Choose a name that tells them apart.' });
    expect((await rest('POST', '/sources', { name: 'MOBILE APP' })).status).toBe(409);
    expect(await testDb.db.source.count({ where: { workspaceId: world.workspaceId, name: { equals: 'mobile app', mode: 'insensitive' } } })).toBe(1);
    expect(await create('Mobile App', world.otherWorkspaceId, 'outsider')).toMatchObject({ code: null });
  });

  it('refuses renaming onto another source\'s name, but keeps a source\'s own name on re-save', async () => {
    const web = (await create('Website')).data as { id: string };
    const shop = (await create('Shop')).data as { id: string };
    const rename = (sourceId: string, name: string) =>
      callTrpc({ db: testDb.db, path: 'sources.update', type: 'mutation', input: { workspaceId: world.workspaceId, sourceId, name }, cookie: world.principals.editor.cookie });
    expect(await rename(shop.id, 'website')).toMatchObject({ code: 'CONFLICT' });
    expect(await rename(web.id, 'Website')).toMatchObject({ code: null });
    expect(await rename(web.id, 'WEBSITE')).toMatchObject({ code: null, data: { name: 'WEBSITE' } });
    expect((await rest('PATCH', `/sources/${shop.id}`, { name: 'Website' })).status).toBe(409);
  });
});
