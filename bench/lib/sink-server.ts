/**
 * The benchmark's destination: a minimal HTTP server in its own process that reads each
 * request body and answers 200 at once, with BENCH_SINK_BODY or `{"ok":true}` (or 503 for a fraction BENCH_SINK_FAIL_RATE of
 * requests, for the soak). Prints `listening <port>` when ready and, on SIGUSR2, the
 * number of requests and failures answered so far (`served <n> <failed>`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const failRate = Number(process.env.BENCH_SINK_FAIL_RATE ?? 0);
/** What a 200 says (a partner's success body for partner benchmarks). */
const okBody = process.env.BENCH_SINK_BODY ?? '{"ok":true}';
const okLength = String(Buffer.byteLength(okBody));
let served = 0;
let failed = 0;

const server = http.createServer((req, res) => {
  req.on('data', () => undefined);
  req.on('end', () => {
    served++;
    if (failRate > 0 && Math.random() < failRate) {
      failed++;
      res.writeHead(503, { 'content-type': 'application/json', 'content-length': '27' });
      res.end('{"error":"try again later"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': okLength });
    res.end(okBody);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as AddressInfo).port}`));
// The parent holds our stdin: when it dies, however abruptly, we go too.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.on('SIGUSR2', () => console.log(`served ${served} ${failed}`));
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
