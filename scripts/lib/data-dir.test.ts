import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findAccount, isRoot, POSTGRES_ACCOUNT } from '../../server/db/embedded-access.ts';
import { prepareDataDir } from './data-dir.ts';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'switchyard-data-dir-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const modeOf = async (target: string) => (await stat(target)).mode & 0o777;

describe('the data directory', () => {
  it('is created owner-only', async () => {
    const dir = path.join(root, 'fresh');
    expect(await prepareDataDir(dir, { isEmbedded: false })).toEqual([]);
    expect(await modeOf(dir)).toBe(0o700);
  });

  it('of an older install is repaired, with its secret files, and each repair is reported', async () => {
    const dir = path.join(root, 'old');
    await mkdir(dir, { mode: 0o755 });
    await chmod(dir, 0o755);
    await writeFile(path.join(dir, 'first-run-credentials.json'), '{}', { mode: 0o644 });
    await chmod(path.join(dir, 'first-run-credentials.json'), 0o644);
    const repairs = await prepareDataDir(dir, { isEmbedded: false });
    expect(repairs).toEqual([`${dir} was mode 0755, now 0700`, `${path.join(dir, 'first-run-credentials.json')} was mode 0644, now 0600`]);
    expect(await modeOf(dir)).toBe(0o700);
    expect(await modeOf(path.join(dir, 'first-run-credentials.json'))).toBe(0o600);
    expect(await prepareDataDir(dir, { isEmbedded: false })).toEqual([]);
  });

  it.runIf(isRoot())('as root with embedded Postgres, lets only the postgres group pass through (0710), nobody else', async () => {
    const dir = path.join(root, 'rooted');
    expect(await prepareDataDir(dir, { isEmbedded: true })).toEqual([]);
    const info = await stat(dir);
    expect(info.mode & 0o777).toBe(0o710);
    expect(info.gid).toBe(findAccount(POSTGRES_ACCOUNT)!.gid);
  });
});
