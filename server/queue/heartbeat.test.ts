import os from 'node:os';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDb } from '../db/client.ts';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { beat, isHeartbeatFresh, isWorkerAlive, startHeartbeat } from './heartbeat.ts';

const until = async (check: () => Promise<boolean>, timeoutMs = 5_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

describe('worker heartbeat', () => {
  let testDb: TTestDb;

  beforeAll(async () => {
    testDb = await createTestDb();
  });

  beforeEach(async () => {
    await testDb.db.workerHeartbeat.deleteMany();
  });

  afterAll(async () => {
    await testDb?.drop();
  });

  it('counts a worker alive for three intervals after its last beat, and dead after', async () => {
    const { db } = testDb;
    const lastSeen = new Date('2026-01-01T12:00:00Z');
    await beat({ db, id: 'host:1:aa', startedAt: lastSeen, now: lastSeen });

    expect(await isWorkerAlive({ db, now: new Date('2026-01-01T12:00:14Z'), intervalSeconds: 5 })).toBe(true);
    expect(await isWorkerAlive({ db, now: new Date('2026-01-01T12:00:15Z'), intervalSeconds: 5 })).toBe(false);
    expect(isHeartbeatFresh({ lastSeenAt: undefined })).toBe(false);
  });

  it('says no worker is alive when none ever beat', async () => {
    expect(await isWorkerAlive({ db: testDb.db })).toBe(false);
  });

  it('keeps one row per worker, updated in place, and prunes rows of workers long dead', async () => {
    const { db } = testDb;
    const startedAt = new Date(Date.now() - 60_000);
    await db.workerHeartbeat.create({
      data: { id: 'gone:9:zz', hostname: 'gone', pid: 9, startedAt, lastSeenAt: new Date(Date.now() - 2 * 86_400_000) },
    });
    await beat({ db, id: 'host:1:aa', startedAt, now: new Date(Date.now() - 1_000) });
    await beat({ db, id: 'host:1:aa', startedAt });

    const rows = await db.workerHeartbeat.findMany();
    expect(rows.map((row) => row.id)).toEqual(['host:1:aa']);
    expect(rows[0]).toMatchObject({ hostname: os.hostname(), pid: process.pid, startedAt });
  });

  it('beats right away and on every interval, and removes its row when stopped', async () => {
    const { db } = testDb;
    const heartbeat = startHeartbeat({ db, intervalSeconds: 1, log: () => undefined });
    expect(heartbeat.id).toMatch(new RegExp(`^${os.hostname()}:${process.pid}:[0-9a-f]{8}$`));

    await until(async () => (await db.workerHeartbeat.count({ where: { id: heartbeat.id } })) === 1);
    expect(await isWorkerAlive({ db })).toBe(true);
    const first = (await db.workerHeartbeat.findUniqueOrThrow({ where: { id: heartbeat.id } })).lastSeenAt;
    await until(async () => (await db.workerHeartbeat.findUniqueOrThrow({ where: { id: heartbeat.id } })).lastSeenAt > first);

    await heartbeat.stop();
    expect(await db.workerHeartbeat.count()).toBe(0);
    expect(await isWorkerAlive({ db })).toBe(false);
  });

  it('survives a database it cannot reach: logs once, keeps retrying, stops within its bound', async () => {
    const unreachable = createDb('postgresql://nobody:nothing@127.0.0.1:1/nowhere');
    const lines: string[] = [];
    const heartbeat = startHeartbeat({ db: unreachable, intervalSeconds: 1, log: (line) => lines.push(line) });

    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const started = Date.now();
    await heartbeat.stop();

    expect(Date.now() - started).toBeLessThan(4_000);
    expect(lines.filter((line) => line.startsWith('heartbeat failed, retrying every 1s'))).toHaveLength(1);
    expect(lines.at(-1)).toContain("could not remove this worker's row");
    await unreachable.$disconnect();
  });
});
