/** Changing and resetting passwords, as the person, their admin and the server's operator do it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callTrpc, sessionCookieFor } from '../api/test-principals.ts';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { resetAdminFromConsole } from './console-reset.ts';
import { hashPassword } from './password.ts';
import { passwordWeakness } from './password-rules.ts';
import { authenticate } from './sign-in.ts';

let testDb: TTestDb;
let acme: string;
let globex: string;

beforeAll(async () => {
  testDb = await createTestDb();
  acme = (await testDb.db.workspace.create({ data: { name: 'Acme', slug: 'acme' } })).id;
  globex = (await testDb.db.workspace.create({ data: { name: 'Globex', slug: 'globex' } })).id;
});
afterAll(() => testDb.drop());

let counter = 0;
async function person(role: 'admin' | 'editor' | 'support', password: string, workspaces = [acme]) {
  counter += 1;
  const email = `person${counter}@example.com`;
  const user = await testDb.db.user.create({ data: { email, name: `Person ${counter}`, passwordHash: await hashPassword(password) } });
  for (const workspaceId of workspaces) await testDb.db.membership.create({ data: { workspaceId, userId: user.id, role } });
  return { id: user.id, email };
}

const call = (path: string, type: 'query' | 'mutation', input: unknown, cookie: string | null) => callTrpc({ db: testDb.db, path, type, input, cookie });
const isSignedIn = async (cookie: string) => (await call('workspaces.me', 'query', undefined, cookie)).code === null;
const signIn = (email: string, password: string) => authenticate({ db: testDb.db, email, password, ip: `10.9.${counter}.1` });

describe('password strength rules', () => {
  it.each([
    ['short1', 'Use at least 10 characters.'],
    ['aaaaaaaaaaaa', 'Use more different characters.'],
    ['Password123', 'This is one of the most common passwords; choose another.'],
    ['ada.lovelace-2026', 'Do not use your e-mail address in your password.'],
    ['correct horse battery staple', null],
  ])('%s → %s', (password, says) => {
    expect(passwordWeakness(password, { email: 'ada.lovelace@example.com', name: 'Ada' })).toBe(says);
  });
});

describe('changing my password', () => {
  it('needs the current password and a strong new one, then ends all my other sessions but not this one', async () => {
    const me = await person('editor', 'first password 1');
    const here = await sessionCookieFor(testDb.db, me.id);
    const laptop = await sessionCookieFor(testDb.db, me.id);
    const phone = await sessionCookieFor(testDb.db, me.id);

    const wrong = await call('account.changePassword', 'mutation', { currentPassword: 'not it at all', newPassword: 'second password 2' }, here);
    expect(wrong).toMatchObject({ code: 'BAD_REQUEST', message: 'Your current password is not right.' });
    const weak = await call('account.changePassword', 'mutation', { currentPassword: 'first password 1', newPassword: 'short' }, here);
    expect(weak).toMatchObject({ code: 'BAD_REQUEST', message: 'Use at least 10 characters.' });
    const same = await call('account.changePassword', 'mutation', { currentPassword: 'first password 1', newPassword: 'first password 1' }, here);
    expect(same).toMatchObject({ code: 'BAD_REQUEST', message: 'Choose a password different from the current one.' });
    expect(await isSignedIn(laptop)).toBe(true);

    const changed = await call('account.changePassword', 'mutation', { currentPassword: 'first password 1', newPassword: 'second password 2' }, here);
    expect(changed).toMatchObject({ code: null, data: { sessionsEnded: 2 } });
    expect(await isSignedIn(here)).toBe(true);
    expect(await isSignedIn(laptop)).toBe(false);
    expect(await isSignedIn(phone)).toBe(false);
    await expect(signIn(me.email, 'first password 1')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(signIn(me.email, 'second password 2')).resolves.toMatchObject({ id: me.id });

    const audit = await testDb.db.auditEntry.findMany({ where: { targetId: me.id, action: 'user.password_change' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ workspaceId: acme, actorId: me.id, role: 'editor', after: { email: me.email, sessionsEnded: 2 } });
    expect(JSON.stringify(audit.map((e) => [e.before, e.after]))).not.toContain('second password 2');
  });

  it('is refused when not signed in', async () => {
    expect(await call('account.changePassword', 'mutation', { currentPassword: 'x', newPassword: 'second password 2' }, null)).toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe("an admin's reset sign-in for a member", () => {
  it('gives a one-time link where the member chooses a new password; using it ends all their sessions', async () => {
    const admin = await person('admin', 'admin password 1');
    const member = await person('support', 'forgotten password 1');
    const adminCookie = await sessionCookieFor(testDb.db, admin.id);
    const memberSession = await sessionCookieFor(testDb.db, member.id);

    const created = await call('members.resetSignIn', 'mutation', { workspaceId: acme, userId: member.id }, adminCookie);
    expect(created).toMatchObject({ code: null, data: { email: member.email, url: expect.stringMatching(/^http:\/\/localhost:3000\/reset\/rst_[\w-]{32}$/) } });
    const token = (created.data as { url: string }).url.split('/reset/')[1];
    expect(JSON.stringify(await testDb.db.signInReset.findMany())).not.toContain(token);

    expect(await call('account.describeReset', 'query', { token }, null)).toMatchObject({ code: null, data: { email: member.email } });
    expect(await call('account.completeReset', 'mutation', { token, newPassword: 'short' }, null)).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await call('account.completeReset', 'mutation', { token, newPassword: 'a brand new password' }, null)).toMatchObject({ code: null, data: { email: member.email } });
    expect(await isSignedIn(memberSession)).toBe(false);
    await expect(signIn(member.email, 'a brand new password')).resolves.toMatchObject({ id: member.id });

    // Once only.
    expect(await call('account.completeReset', 'mutation', { token, newPassword: 'another new password' }, null)).toMatchObject({ code: 'NOT_FOUND' });
    expect(await call('account.describeReset', 'query', { token }, null)).toMatchObject({ code: 'NOT_FOUND' });

    const actions = (await testDb.db.auditEntry.findMany({ where: { targetId: member.id }, orderBy: { id: 'asc' } })).map((e) => [e.action, e.actorLabel]);
    expect(actions).toEqual([['member.reset_sign_in', admin.email], ['user.password_reset', member.email]]);
  });

  it('replaces an older link with a newer one', async () => {
    const admin = await person('admin', 'admin password 1');
    const member = await person('editor', 'forgotten password 1');
    const adminCookie = await sessionCookieFor(testDb.db, admin.id);
    const first = (await call('members.resetSignIn', 'mutation', { workspaceId: acme, userId: member.id }, adminCookie)).data as { url: string };
    await call('members.resetSignIn', 'mutation', { workspaceId: acme, userId: member.id }, adminCookie);
    expect(await call('account.describeReset', 'query', { token: first.url.split('/reset/')[1] }, null)).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('is for admins only, not for oneself, and not for someone who also belongs to a workspace the admin does not run', async () => {
    const admin = await person('admin', 'admin password 1');
    const editor = await person('editor', 'editor password 1');
    const shared = await person('editor', 'shared password 1', [acme, globex]);
    const adminCookie = await sessionCookieFor(testDb.db, admin.id);
    expect(await call('members.resetSignIn', 'mutation', { workspaceId: acme, userId: admin.id }, await sessionCookieFor(testDb.db, editor.id))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await call('members.resetSignIn', 'mutation', { workspaceId: acme, userId: admin.id }, adminCookie)).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('Change password') });
    expect(await call('members.resetSignIn', 'mutation', { workspaceId: acme, userId: shared.id }, adminCookie)).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('npm run reset-admin') });
    await testDb.db.membership.create({ data: { workspaceId: globex, userId: admin.id, role: 'admin' } });
    expect(await call('members.resetSignIn', 'mutation', { workspaceId: acme, userId: shared.id }, adminCookie)).toMatchObject({ code: null });
  });
});

describe('npm run reset-admin (the server console)', () => {
  it('gives a named admin a new generated password, ends their sessions and lifts their sign-in lockout', async () => {
    const admin = await person('admin', 'lost password 11', [globex]);
    const session = await sessionCookieFor(testDb.db, admin.id);
    for (let i = 0; i < 12; i += 1) await signIn(admin.email, 'wrong guess').catch(() => undefined);
    await expect(signIn(admin.email, 'lost password 11')).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });

    await expect(resetAdminFromConsole({ db: testDb.db })).rejects.toThrow('name one with --email');
    const editor = await person('editor', 'editor password 1');
    await expect(resetAdminFromConsole({ db: testDb.db, email: editor.email })).rejects.toThrow('is not an admin of any workspace');

    const reset = await resetAdminFromConsole({ db: testDb.db, email: ` ${admin.email.toUpperCase()} ` });
    expect(reset).toMatchObject({ email: admin.email, password: expect.stringMatching(/^\w{20}$/), sessionsEnded: 1 });
    expect(await isSignedIn(session)).toBe(false);
    await expect(signIn(admin.email, reset.password)).resolves.toMatchObject({ id: admin.id });
    expect(await testDb.db.auditEntry.findFirst({ where: { targetId: admin.id, action: 'user.password_reset_console' } })).toMatchObject({ workspaceId: globex, actorType: 'system' });
  });
});
