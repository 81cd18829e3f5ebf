/**
 * Members over the public REST API, with the browser's rules: support lists, only admins
 * change roles, remove and invite, a workspace keeps an admin, and a token reaches only its
 * own workspace. Served from the members procedures' `meta.rest` by the REST generator.
 */
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

async function call(as: 'admin' | 'editor' | 'support' | 'outsider', method: string, path: string, body?: unknown) {
  const url = new URL(`http://localhost:3000/api/v1${path}`);
  const headers: Record<string, string> = { authorization: `Bearer ${world.principals[as].token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await handleRestRequest({ req: new Request(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }), db: testDb.db, path });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

describe('members over REST', () => {
  it('lists members as { data } for every role, and only the token\'s workspace', async () => {
    const list = await call('support', 'GET', '/members');
    expect(list.status).toBe(200);
    expect(list.body.data.map((m: { userId: string }) => m.userId).sort()).toEqual([world.principals.support.userId, world.principals.editor.userId, world.principals.admin.userId].sort());
    const elsewhere = await call('outsider', 'GET', '/members');
    expect(elsewhere.body.data.map((m: { userId: string }) => m.userId)).toEqual([world.principals.outsider.userId]);
  });

  it('changes a role and removes a member as admin only, keeping one admin', async () => {
    const supportId = world.principals.support.userId;
    expect((await call('editor', 'PATCH', `/members/${supportId}`, { role: 'editor' })).status).toBe(403);
    expect(await call('admin', 'PATCH', `/members/${supportId}`, { role: 'editor' })).toMatchObject({ status: 200, body: { userId: supportId, role: 'editor' } });
    expect((await call('admin', 'PATCH', `/members/${world.principals.admin.userId}`, { role: 'support' })).status).toBe(409);
    expect((await call('outsider', 'DELETE', `/members/${supportId}`)).status).toBe(404);
    expect((await call('admin', 'DELETE', `/members/${supportId}`)).status).toBe(204);
    expect((await call('admin', 'GET', '/members')).body.data).toHaveLength(2);
    const audit = await testDb.db.auditEntry.findMany({ where: { workspaceId: world.workspaceId, targetId: supportId }, orderBy: { id: 'asc' } });
    expect(audit.map((e) => [e.action, e.actorType])).toEqual([['member.role_change', 'token'], ['member.remove', 'token']]);
  });

  it('creates, lists and revokes invites as admin; the link is in the create response only', async () => {
    expect((await call('editor', 'POST', '/invites', { role: 'support' })).status).toBe(403);
    const created = await call('admin', 'POST', '/invites', { role: 'support', email: 'new.person@example.com' });
    expect(created).toMatchObject({ status: 201, body: { invite: { role: 'support', email: 'new.person@example.com' }, url: expect.stringMatching(/\/invite\/inv_/) } });
    const pending = await call('admin', 'GET', '/invites');
    expect(pending.body.data.map((i: { id: string }) => i.id)).toContain(created.body.invite.id);
    expect(JSON.stringify(pending.body)).not.toContain(created.body.url);
    expect((await call('support', 'GET', '/invites')).status).toBe(403);
    expect((await call('admin', 'DELETE', `/invites/${created.body.invite.id}`)).status).toBe(204);
    expect((await call('admin', 'GET', '/invites')).body.data).toEqual([]);
  });
});
