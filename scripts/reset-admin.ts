/**
 * `npm run reset-admin [-- --email admin@example.com]`: for a locked-out admin, on the
 * server's console. Gives the admin's account a new generated password (printed once), ends
 * its sessions and clears its failed sign-in attempts; the audit trail records it. Without
 * --email it resets the only admin, or lists the admins when there are several.
 *
 * It reaches the database the way `npm start` does: DATABASE_URL when set, otherwise the
 * embedded cluster under the data directory (the running one, or started for the moment).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resetAdminFromConsole } from '../server/auth/console-reset.ts';
import { createDb } from '../server/db/client.ts';
import { canSignIn, connectionUrl, LEGACY_PASSWORD, startEmbeddedPostgres } from '../server/db/embedded.ts';
import { StartupProblem } from '../server/db/embedded-access.ts';
import { dataDir, env } from '../server/env.ts';
import { AppError } from '../server/errors/app-error.ts';
import { framed, say } from './lib/prefix-lines.ts';
import { ensureSecrets, secretsPath } from './lib/secrets.ts';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The database URL and how to let go of it afterwards. */
async function connect(): Promise<{ url: string; release: () => Promise<void> }> {
  const configured = env().DATABASE_URL;
  if (configured) return { url: configured, release: async () => undefined };
  const dir = dataDir();
  if (!existsSync(secretsPath(dir))) throw new StartupProblem(`no Switchyard install in ${dir} (no secrets.json); run this where npm start runs, with the same SWITCHYARD_DATA_DIR or DATABASE_URL`);
  const { secrets } = await ensureSecrets(dir);
  const pgDir = path.join(dir, 'pg');
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (existsSync(pidFile)) {
    // postmaster.pid: pid, data directory, start time, port, …
    const [pid, , , port] = (await readFile(pidFile, 'utf8')).split('\n');
    if (isAlive(Number(pid))) {
      // A server started before passwords were generated still has the old fixed one until its next start.
      const password = (await canSignIn(secrets.databasePassword, Number(port))) ? secrets.databasePassword : LEGACY_PASSWORD;
      return { url: connectionUrl(password, Number(port), 'switchyard'), release: async () => undefined };
    }
  }
  say(`starting embedded Postgres in ${pgDir} for a moment`);
  const pg = await startEmbeddedPostgres({ dir: pgDir, password: secrets.databasePassword });
  return { url: pg.url('switchyard'), release: pg.stop };
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { email: { type: 'string' } } });
  const { url, release } = await connect();
  const db = createDb(url, { max: 1 });
  try {
    const { email, password, sessionsEnded } = await resetAdminFromConsole({ db, email: values.email });
    const lines = [`Email     ${email}`, `Password  ${password}`, '', `Shown once. ${sessionsEnded} session(s) of this account were ended.`, 'Sign in, then choose your own password under Change password.'];
    process.stdout.write(`\n${framed('Admin sign-in reset', lines)}\n\n`);
    return 0;
  } finally {
    await db.$disconnect();
    await release();
  }
}

try {
  process.exit(await main());
} catch (error) {
  if (error instanceof AppError || error instanceof StartupProblem) {
    console.error(`[switchyard] ${error.message}`);
    process.exit(1);
  }
  throw error;
}
