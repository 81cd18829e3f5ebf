import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { createWorld, type TWorld } from '../api/test-principals.ts';
import type { TActor } from '../audit/actor.ts';
import { acceptInvite, changeMemberRole, createInvite, describeInvite, joinWithNewAccount, listInvites, listMembers, removeMember, revokeInvite } from './members.ts';
import { createWorkspace, listMyWorkspaces } from './workspaces.ts';

let testDb: TTestDb;
let world: TWorld;
let admin: TActor;

beforeAll(async () => {
  testDb = await createTestDb();
  world = await createWorld(testDb.db);
  admin = { type: 'user', id: world.principals.admin.userId, label: 'admin', role: 'admin', ip: '10.0.0.1' };
});
afterAll(() => testDb.drop());

describe('invites', () => {
  it('lets a new person join with the invited role through a one-time link', async () => {
    const { token } = await createInvite({ db: testDb.db, workspaceId: world.workspaceId, actor: admin, role: 'editor' });
    expect(await describeInvite({ db: testDb.db, token })).toMatchObject({ workspaceName: 'Acme', role: 'editor' });
    const joined = await joinWithNewAccount({ db: testDb.db, token, name: 'Eve Editor', email: 'Eve@Example.com', password: 'a long password', ip: null });
    expect(joined.slug).toMatch(/^acme-/);
    const members = await listMembers({ db: testDb.db, workspaceId: world.workspaceId });
    expect(members.find((m) => m.email === 'eve@example.com')).toMatchObject({ role: 'editor', name: 'Eve Editor' });
    await expect(describeInvite({ db: testDb.db, token })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(joinWithNewAccount({ db: testDb.db, token, name: 'Again', email: 'again@example.com', password: 'a long password', ip: null })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a revoked invite and an invite addressed to someone else', async () => {
    const revoked = await createInvite({ db: testDb.db, workspaceId: world.workspaceId, actor: admin, role: 'support' });
    await revokeInvite({ db: testDb.db, workspaceId: world.workspaceId, actor: admin, inviteId: revoked.invite.id });
    expect((await listInvites({ db: testDb.db, workspaceId: world.workspaceId })).map((i) => i.id)).not.toContain(revoked.invite.id);
    await expect(describeInvite({ db: testDb.db, token: revoked.token })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const addressed = await createInvite({ db: testDb.db, workspaceId: world.workspaceId, actor: admin, role: 'support', email: 'sam@example.com' });
    await expect(joinWithNewAccount({ db: testDb.db, token: addressed.token, name: 'Mallory', email: 'mallory@example.com', password: 'a long password', ip: null })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await testDb.db.user.count({ where: { email: 'mallory@example.com' } })).toBe(0);
  });

  it('lets an existing person join a second workspace and see both', async () => {
    const outsiderId = world.principals.outsider.userId!;
    const outsider = await testDb.db.user.findUniqueOrThrow({ where: { id: outsiderId } });
    const { token } = await createInvite({ db: testDb.db, workspaceId: world.workspaceId, actor: admin, role: 'support' });
    await acceptInvite({ db: testDb.db, token, userId: outsiderId, userEmail: outsider.email, ip: null });
    expect((await listMyWorkspaces({ db: testDb.db, userId: outsiderId })).map((w) => [w.name, w.role])).toEqual([['Acme', 'support'], ['Globex', 'admin']]);
  });
});

describe('roles', () => {
  it('changes roles and removes members, always keeping one admin, with audit entries', async () => {
    const solo = await createWorkspace({ db: testDb.db, actor: admin, userId: world.principals.admin.userId!, name: 'Solo' });
    await expect(changeMemberRole({ db: testDb.db, workspaceId: solo.id, actor: admin, userId: world.principals.admin.userId!, role: 'editor' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(removeMember({ db: testDb.db, workspaceId: solo.id, actor: admin, userId: world.principals.admin.userId! })).rejects.toMatchObject({ code: 'CONFLICT' });

    const editorId = world.principals.editor.userId!;
    await changeMemberRole({ db: testDb.db, workspaceId: world.workspaceId, actor: admin, userId: editorId, role: 'support' });
    await removeMember({ db: testDb.db, workspaceId: world.workspaceId, actor: admin, userId: editorId });
    expect((await listMembers({ db: testDb.db, workspaceId: world.workspaceId })).map((m) => m.userId)).not.toContain(editorId);
    const audit = await testDb.db.auditEntry.findMany({ where: { workspaceId: world.workspaceId, targetId: editorId }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.action, a.actorLabel, a.ip])).toEqual([
      ['member.role_change', 'admin', '10.0.0.1'],
      ['member.remove', 'admin', '10.0.0.1'],
    ]);
    expect(audit[0]).toMatchObject({ before: expect.objectContaining({ role: 'editor' }), after: expect.objectContaining({ role: 'support' }) });
  });
});
