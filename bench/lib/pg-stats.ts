/**
 * Where Postgres spends its time, for a benchmark run with BENCH_PG_STATS=1 (which loads
 * pg_stat_statements into the bench's Postgres): the statements that took the most
 * execution time, with calls, rows, mean time and the WAL they wrote, on stderr.
 */
import pg from 'pg';

export async function enablePgStats(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  } finally {
    await client.end();
  }
}

export async function resetPgStats(databaseUrl: string): Promise<void> {
  if (process.env.BENCH_PG_STATS !== '1') return;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_stat_statements_reset()');
  } finally {
    await client.end();
  }
}

/** The `top` statements by total execution time since the last reset (nothing unless BENCH_PG_STATS=1). */
export async function printPgStats(databaseUrl: string, { top = 10, log }: { top?: number; log: (line: string) => void }): Promise<void> {
  if (process.env.BENCH_PG_STATS !== '1') return;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ query: string; calls: string; rows: string; total_ms: number; mean_ms: number; wal_bytes: string; blk_written: string }>(
      `SELECT regexp_replace(left(query, 160), '\\s+', ' ', 'g') AS query, calls, rows, total_exec_time AS total_ms, mean_exec_time AS mean_ms,
              wal_bytes, shared_blks_dirtied AS blk_written
         FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT $1`,
      [top],
    );
    log(`pg_stat_statements, top ${top} by total execution time:`);
    for (const r of rows) {
      log(`  ${r.total_ms.toFixed(0).padStart(8)} ms total, ${String(r.calls).padStart(7)} calls, ${r.mean_ms.toFixed(2).padStart(8)} ms mean, ${String(r.rows).padStart(9)} rows, ${(Number(r.wal_bytes) / 1e6).toFixed(1).padStart(8)} MB WAL, ${String(r.blk_written).padStart(7)} blocks dirtied | ${r.query}`);
    }
  } finally {
    await client.end();
  }
}
