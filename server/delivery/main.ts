/**
 * The delivery worker process (`npm run worker`, or a child of `npm start`). It validates the
 * configuration first (a bad value stops it before it touches anything), connects to
 * Postgres, announces itself through a heartbeat row that the health check reads, and on
 * SIGINT/SIGTERM stops claiming, lets requests in flight finish (aborting them after 5 s),
 * records every outcome, gives the archive uploader a moment to finish the file it is
 * sending, removes that row and exits 0 within a bound. It also keeps the event store's
 * partitions (see server/events/maintenance.ts) and, when an S3-compatible bucket is
 * configured, ships archive files there (see archive-uploader.ts).
 */
import path from 'node:path';
import pg from 'pg';
import { createDb, type Db } from '../db/client.ts';
import { archiveS3Settings, databaseUrl, dataDir, env } from '../env.ts';
import { MAX_RETRY_WINDOW_SECONDS } from '../destinations/delivery-tuning.ts';
import { runEventStoreMaintenance } from '../events/maintenance.ts';
import { onShutdown } from '../lifecycle/bounds.ts';
import { FileArchive } from './archive.ts';
import { ArchiveUploader } from './archive-uploader.ts';
import { DeliveryEngine } from './engine.ts';
import { PrivacyRunner } from './privacy-runner.ts';
import { startHeartbeat } from '../queue/heartbeat.ts';
import { createS3ArchiveStore } from './s3-archive-store.ts';
import { pruneHeldSpans } from './sql/held-spans.ts';

const SHUTDOWN_BOUND_MS = 10_000;
const MAINTENANCE_EVERY_MS = 10 * 60_000;
/** After the engine stopped: how long the upload in progress may take before it is aborted. */
const UPLOADER_STOP_BOUND_MS = 2_000;

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

  const archiveDir = path.join(dataDir(), 'archive');
  const s3 = archiveS3Settings(config);
  const store = s3 ? createS3ArchiveStore(s3) : null;
  const uploader = store ? new ArchiveUploader({ dir: archiveDir, store, uploaderId: heartbeat.id, log }) : null;
  const archive = new FileArchive(archiveDir, heartbeat.id, { onWritten: () => uploader?.nudge() });
  const engine = new DeliveryEngine({ databaseUrl: url, workerId: heartbeat.id, dataDir: dataDir(), archive, allowPrivate: config.SWITCHYARD_ALLOW_PRIVATE_DESTINATIONS, log, drainMs: 5_000, leaseSeconds: config.SWITCHYARD_DELIVERY_LEASE_SECONDS });
  engine.start();
  if (uploader && store) {
    uploader.start();
    log(`archive files in ${archiveDir} are shipped to ${store.description}`);
  }
  // Privacy requests (server/privacy): deletion and suppression targets, leased like jobs.
  const privacyPool = new pg.Pool({ connectionString: url, max: 2 });
  // Its own S3 client: deletions rewrite shipped objects without waiting behind the uploader's requests.
  const privacyStore = s3 ? createS3ArchiveStore(s3) : null;
  privacyPool.on('error', (error) => log(`privacy pool: ${error.message}`));
  const privacy = new PrivacyRunner({
    pool: privacyPool,
    workerId: heartbeat.id,
    archiveDir,
    archiveStore: privacyStore,
    allowPrivate: config.SWITCHYARD_ALLOW_PRIVATE_DESTINATIONS,
    leaseSeconds: config.SWITCHYARD_DELIVERY_LEASE_SECONDS,
    batchSize: config.SWITCHYARD_PRIVACY_BATCH_SIZE,
    log,
  });
  privacy.start();
  const maintain = () =>
    runEventStoreMaintenance({ databaseUrl: url, retentionDays: config.SWITCHYARD_EVENT_RETENTION_DAYS, dedupeHours: config.SWITCHYARD_DEDUPE_HOURS })
      .then((report) => {
        if (report.created.length || report.dropped.length) log(`maintenance: created ${report.created.join(', ') || 'none'}; dropped ${report.dropped.join(', ') || 'none'}`);
      })
      .catch((error: unknown) => log(`maintenance failed (will retry): ${(error as Error).message}`))
      // Held spans no job can need any more (held-spans.ts): a partner pausing us all the time adds one per pause.
      .then(() => pruneHeldSpans(db, { keepSeconds: MAX_RETRY_WINDOW_SECONDS }))
      .then((pruned) => {
        if (pruned > 0) log(`maintenance: dropped ${pruned} held spans no job needs`);
      })
      .catch((error: unknown) => log(`pruning held spans failed (will retry): ${(error as Error).message}`));
  void maintain();
  const maintenance = setInterval(() => void maintain(), MAINTENANCE_EVERY_MS);

  process.on('unhandledRejection', (reason) => {
    log(`unhandled rejection (kept running): ${reason instanceof Error ? reason.stack : String(reason)}`);
  });

  onShutdown(
    async () => {
      clearInterval(maintenance);
      await Promise.all([engine.stop(), privacy.stop()]);
      await privacyPool.end();
      privacyStore?.close();
      await uploader?.stop(UPLOADER_STOP_BOUND_MS);
      await heartbeat.stop();
      await db.$disconnect();
    },
    { name: 'worker', boundMs: SHUTDOWN_BOUND_MS, isSupervised: config.SWITCHYARD_SUPERVISED, log },
  );
}

main();
