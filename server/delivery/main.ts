/**
 * The delivery worker process (`npm run worker`, or a child of `npm start`). It validates the
 * configuration first (a bad value stops it before it touches anything), connects to
 * Postgres, announces itself through a heartbeat row that the health check reads, and on
 * SIGINT/SIGTERM stops claiming, lets requests in flight finish (aborting them after 5 s),
 * records every outcome, removes that row and exits 0 within a bound. It also keeps the
 * event store's partitions (see server/ingest/maintenance.ts).
 */
import { createDb, type Db } from '../db/client.ts';
import { databaseUrl, dataDir, env } from '../env.ts';
import { runIngestMaintenance } from '../ingest/maintenance.ts';
import { onShutdown } from '../lifecycle/bounds.ts';
import { DeliveryEngine } from './engine.ts';
import { startHeartbeat } from './heartbeat.ts';

const SHUTDOWN_BOUND_MS = 10_000;
const MAINTENANCE_EVERY_MS = 10 * 60_000;

function log(line: string) {
  console.log(`${new Date().toISOString()} ${line}`);
}

function main() {
  let config: ReturnType<typeof env>;
  let url: string;
  try {
    config = env();
    url = databaseUrl();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }

  const db: Db = createDb(url, { max: 4 });
  const heartbeat = startHeartbeat({ db, intervalSeconds: config.SWITCHYARD_WORKER_HEARTBEAT_SECONDS, log });
  log(`worker ${heartbeat.id} started (heartbeat every ${config.SWITCHYARD_WORKER_HEARTBEAT_SECONDS}s, leases of ${config.SWITCHYARD_DELIVERY_LEASE_SECONDS}s)`);

  const engine = new DeliveryEngine({ databaseUrl: url, workerId: heartbeat.id, dataDir: dataDir(), allowPrivate: config.SWITCHYARD_ALLOW_PRIVATE_DESTINATIONS, log, drainMs: 5_000, leaseSeconds: config.SWITCHYARD_DELIVERY_LEASE_SECONDS });
  engine.start();
  const maintain = () =>
    runIngestMaintenance({ databaseUrl: url, retentionDays: config.SWITCHYARD_EVENT_RETENTION_DAYS, dedupeHours: config.SWITCHYARD_DEDUPE_HOURS })
      .then((report) => {
        if (report.created.length || report.dropped.length) log(`maintenance: created ${report.created.join(', ') || 'none'}; dropped ${report.dropped.join(', ') || 'none'}`);
      })
      .catch((error: unknown) => log(`maintenance failed (will retry): ${(error as Error).message}`));
  void maintain();
  const maintenance = setInterval(() => void maintain(), MAINTENANCE_EVERY_MS);

  process.on('unhandledRejection', (reason) => {
    log(`unhandled rejection (kept running): ${reason instanceof Error ? reason.stack : String(reason)}`);
  });

  onShutdown(
    async () => {
      clearInterval(maintenance);
      await engine.stop();
      await heartbeat.stop();
      await db.$disconnect();
    },
    { name: 'worker', boundMs: SHUTDOWN_BOUND_MS, isSupervised: config.SWITCHYARD_SUPERVISED, log },
  );
}

main();
