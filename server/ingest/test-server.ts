/**
 * For tests: the tracking API on a real HTTP server on a random loopback port, over a
 * test database, exactly as the web process serves it (same route, writer and cache).
 */
import { SuppressionCache } from '../privacy/suppression-cache.ts';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { createTrackingApi } from './http.ts';
import { KeyRateLimiter } from './rate-limit.ts';
import { SourceConfigCache } from './source-config.ts';
import { IngestWriter } from './writer.ts';

export interface TIngestTestServer {
  url: string;
  pool: pg.Pool;
  writer: IngestWriter;
  close: () => Promise<void>;
}

export async function startIngestTestServer({
  databaseUrl,
  ratePerSecond = 1_000_000,
  burst = 1_000_000,
  cacheTtlMs = 0,
}: {
  databaseUrl: string;
  ratePerSecond?: number;
  burst?: number;
  cacheTtlMs?: number;
}): Promise<TIngestTestServer> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  pool.on('error', () => undefined);
  const writer = new IngestWriter(pool);
  let url = '';
  const route = createTrackingApi({
    sources: new SourceConfigCache(pool, cacheTtlMs),
    writer,
    limiter: new KeyRateLimiter(ratePerSecond, burst),
    suppressions: new SuppressionCache(pool, cacheTtlMs),
    publicUrl: () => url,
    log: () => undefined,
  });
  const server = http.createServer((req, res) => {
    if (!route(req, res)) {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    pool,
    writer,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}
