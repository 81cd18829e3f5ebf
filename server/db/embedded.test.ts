/** Embedded Postgres as `npm start` runs it: generated passwords, older installs, root. */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { firstUnenterableFolder, findAccount, isRoot, POSTGRES_ACCOUNT, StartupProblem, withPrivateTmpdir } from './embedded-access.ts';
import { LEGACY_PASSWORD, startEmbeddedPostgres } from './embedded.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FLAGS = ['-c', 'fsync=off', '-c', 'synchronous_commit=off'];
const cleanup: string[] = [];

afterAll(async () => {
  for (const dir of cleanup) await rm(dir, { recursive: true, force: true });
});

async function signsIn(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '28P01') return false;
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('embedded Postgres passwords', () => {
  it('moves a cluster made with the old fixed password to the generated one, once, and the old one stops working', async () => {
    const dir = path.join(ROOT, '.test-data', `pg-legacy-${randomBytes(4).toString('hex')}`);
    cleanup.push(dir);
    const old = await startEmbeddedPostgres({ dir, flags: FLAGS });
    const legacyUrl = old.url('switchyard');
    expect(legacyUrl).toContain(`:${LEGACY_PASSWORD}@`);
    await old.stop();

    const generated = randomBytes(24).toString('base64url');
    const upgraded = await startEmbeddedPostgres({ dir, port: old.port, password: generated, flags: FLAGS });
    try {
      expect(upgraded.passwordChanged).toBe(true);
      expect(await signsIn(upgraded.url('switchyard'))).toBe(true);
      expect(await signsIn(legacyUrl)).toBe(false);
    } finally {
      await upgraded.stop();
    }

    const again = await startEmbeddedPostgres({ dir, password: generated, flags: FLAGS });
    try {
      expect(again.passwordChanged).toBe(false);
      expect(await signsIn(again.url('switchyard'))).toBe(true);
    } finally {
      await again.stop();
    }
  });
});

describe.runIf(isRoot())('as root, where Postgres runs as the postgres user', () => {
  it('finds the first folder the postgres user cannot enter', async () => {
    const closed = await mkdtemp(path.join(os.tmpdir(), 'switchyard-closed-'));
    cleanup.push(closed);
    await mkdir(path.join(closed, 'app', '.data'), { recursive: true });
    expect(await firstUnenterableFolder(path.join(closed, 'app', '.data'), findAccount(POSTGRES_ACCOUNT))).toEqual({ folder: closed, mode: 0o700 });
    expect(await firstUnenterableFolder(ROOT, findAccount(POSTGRES_ACCOUNT))).toBeNull();
  });

  it('says in one line what to do when the data lives under a folder it cannot enter, instead of crashing', async () => {
    const closed = await mkdtemp(path.join(os.tmpdir(), 'switchyard-closed-'));
    cleanup.push(closed);
    const error = await startEmbeddedPostgres({ dir: path.join(closed, 'app', '.data', 'pg'), flags: FLAGS }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupProblem);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain(`cannot enter ${closed} (mode 0700)`);
    expect(message).toContain('DATABASE_URL');
  });
});

describe('the password file initdb reads', () => {
  it('is written inside a folder only Postgres\'s user may enter, removed afterwards', async () => {
    const owner = isRoot() ? findAccount(POSTGRES_ACCOUNT) : null;
    const outside = os.tmpdir();
    let seen: { dir: string; mode: number; uid: number } | null = null;
    await withPrivateTmpdir(owner, async () => {
      const dir = os.tmpdir();
      const info = await stat(dir);
      seen = { dir, mode: info.mode & 0o777, uid: info.uid };
    });
    expect(seen).not.toBeNull();
    const { dir, mode, uid } = seen!;
    expect(dir).not.toBe(outside);
    expect(mode).toBe(0o700);
    expect(uid).toBe(owner ? owner.uid : process.getuid!());
    expect(os.tmpdir()).toBe(outside);
    await expect(stat(dir)).rejects.toThrow(/ENOENT/);
  });

  it('leaves no password file behind after a new cluster is made', async () => {
    const before = new Set(await readdir(os.tmpdir()));
    const dir = path.join(ROOT, '.test-data', `pg-pwfile-${randomBytes(4).toString('hex')}`);
    cleanup.push(dir);
    const password = randomBytes(12).toString('hex');
    const cluster = await startEmbeddedPostgres({ dir, password, flags: FLAGS });
    try {
      expect(await signsIn(cluster.url('switchyard'))).toBe(true);
    } finally {
      await cluster.stop();
    }
    const added = (await readdir(os.tmpdir())).filter((name) => !before.has(name) && /^(pg-password-|switchyard-initdb-)/.test(name));
    expect(added).toEqual([]);
  });
});
