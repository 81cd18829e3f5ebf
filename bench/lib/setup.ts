/** A fresh, durable Postgres for a benchmark run (fsync and synchronous_commit on), migrated, with a source and 2 destinations. */
import { appendFileSync, existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { startEmbeddedPostgres, type TEmbeddedPostgres } from '../../server/db/embedded.ts';
import { migrate } from '../../server/db/migrate.ts';
import { serverSettingFlags } from '../../server/db/server-settings.ts';
import { createDb } from '../../server/db/client.ts';
import { runEventStoreMaintenance } from '../../server/events/maintenance.ts';
import { createIngestFixture } from '../../server/ingest/test-fixtures.ts';
import { enablePgStats } from './pg-stats.ts';

export const BENCH_ENCRYPTION_KEYS = `bench:${Buffer.alloc(32, 1).toString('base64')}`;
export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface TBenchDatabase {
  pg: TEmbeddedPostgres | null;
  url: string;
  fixture: Awaited<ReturnType<typeof createIngestFixture>>;
  close: () => Promise<void>;
}

/**
 * `flags`: extra server settings for this run, e.g. ['-c', 'track_commit_timestamp=on'].
 * BENCH_PG_STATS=1 also loads pg_stat_statements (bench/lib/pg-stats.ts prints what it saw).
 * BENCH_EXPLAIN_MS=<ms> loads auto_explain: every statement slower than that is logged with
 * its plan as it ran (EXPLAIN ANALYZE with buffers and WAL, nested statements too) into
 * bench/results/postgres-<time>.log, e.g. the ingest flush under load.
 */
export async function setupBenchDatabase({ flags = [] }: { flags?: string[] } = {}): Promise<TBenchDatabase> {
  const external = process.env.BENCH_DATABASE_URL;
  // BENCH_DATA_DIR keeps the cluster (e.g. a 10 M-event traces fill read again later); default a throwaway one.
  const keptDir = process.env.BENCH_DATA_DIR;
  const dir = keptDir ? path.resolve(keptDir) : path.join(ROOT, '.bench-data', `pg-${Date.now().toString(36)}`);
  // Production-like durability, the product's settings for its embedded server, and the memory a small production box would give it.
  const isStats = process.env.BENCH_PG_STATS === '1';
  const explainMs = process.env.BENCH_EXPLAIN_MS;
  const libraries = [...(isStats ? ['pg_stat_statements'] : []), ...(explainMs ? ['auto_explain'] : [])];
  const statements = [
    ...(libraries.length ? ['-c', `shared_preload_libraries=${libraries.join(',')}`] : []),
    ...(isStats ? ['-c', 'pg_stat_statements.track=all'] : []),
    ...(explainMs ? ['-c', `auto_explain.log_min_duration=${Number(explainMs)}`, '-c', 'auto_explain.log_analyze=on', '-c', 'auto_explain.log_buffers=on', '-c', 'auto_explain.log_wal=on', '-c', 'auto_explain.log_nested_statements=on'] : []),
  ];
  let log: ((line: string) => void) | undefined;
  if (explainMs) {
    const file = path.join(ROOT, 'bench/results', `postgres-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
    await mkdir(path.dirname(file), { recursive: true });
    console.error(`Postgres log with auto_explain plans: ${file}`);
    log = (line) => appendFileSync(file, `${line}\n`);
  }
  const pg = external ? null : await startEmbeddedPostgres({ dir, log, flags: ['-c', 'shared_buffers=1GB', ...serverSettingFlags(), '-c', 'synchronous_commit=on', '-c', 'fsync=on', ...statements, ...flags] });
  const url = external ?? pg!.url('switchyard');
  await migrate(url);
  if (isStats) await enablePgStats(url);
  await runEventStoreMaintenance({ databaseUrl: url, retentionDays: 30, dedupeHours: 48 });
  const db = createDb(url, { max: 2 });
  const fixture = await createIngestFixture(db);
  await db.$disconnect();
  return {
    pg,
    url,
    fixture,
    close: async () => {
      await pg?.stop();
      if (!external && !keptDir && existsSync(dir)) await rm(dir, { recursive: true, force: true });
    },
  };
}
