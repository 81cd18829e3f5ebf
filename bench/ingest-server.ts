/**
 * The tracking API alone on an HTTP server: exactly the handler, writer and pool the web
 * process mounts in front of Next.js (server/ingest/service.ts), without Next itself.
 * Used by the ingest benchmark when no production build exists (`npm run build` first to
 * measure the full web process instead).
 */
import http from 'node:http';
import { databaseUrl, env } from '../server/env.ts';
import { createIngestService } from '../server/ingest/service.ts';

const ingest = createIngestService({ databaseUrl: databaseUrl(), log: (line) => console.error(line) });
const server = http.createServer((req, res) => {
  if (!ingest.route(req, res)) {
    res.writeHead(404);
    res.end();
  }
});
server.keepAliveTimeout = 60_000;
server.listen(env().PORT, '127.0.0.1', () => console.log(`ingest-server listening on ${env().PORT}`));
process.on('SIGTERM', () => server.close(() => ingest.close().then(() => process.exit(0))));
