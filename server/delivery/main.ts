/**
 * The delivery worker process (`npm run worker`, or a child of `npm start`). It validates the
 * configuration first (a bad value stops it before it touches anything), connects to
 * Postgres, announces itself through a heartbeat row that the health check reads, and on
 * SIGINT/SIGTERM removes that row and exits 0 within a bound. Claiming and sending jobs
 * plug in between the heartbeat and the shutdown below.
 */
import { createDb, type Db } from '../db/client.ts';
import { databaseUrl, env } from '../env.ts';
import { onShutdown } from '../lifecycle/bounds.ts';
import { startHeartbeat } from './heartbeat.ts';

const SHUTDOWN_BOUND_MS = 10_000;

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
  log(`worker ${heartbeat.id} started (heartbeat every ${config.SWITCHYARD_WORKER_HEARTBEAT_SECONDS}s)`);

  process.on('unhandledRejection', (reason) => {
    log(`unhandled rejection (kept running): ${reason instanceof Error ? reason.stack : String(reason)}`);
  });

  onShutdown(
    async () => {
      await heartbeat.stop();
      await db.$disconnect();
    },
    { name: 'worker', boundMs: SHUTDOWN_BOUND_MS, isSupervised: config.SWITCHYARD_SUPERVISED, log },
  );
}

main();
