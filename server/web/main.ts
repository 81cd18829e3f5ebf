/**
 * The web process: a plain Node HTTP server in front of Next.js, listening on PORT. It owns
 * the socket so it can stamp the client IP on every request and route lean endpoints before
 * Next (see request-handler.ts). `--dev` runs Next in development mode (hot reload).
 * SIGINT/SIGTERM stop accepting connections, let in-flight requests finish (at most 10 s,
 * then remaining sockets are closed) and exit 0.
 */
import http from 'node:http';
import path from 'node:path';
import next from 'next';
import { databaseUrl, env } from '../env.ts';
import { createIngestService } from '../ingest/service.ts';
import { onShutdown } from '../lifecycle/bounds.ts';
import { createRequestHandler, type TLeanRoute } from './request-handler.ts';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
const SHUTDOWN_BOUND_MS = 10_000;


function log(line: string) {
  console.log(`${new Date().toISOString()} ${line}`);
}

async function main() {
  const config = env();
  const isDev = process.argv.includes('--dev');
  const server = http.createServer();
  // The tracking API (/v1/*) is answered here, before Next.js, by a lean handler with its own pool.
  const ingest = createIngestService({ databaseUrl: databaseUrl(), log });
  const leanRoutes: TLeanRoute[] = [ingest.route];
  const app = next({ dev: isDev, dir: PROJECT_ROOT, hostname: 'localhost', port: config.PORT, httpServer: server });
  await app.prepare();

  server.on(
    'request',
    createRequestHandler({ next: app.getRequestHandler(), leanRoutes, trustProxy: config.SWITCHYARD_TRUST_PROXY }),
  );
  // WebSocket upgrades (hot reload in dev): Next attaches its own listener to `httpServer`.

  onShutdown(
    async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const forced = setTimeout(() => server.closeAllConnections(), SHUTDOWN_BOUND_MS - 1_000);
      await closed;
      clearTimeout(forced);
      await app.close();
      await ingest.close();
    },
    { name: 'web', boundMs: SHUTDOWN_BOUND_MS, isSupervised: config.SWITCHYARD_SUPERVISED, log },
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, () => resolve());
  });
  log(`web: listening on http://localhost:${config.PORT} (${isDev ? 'development' : 'production'})`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
