/**
 * The product's processes for the benchmarks, each a child process of its own so its
 * memory (VmHWM: peak resident set) and CPU are its own:
 *  - startWebProcess: the full web process (`server/web/main.ts`: Next.js plus the tracking
 *    API) when a production build exists and BENCH_LEAN is not 1, else the tracking API alone
 *    (`bench/ingest-server.ts`, same handler, pool and writer);
 *  - startWorkerProcess: the delivery worker process (`server/delivery/main.ts`), as
 *    `npm start` runs it.
 * BENCH_CPU_PROF=<dir> runs them with `node --cpu-prof`: a .cpuprofile per process is written
 * into <dir> when it exits (open it in Chrome DevTools or speedscope).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../server/db/embedded.ts';
import { WEB_NODE_FLAGS } from '../../scripts/lib/node-flags.ts';
import { BENCH_ENCRYPTION_KEYS, ROOT } from './setup.ts';

export interface TBenchProcess {
  pid: number;
  /** Peak resident memory so far (VmHWM), in MB. */
  peakRssMb: () => number;
  stop: () => Promise<void>;
}

function peakRssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
  } catch {
    return NaN;
  }
}

function startNode(entry: string, env: Record<string, string>, stdout: 'ignore' | 'inherit' = 'ignore', flags: string[] = []): ChildProcess {
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [];
  // `node --import tsx`, not the tsx CLI (which would be a wrapper process around ours and hide its RSS).
  return spawn(process.execPath, [...flags, ...profile, '--import', import.meta.resolve('tsx'), entry], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', SWITCHYARD_SUPERVISED: '0', NEXTAUTH_SECRET: 'bench', SWITCHYARD_ENCRYPTION_KEYS: BENCH_ENCRYPTION_KEYS, ...env },
    stdio: ['ignore', stdout, 'inherit'],
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function waitFor(url: string, child: ChildProcess, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before answering`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`server at ${url} did not come up`);
}

export async function startWebProcess(databaseUrl: string): Promise<TBenchProcess & { url: string; isFull: boolean }> {
  const port = await freePort();
  const isFull = existsSync(path.join(ROOT, '.next/BUILD_ID')) && process.env.BENCH_LEAN !== '1';
  const child = startNode(isFull ? 'server/web/main.ts' : 'bench/ingest-server.ts', { DATABASE_URL: databaseUrl, PORT: String(port) }, 'ignore', WEB_NODE_FLAGS);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${url}/v1/m`, child);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { url, isFull, pid: child.pid!, peakRssMb: () => peakRssMb(child.pid!), stop: () => stopChild(child) };
}

/** The worker process on `databaseUrl`, allowed to reach loopback (the bench sink), with a throwaway data directory. */
export async function startWorkerProcess(databaseUrl: string): Promise<TBenchProcess> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sy-bench-worker-'));
  // BENCH_WORKER_LOG=1 shows the worker's log lines (its stdout) on this process's stdout.
  const child = startNode('server/delivery/main.ts', { DATABASE_URL: databaseUrl, SWITCHYARD_DATA_DIR: dataDir, SWITCHYARD_ALLOW_PRIVATE_DESTINATIONS: '*' }, process.env.BENCH_WORKER_LOG === '1' ? 'inherit' : 'ignore');
  return {
    pid: child.pid!,
    peakRssMb: () => peakRssMb(child.pid!),
    stop: async () => {
      await stopChild(child);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
