import { mkdir, mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildReason, recordBuild, sourceFingerprint } from './next-build.ts';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'switchyard-build-'));
  await mkdir(path.join(root, 'app'), { recursive: true });
  await mkdir(path.join(root, 'server/health'), { recursive: true });
  await writeFile(path.join(root, 'app/page.tsx'), 'export default function Page() { return null; }\n');
  await writeFile(path.join(root, 'server/health/health.ts'), 'export const x = 1;\n');
  await writeFile(path.join(root, 'package-lock.json'), '{}\n');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('when npm start rebuilds the app', () => {
  it('builds when there is no build, and not again while the sources are unchanged', async () => {
    const fingerprint = await sourceFingerprint(root);
    expect(await buildReason(root, fingerprint)).toBe('no build yet');

    await mkdir(path.join(root, '.next'));
    await writeFile(path.join(root, '.next/BUILD_ID'), 'abc');
    await recordBuild(root, fingerprint);

    expect(await buildReason(root, await sourceFingerprint(root))).toBeUndefined();
  });

  it('rebuilds after a source file, the lockfile or a new file changes, but not after a test changes', async () => {
    const before = await sourceFingerprint(root);
    await writeFile(path.join(root, 'server/health/health.test.ts'), 'test\n');
    expect(await sourceFingerprint(root)).toBe(before);

    const file = path.join(root, 'server/health/health.ts');
    const { mtime } = await stat(file);
    await utimes(file, mtime, new Date(mtime.getTime() + 5_000));
    const touched = await sourceFingerprint(root);
    expect(touched).not.toBe(before);

    await writeFile(path.join(root, 'package-lock.json'), '{"lockfileVersion":3}\n');
    const relocked = await sourceFingerprint(root);
    expect(relocked).not.toBe(touched);

    await writeFile(path.join(root, 'app/new.tsx'), 'export {};\n');
    expect(await sourceFingerprint(root)).not.toBe(relocked);
  });
});
