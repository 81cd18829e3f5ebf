/**
 * For tests: the delivery worker as a real child process, exactly as `npm run worker` runs it
 * (`node --import tsx server/delivery/main.ts`), with its worker id read from its first log
 * line, its output kept for diagnostics, and hard kills (SIGKILL: no shutdown code runs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

const ROOT = path.resolve(import.meta.dirname, '../..');
const STARTED = /worker (\S+) started/;

export interface TWorkerProcess {
  pid: number;
  /** The worker id (job_queue.lease_owner, job_transitions.worker_id) once it has logged it. */
  id: string | null;
  ready: Promise<string>;
  lines: string[];
  isRunning: () => boolean;
  exited: Promise<number | null>;
  kill: (signal?: NodeJS.Signals) => Promise<void>;
}

export interface TWorkerProcessOptions {
  databaseUrl: string;
  dataDir: string;
  leaseSeconds?: number;
  env?: Record<string, string>;
}

export function startWorkerProcess({ databaseUrl, dataDir, leaseSeconds = 5, env = {} }: TWorkerProcessOptions): TWorkerProcess {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/delivery/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      SWITCHYARD_DATA_DIR: dataDir,
      SWITCHYARD_ALLOW_PRIVATE_DESTINATIONS: '*',
      SWITCHYARD_DELIVERY_LEASE_SECONDS: String(leaseSeconds),
      SWITCHYARD_SUPERVISED: '0',
      NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? 'test',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    exitCode = code;
    resolve(code);
  }));
  const worker: TWorkerProcess = {
    pid: child.pid ?? -1,
    id: null,
    lines,
    ready: new Promise<string>((resolve, reject) => {
      const keep = (line: string) => {
        lines.push(line);
        if (lines.length > 300) lines.shift();
        const started = STARTED.exec(line);
        if (started && !worker.id) {
          worker.id = started[1];
          resolve(started[1]);
        }
      };
      readline.createInterface({ input: child.stdout! }).on('line', keep);
      readline.createInterface({ input: child.stderr! }).on('line', keep);
      void exited.then((code) => reject(new Error(`worker exited (${code}) before starting:\n${lines.slice(-20).join('\n')}`)));
    }),
    isRunning: () => exitCode === undefined,
    exited,
    kill: async (signal = 'SIGKILL') => {
      if (exitCode !== undefined) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
  // A worker killed before it logged its id must not fail the test through an unhandled rejection.
  worker.ready.catch(() => undefined);
  return worker;
}
