import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../auth/password.ts';
import { hashToken } from '../crypto/tokens.ts';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { ensureBootstrapToken, SEED_ADMIN_EMAIL, seedIfEmpty } from './seed.ts';

describe('first-run seed', () => {
  let testDb: TTestDb;

  beforeAll(async () => {
    testDb = await createTestDb();
  });

  afterAll(async () => {
    await testDb?.drop();
  });

  it('creates the demo workspace, its admin and a Website source with a write key, and returns a working password', async () => {
    const { db } = testDb;
    const credentials = await seedIfEmpty({ db });

    expect(credentials?.email).toBe(SEED_ADMIN_EMAIL);
    expect(credentials?.password).toMatch(/^[A-Za-z0-9]{20}$/);
    const user = await db.user.findUniqueOrThrow({ where: { email: SEED_ADMIN_EMAIL }, include: { memberships: { include: { workspace: true } } } });
    expect(user.name).toBe('Admin');
    expect(user.passwordHash).not.toContain(credentials?.password);
    expect(await verifyPassword(user.passwordHash, credentials?.password ?? '')).toBe(true);
    expect(user.memberships.map((m) => [m.role, m.workspace.name, m.workspace.slug])).toEqual([['admin', 'Demo', 'demo']]);

    const sources = await db.source.findMany({ include: { writeKeys: true } });
    expect(sources.map((s) => [s.name, s.slug, s.workspaceId])).toEqual([['Website', 'website', user.memberships[0].workspaceId]]);
    expect(sources[0].writeKeys).toHaveLength(1);
    expect(sources[0].writeKeys[0].key).toMatch(/^wk_[A-Za-z0-9_-]{32}$/);
  });

  it('does nothing once users exist, so a restart keeps data and shows no password', async () => {
    const { db } = testDb;
    expect(await seedIfEmpty({ db })).toBeUndefined();
    expect(await db.workspace.count()).toBe(1);
    expect(await db.user.count()).toBe(1);
  });

  it('seeds once when two processes start at the same moment', async () => {
    const other = await createTestDb();
    try {
      const results = await Promise.all([seedIfEmpty({ db: other.db }), seedIfEmpty({ db: other.db })]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await other.db.user.count()).toBe(1);
      expect(await other.db.workspace.count()).toBe(1);
    } finally {
      await other.drop();
    }
  });

  it('creates the bootstrap admin token once, in the first workspace, with an audit entry', async () => {
    const { db } = testDb;
    const token = 'sy_bootstrap_token_for_tests_0123456789';
    await db.workspace.create({ data: { name: 'Later', slug: 'later' } });

    expect(await ensureBootstrapToken({ db, token })).toBe(true);
    expect(await ensureBootstrapToken({ db, token })).toBe(false);

    const demo = await db.workspace.findUniqueOrThrow({ where: { slug: 'demo' } });
    const tokens = await db.apiToken.findMany();
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatchObject({ workspaceId: demo.id, name: 'bootstrap', role: 'admin', prefix: 'sy_boots', tokenHash: hashToken(token) });
    expect(JSON.stringify(tokens[0])).not.toContain(token);

    const audit = await db.auditEntry.findMany();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      workspaceId: demo.id,
      actorType: 'system',
      actorLabel: 'bootstrap',
      action: 'api_token.create',
      targetType: 'api_token',
      targetId: tokens[0].id,
    });
  });

  it('refuses a bootstrap token when there is no workspace to hold it', async () => {
    const empty = await createTestDb();
    try {
      await expect(ensureBootstrapToken({ db: empty.db, token: 'sy_bootstrap_token_for_tests_0123456789' })).rejects.toThrow(
        'no workspace',
      );
    } finally {
      await empty.drop();
    }
  });
});
