/**
 * Runs once the web server of playwright.config.ts answers: checks that the fresh install
 * produced first-run admin credentials (the journeys sign in with them), and removes the
 * data directories of earlier runs: those whose Postgres is no longer running, left alone
 * for a while after creation so a concurrent run that is still starting keeps its own.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { e2eDataDir, readAdminCredentials } from './fixtures.ts';

const KEEP_RECENT_MS = 30 * 60_000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function isPostgresRunning(dir: string): Promise<boolean> {
  const pidFile = path.join(dir, 'pg', 'postmaster.pid');
  if (!existsSync(pidFile)) return false;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 && isAlive(pid);
}

async function removeEarlierRuns(current: string): Promise<void> {
  const parent = path.dirname(current);
  for (const name of await readdir(parent)) {
    const dir = path.join(parent, name);
    if (!name.startsWith('e2e-') || dir === current) continue;
    if (Date.now() - (await stat(dir)).mtimeMs < KEEP_RECENT_MS || (await isPostgresRunning(dir))) continue;
    await rm(dir, { recursive: true, force: true });
  }
}

export default async function globalSetup(): Promise<void> {
  const dataDir = e2eDataDir();
  readAdminCredentials();
  await removeEarlierRuns(dataDir);
}
