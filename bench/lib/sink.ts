/** Starts the benchmark sink (bench/lib/sink-server.ts) as a child process on a loopback port. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { ROOT } from './setup.ts';

export interface TBenchSink {
  url: string;
  pid: number;
  /** Requests answered so far, and how many of them with a 503. */
  served: () => Promise<{ served: number; failed: number }>;
  close: () => Promise<void>;
}

export async function startBenchSink({ failRate = 0, body }: { failRate?: number; body?: string } = {}): Promise<TBenchSink> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/lib/sink-server.ts')], {
    cwd: ROOT,
    env: { ...process.env, BENCH_SINK_FAIL_RATE: String(failRate), ...(body ? { BENCH_SINK_BODY: body } : {}) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout! });
  const waiters: Array<(line: string) => void> = [];
  lines.on('line', (line) => waiters.shift()?.(line));
  const nextLine = () => new Promise<string>((resolve) => waiters.push(resolve));
  const first = await Promise.race([nextLine(), new Promise<string>((_, reject) => child.once('exit', (code) => reject(new Error(`sink exited (${code})`))))]);
  const port = Number(/^listening (\d+)$/.exec(first)?.[1]);
  if (!port) throw new Error(`sink said: ${first}`);
  return {
    url: `http://127.0.0.1:${port}/hook`,
    pid: child.pid!,
    served: async () => {
      const answer = nextLine();
      child.kill('SIGUSR2');
      const [, served, failed] = (await answer).split(' ');
      return { served: Number(served), failed: Number(failed) };
    },
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
