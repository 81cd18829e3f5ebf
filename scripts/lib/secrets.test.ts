import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureSecrets } from './secrets.ts';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'switchyard-secrets-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('data directory secrets', () => {
  it('are generated once, owner-readable only, and reused on the next start', async () => {
    const first = await ensureSecrets(root);
    expect(first.isNew).toBe(true);
    expect(first.secrets.encryptionKeys).toMatch(/^k\d{8}:[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(first.secrets.authSecret, 'base64')).toHaveLength(32);
    expect(first.secrets.databasePassword).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect((await stat(path.join(root, 'secrets.json'))).mode & 0o777).toBe(0o600);

    const second = await ensureSecrets(root);
    expect(second).toEqual({ secrets: first.secrets, isNew: false, repairs: [] });
  });

  it('repairs a world-readable secrets file of an older install and says so', async () => {
    const { secrets } = await ensureSecrets(root);
    const file = path.join(root, 'secrets.json');
    await chmod(file, 0o644);
    const again = await ensureSecrets(root);
    expect(again.secrets).toEqual(secrets);
    expect(again.repairs).toEqual([`${file} was mode 0644, now 0600`]);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('adds a generated database password to a file written before there was one, keeping the other secrets', async () => {
    const file = path.join(root, 'secrets.json');
    const old = { encryptionKeys: 'k20261101:' + Buffer.alloc(32, 1).toString('base64'), authSecret: Buffer.alloc(32, 2).toString('base64') };
    await writeFile(file, JSON.stringify(old), { mode: 0o600 });
    const { secrets, repairs } = await ensureSecrets(root);
    expect(secrets).toMatchObject(old);
    expect(secrets.databasePassword).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(repairs).toEqual([expect.stringContaining('generated a database password')]);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ ...old, databasePassword: secrets.databasePassword });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await ensureSecrets(root)).secrets).toEqual(secrets);
  });

  it('refuses a damaged secrets file instead of replacing it', async () => {
    await writeFile(path.join(root, 'secrets.json'), '{"encryptionKeys":""}');
    await expect(ensureSecrets(root)).rejects.toThrow('secrets.json is not valid');
  });
});
