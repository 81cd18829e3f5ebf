/**
 * Measuring helpers shared by the delivery benchmarks: throughput while a backlog drains,
 * counted from rows the workers write (so only recorded work counts), and figure lines.
 */
import pg from 'pg';
import { cpuPer, type TCpu } from './cpu.ts';

export function figure(name: string, value: number, unit: string): void {
  console.log(`figure ${name} ${Number.isFinite(value) ? Math.round(value * 100) / 100 : 'NaN'} ${unit}`);
}

export function note(line: string): void {
  console.error(line);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A counter on its own connection: `count()` runs `sql`, which must return one row with `n`. */
export async function openCounter(databaseUrl: string, sql: string): Promise<{ count: () => Promise<number>; close: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => undefined);
  await client.connect();
  return {
    count: async () => Number((await client.query<{ n: string }>(sql)).rows[0].n),
    close: () => client.end(),
  };
}

export interface TDrain {
  perSecond: number;
  seconds: number;
  done: number;
  /** CPU per job over the whole drain, when `cpu` was given. */
  cpu?: TCpu;
}

/**
 * Polls `count` (rows recorded so far) until it reaches `total`, and returns the rate between
 * the moments 5 % and 95 % of the total were recorded: start-up and the tail are left out.
 */
export async function measureDrain({ count, total, stallSeconds = 60, label, cpu }: { count: () => Promise<number>; total: number; stallSeconds?: number; label: string; cpu?: () => TCpu }): Promise<TDrain> {
  const cpuBefore = cpu?.();
  let from: { at: number; n: number } | null = null;
  let to: { at: number; n: number } | null = null;
  let last = { at: performance.now(), n: -1 };
  let lastReport = performance.now();
  while (true) {
    const n = await count();
    const at = performance.now();
    if (n !== last.n) last = { at, n };
    if (!from && n >= total * 0.05) from = { at, n };
    if (!to && n >= total * 0.95) to = { at, n };
    if (n >= total) break;
    if (at - last.at > stallSeconds * 1000) throw new Error(`${label}: stuck at ${n} of ${total} for ${stallSeconds}s`);
    if (at - lastReport > 5000) {
      note(`  ${label}: ${n} of ${total} recorded`);
      lastReport = at;
    }
    await sleep(100);
  }
  const seconds = (to!.at - from!.at) / 1000;
  const cpuAfter = cpu?.();
  return { perSecond: (to!.n - from!.n) / seconds, seconds, done: last.n, cpu: cpuBefore && cpuAfter ? cpuPer(cpuBefore, cpuAfter, total) : undefined };
}

/**
 * Samples this process's resident memory every `everyMs` until `stop()`, which returns the
 * largest sample in MB (the benchmarks that run the delivery engine in-process: VmHWM would
 * include the backlog fill that ran before it).
 */
export function sampleRss(everyMs = 100): { stop: () => number } {
  let max = process.memoryUsage.rss();
  const timer = setInterval(() => {
    max = Math.max(max, process.memoryUsage.rss());
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(max, process.memoryUsage.rss()) / (1024 * 1024);
    },
  };
}
