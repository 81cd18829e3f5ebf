import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDb } from '../db/client.ts';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { beat } from '../queue/heartbeat.ts';
import { checkHealth } from './health.ts';

describe('checkHealth', () => {
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

  it('is ok when the database answers and a worker beat recently', async () => {
    const { db } = testDb;
    const lastSeenAt = new Date(Date.now() - 2_000);
    await beat({ db, id: 'host:1:aa', startedAt: lastSeenAt, now: lastSeenAt });

    const health = await checkHealth({ db, heartbeatIntervalSeconds: 5 });

    expect(health).toEqual({
      status: 'ok',
      database: { up: true, latencyMs: expect.any(Number) },
      worker: { up: true, lastSeenAt: lastSeenAt.toISOString() },
    });
  });

  it('is degraded when no worker has beaten, and says when one was last seen', async () => {
    const { db } = testDb;
    expect(await checkHealth({ db, heartbeatIntervalSeconds: 5 })).toMatchObject({
      status: 'degraded',
      database: { up: true },
      worker: { up: false },
    });

    const stale = new Date(Date.now() - 60_000);
    await beat({ db, id: 'host:1:aa', startedAt: stale, now: stale });
    expect((await checkHealth({ db, heartbeatIntervalSeconds: 5 })).worker).toEqual({ up: false, lastSeenAt: stale.toISOString() });
  });

  it('is degraded, quickly and without leaking the URL, when the database is unreachable', async () => {
    const unreachable = createDb('postgresql://nobody:secret-password@127.0.0.1:1/nowhere');
    try {
      const started = Date.now();
      const health = await checkHealth({ db: unreachable, timeoutMs: 1_000 });
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(health.status).toBe('degraded');
      expect(health.database.up).toBe(false);
      expect(health.database.error).toBe("Can't reach database server at 127.0.0.1:1");
      expect(health.worker).toEqual({ up: false });
      expect(JSON.stringify(health)).not.toContain('secret-password');
    } finally {
      await unreachable.$disconnect();
    }
  });

  it('gives up on a database that hangs after the timeout', async () => {
    const { db } = testDb;
    const hanging = { ...db, $queryRaw: () => new Promise(() => undefined) } as unknown as typeof db;
    const started = Date.now();
    const health = await checkHealth({ db: hanging, timeoutMs: 200 });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(health.database).toEqual({ up: false, error: 'database check timed out after 200 ms' });
  });
});
