/**
 * Production builds of the Next.js app, only when needed: when `.next/BUILD_ID` is missing
 * or the fingerprint of the sources (path, size and mtime of every file under app/,
 * components/, server/, plus next.config.js, tsconfig.json and package-lock.json) differs
 * from the one stored in `.next/switchyard-fingerprint` by the last successful build.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

const SOURCE_DIRS = ['app', 'components', 'server'];
const SOURCE_FILES = ['next.config.js', 'tsconfig.json', 'package-lock.json'];
/** Tests are not part of the app; editing one must not trigger a rebuild. */
const IGNORED = /\.test\.tsx?$/;

async function listFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && !IGNORED.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

export async function sourceFingerprint(root: string): Promise<string> {
  const files = [
    ...(await Promise.all(SOURCE_DIRS.map((dir) => listFiles(path.join(root, dir))))).flat(),
    ...SOURCE_FILES.map((file) => path.join(root, file)).filter((file) => existsSync(file)),
  ].sort();
  const hash = createHash('sha256');
  for (const file of files) {
    const info = await stat(file);
    hash.update(`${path.relative(root, file)}\0${info.size}\0${Math.trunc(info.mtimeMs)}\n`);
  }
  return hash.digest('hex');
}

function fingerprintFile(root: string): string {
  return path.join(root, '.next', 'switchyard-fingerprint');
}

/** Why a build is needed, or undefined when the last build is current. */
export async function buildReason(root: string, fingerprint: string): Promise<string | undefined> {
  if (!existsSync(path.join(root, '.next', 'BUILD_ID'))) return 'no build yet';
  const stored = existsSync(fingerprintFile(root)) ? (await readFile(fingerprintFile(root), 'utf8')).trim() : '';
  return stored === fingerprint ? undefined : 'sources changed since the last build';
}

export async function recordBuild(root: string, fingerprint: string): Promise<void> {
  await writeFile(fingerprintFile(root), `${fingerprint}\n`);
}

/** The command that builds the app (run by the supervisor so its output is relayed). */
export function nextBuildCommand(root: string): { command: string; args: string[] } {
  return { command: process.execPath, args: [path.join(root, 'node_modules/next/dist/bin/next'), 'build'] };
}
