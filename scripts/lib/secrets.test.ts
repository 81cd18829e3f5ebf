import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
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
    expect((await stat(path.join(root, 'secrets.json'))).mode & 0o777).toBe(0o600);

    const second = await ensureSecrets(root);
    expect(second).toEqual({ secrets: first.secrets, isNew: false });
  });

  it('refuses a damaged secrets file instead of replacing it', async () => {
    await writeFile(path.join(root, 'secrets.json'), '{"encryptionKeys":""}');
    await expect(ensureSecrets(root)).rejects.toThrow('secrets.json is not valid');
  });
});
