/**
 * CPU seconds spent by each part of a benchmark (this process, the sink, Postgres: the
 * postmaster, its live children and the children it has reaped), read from /proc (Linux),
 * so a run can say what its throughput cost and which part ran out first.
 */
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';

const TICKS_PER_SECOND = 100;

export interface TCpu {
  bench: number;
  sink: number;
  postgres: number;
}

/** utime, stime, cutime, cstime and ppid of a process, or null when it is gone. */
function stat(pid: number): { own: number; children: number; ppid: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is the state (field 3); utime is field 14, so fields[11].
    return { ppid: Number(fields[1]), own: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND, children: (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND };
  } catch {
    return null;
  }
}

export async function postmasterPid(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const backend = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    return stat(backend)?.ppid ?? 0;
  } finally {
    await client.end();
  }
}

/** CPU seconds used so far by Postgres: the postmaster, its live children and the children it has reaped. */
export function postgresCpuSeconds(postmaster: number): number {
  let postgres = 0;
  const master = stat(postmaster);
  if (master) postgres += master.own + master.children;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const child = stat(Number(entry));
    if (child && child.ppid === postmaster) postgres += child.own;
  }
  return postgres;
}

/** CPU seconds used so far by one process (0 when it is gone). */
export function processCpuSeconds(pid: number): number {
  return stat(pid)?.own ?? 0;
}

export function cpuNow({ sinkPid, postmaster }: { sinkPid: number; postmaster: number }): TCpu {
  const usage = process.cpuUsage();
  return { bench: (usage.user + usage.system) / 1e6, sink: processCpuSeconds(sinkPid), postgres: postgresCpuSeconds(postmaster) };
}

/** CPU used between two snapshots, as microseconds per unit of work (e.g. per delivery). */
export function cpuPer(before: TCpu, after: TCpu, units: number): TCpu {
  const per = (key: keyof TCpu) => ((after[key] - before[key]) * 1e6) / units;
  return { bench: per('bench'), sink: per('sink'), postgres: per('postgres') };
}

export function describeCpu(per: TCpu): string {
  const total = per.bench + per.sink + per.postgres;
  return `CPU per job: ${total.toFixed(0)} µs (worker process ${per.bench.toFixed(0)}, Postgres ${per.postgres.toFixed(0)}, sink ${per.sink.toFixed(0)})`;
}
