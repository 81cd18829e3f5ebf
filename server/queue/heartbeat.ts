/**
 * Worker liveness. Each delivery worker process upserts one `worker_heartbeats` row every
 * SWITCHYARD_WORKER_HEARTBEAT_SECONDS and deletes it when it stops; a worker counts as alive
 * while some row is newer than three intervals. A failed beat (database down) is logged once
 * per outage and retried on the next tick: liveness must never crash the worker.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Db } from '../db/client.ts';
import { describeDbError } from '../db/describe-error.ts';
import { env } from '../env.ts';
import { withTimeout } from '../lifecycle/bounds.ts';

/** Rows older than this belong to workers that died without cleaning up; they are pruned. */
const PRUNE_AFTER_MS = 24 * 60 * 60 * 1000;
const STOP_TIMEOUT_MS = 3_000;

export function heartbeatIntervalSeconds(): number {
  return env().SWITCHYARD_WORKER_HEARTBEAT_SECONDS;
}

export function newWorkerId(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

export async function beat({ db, id, startedAt, now = new Date() }: { db: Db; id: string; startedAt: Date; now?: Date }) {
  await db.workerHeartbeat.upsert({
    where: { id },
    create: { id, hostname: os.hostname(), pid: process.pid, startedAt, lastSeenAt: now },
    update: { lastSeenAt: now },
  });
  await db.workerHeartbeat.deleteMany({ where: { lastSeenAt: { lt: new Date(now.getTime() - PRUNE_AFTER_MS) } } });
}

export async function latestHeartbeatAt({ db }: { db: Db }): Promise<Date | undefined> {
  const row = await db.workerHeartbeat.findFirst({ orderBy: { lastSeenAt: 'desc' }, select: { lastSeenAt: true } });
  return row?.lastSeenAt;
}

export function isHeartbeatFresh({
  lastSeenAt,
  now = new Date(),
  intervalSeconds = heartbeatIntervalSeconds(),
}: {
  lastSeenAt: Date | undefined;
  now?: Date;
  intervalSeconds?: number;
}): boolean {
  return lastSeenAt !== undefined && now.getTime() - lastSeenAt.getTime() < 3 * intervalSeconds * 1000;
}

/** True when some worker has beaten within the last three intervals. */
export async function isWorkerAlive({ db, now, intervalSeconds }: { db: Db; now?: Date; intervalSeconds?: number }) {
  return isHeartbeatFresh({ lastSeenAt: await latestHeartbeatAt({ db }), now, intervalSeconds });
}

export interface THeartbeat {
  id: string;
  /** Stops beating and deletes this worker's row (best effort, bounded). */
  stop: () => Promise<void>;
}

export function startHeartbeat({
  db,
  intervalSeconds = heartbeatIntervalSeconds(),
  log = (line: string) => console.log(line),
}: {
  db: Db;
  intervalSeconds?: number;
  log?: (line: string) => void;
}): THeartbeat {
  const id = newWorkerId();
  const startedAt = new Date();
  const intervalMs = intervalSeconds * 1000;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let isStopped = false;
  let failingSince: Date | undefined;

  const tick = async () => {
    try {
      await withTimeout(beat({ db, id, startedAt }), intervalMs, 'heartbeat');
      if (failingSince) log(`heartbeat: database reachable again (down since ${failingSince.toISOString()})`);
      failingSince = undefined;
    } catch (error) {
      if (!failingSince) log(`heartbeat failed, retrying every ${intervalSeconds}s: ${describeDbError(error)}`);
      failingSince ??= new Date();
    }
  };
  const schedule = () => {
    if (isStopped) return;
    inFlight = tick().finally(() => {
      if (!isStopped) timer = setTimeout(schedule, intervalMs);
    });
  };
  schedule();

  return {
    id,
    stop: async () => {
      isStopped = true;
      clearTimeout(timer);
      await inFlight;
      try {
        await withTimeout(db.workerHeartbeat.deleteMany({ where: { id } }), STOP_TIMEOUT_MS, 'heartbeat removal');
      } catch (error) {
        log(`heartbeat: could not remove this worker's row (it expires on its own): ${describeDbError(error)}`);
      }
    },
  };
}
