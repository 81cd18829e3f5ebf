/** Embedded Postgres as `npm start` runs it: generated passwords, older installs, root. */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { firstUnenterableFolder, findAccount, isRoot, POSTGRES_ACCOUNT, StartupProblem } from './embedded-access.ts';
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
