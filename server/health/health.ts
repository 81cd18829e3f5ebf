/**
 * Health of an install as `GET /api/health` reports it: can we reach Postgres (bounded, so a
 * hung database answers "down" quickly instead of hanging the probe), and has a delivery
 * worker beaten recently. `ok` needs both; anything else is `degraded`.
 */
import type { Db } from '../db/client.ts';
import { describeDbError } from '../db/describe-error.ts';
import { isHeartbeatFresh, latestHeartbeatAt } from '../queue/heartbeat.ts';
import { withTimeout } from '../lifecycle/bounds.ts';

export const DB_CHECK_TIMEOUT_MS = 2_000;

export interface THealth {
  status: 'ok' | 'degraded';
  database: { up: boolean; latencyMs?: number; error?: string };
  worker: { up: boolean; lastSeenAt?: string };
}

export async function checkHealth({
  db,
  now = new Date(),
  timeoutMs = DB_CHECK_TIMEOUT_MS,
  heartbeatIntervalSeconds,
}: {
  db: Db;
  now?: Date;
  timeoutMs?: number;
  heartbeatIntervalSeconds?: number;
}): Promise<THealth> {
  const started = performance.now();
  let database: THealth['database'];
  let lastSeenAt: Date | undefined;
  try {
    await withTimeout(db.$queryRaw`SELECT 1`, timeoutMs, 'database check');
    database = { up: true, latencyMs: Math.round(performance.now() - started) };
    lastSeenAt = await withTimeout(latestHeartbeatAt({ db }), timeoutMs, 'worker check');
  } catch (error) {
    database ??= { up: false, error: describeDbError(error) };
  }
  const worker: THealth['worker'] = {
    up: isHeartbeatFresh({ lastSeenAt, now, intervalSeconds: heartbeatIntervalSeconds }),
    ...(lastSeenAt ? { lastSeenAt: lastSeenAt.toISOString() } : {}),
  };
  return { status: database.up && worker.up ? 'ok' : 'degraded', database, worker };
}

