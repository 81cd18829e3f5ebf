/** Code written against the REST API reads like Segment's: the filter body, and a refusal that says where the condition is wrong. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type TWorld } from '../api/test-principals.ts';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { createDestination } from '../destinations/destinations.ts';
import { handleRestRequest } from '../rest/dispatch.ts';
import { createSource } from '../sources/sources.ts';

const SYSTEM = { type: 'system' as const, id: null, label: 'test', role: 'admin' as const, ip: null };
let testDb: TTestDb;
let world: TWorld;
let destinationId: string;

beforeAll(async () => {
  testDb = await createTestDb();
  world = await createWorld(testDb.db);
  const source = await createSource({ db: testDb.db, workspaceId: world.workspaceId, actor: SYSTEM, name: 'Web' });
  destinationId = (await createDestination({ db: testDb.db, workspaceId: world.workspaceId, actor: SYSTEM, input: { sourceId: source.id, type: 'webhook', name: 'Hook', settings: { url: 'https://hooks.example.com/in' } } })).destination.id;
});
afterAll(() => testDb.drop());

async function call(method: string, path: string, body?: unknown) {
  const req = new Request(`http://localhost:3000/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${world.principals.editor.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const res = await handleRestRequest({ req, db: testDb.db, path });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

describe('filters over REST', () => {
  it('creates, lists, changes and deletes a filter with Segment-shaped bodies', async () => {
    const created = await call('POST', `/destinations/${destinationId}/filters`, { title: 'Sample views', enabled: true, if: 'event = "Viewed"', action: { type: 'sample', percent: 0.25, path: 'userId' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: 'Sample views', if: 'event = "Viewed"', action: { type: 'sample', percent: 0.25, path: 'userId' }, position: 0, version: 1 });
    const id = created.body!.id as string;
    expect((await call('GET', `/destinations/${destinationId}/filters`)).body).toMatchObject({ data: [{ id }] });
    expect((await call('PATCH', `/filters/${id}`, { enabled: false })).body).toMatchObject({ enabled: false, version: 2 });
    expect((await call('DELETE', `/filters/${id}`)).status).toBe(204);
    expect((await call('GET', `/filters/${id}`)).status).toBe(404);
  });

  it('refuses an invalid condition with the position and what was expected', async () => {
    const refused = await call('POST', `/destinations/${destinationId}/filters`, { title: 'Broken', if: 'properties.total >', action: { type: 'drop' } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      message: 'Invalid if: Expected a value after ">" at character 19, found the end of the expression',
      issues: { if: 'Expected a value after ">" at character 19, found the end of the expression' },
    });
  });
});
