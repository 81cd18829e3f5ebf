/** A fresh, durable Postgres for a benchmark run (fsync and synchronous_commit on), migrated, with a source and 2 destinations. */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { startEmbeddedPostgres, type TEmbeddedPostgres } from '../../server/db/embedded.ts';
import { migrate } from '../../server/db/migrate.ts';
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
 */
export async function setupBenchDatabase({ flags = [] }: { flags?: string[] } = {}): Promise<TBenchDatabase> {
  const external = process.env.BENCH_DATABASE_URL;
  const dir = path.join(ROOT, '.bench-data', `pg-${Date.now().toString(36)}`);
  // Production-like durability; memory settings a small production box would use.
  const statements = process.env.BENCH_PG_STATS === '1' ? ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track=all'] : [];
  const pg = external ? null : await startEmbeddedPostgres({ dir, flags: ['-c', 'shared_buffers=1GB', '-c', 'max_wal_size=4GB', '-c', 'synchronous_commit=on', '-c', 'fsync=on', ...statements, ...flags] });
  const url = external ?? pg!.url('switchyard');
  await migrate(url);
  if (statements.length > 0) await enablePgStats(url);
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
      if (!external && existsSync(dir)) await rm(dir, { recursive: true, force: true });
    },
  };
}
