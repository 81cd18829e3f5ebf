/** Wires the tracking API for a web process: its own pool, the source cache, the writer, the limiter. */
import { SuppressionCache } from '../privacy/suppression-cache.ts';
import pg from 'pg';
import { env, publicUrl } from '../env.ts';
import { createTrackingApi } from './http.ts';
import { KeyRateLimiter } from './rate-limit.ts';
import { SourceConfigCache } from './source-config.ts';
import { IngestWriter } from './writer.ts';

export function createIngestService({ databaseUrl, log }: { databaseUrl: string; log?: (line: string) => void }) {
  const config = env();
  const pool = new pg.Pool({ connectionString: databaseUrl, max: config.SWITCHYARD_INGEST_POOL_SIZE, connectionTimeoutMillis: 5000 });
  // A broken idle connection must not crash the process; the next query reconnects.
  pool.on('error', (error) => log?.(`tracking API pool: ${error.message}`));
  const sources = new SourceConfigCache(pool);
  const writer = new IngestWriter(pool, { maxConcurrentFlushes: Math.max(1, config.SWITCHYARD_INGEST_POOL_SIZE - 2) });
  const limiter = new KeyRateLimiter(config.SWITCHYARD_INGEST_RATE_PER_SECOND, config.SWITCHYARD_INGEST_BURST);
  const suppressions = new SuppressionCache(pool);
  const route = createTrackingApi({ sources, writer, limiter, suppressions, publicUrl, log });
  return { route, writer, close: () => pool.end() };
}
