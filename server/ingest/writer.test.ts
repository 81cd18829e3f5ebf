import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { normalizeEvent } from './normalize.ts';
import { createIngestFixture } from './test-fixtures.ts';
import { IngestWriter, type TWriteItem } from './writer.ts';

let testDb: TTestDb;
let pool: pg.Pool;
let fx: Awaited<ReturnType<typeof createIngestFixture>>;

beforeAll(async () => {
  testDb = await createTestDb();
  pool = new pg.Pool({ connectionString: testDb.url, max: 2 });
  fx = await createIngestFixture(testDb.db);
});
afterAll(async () => {
  await pool.end();
  await testDb.drop();
});

function item(messageId: string, jsonOverride?: string): TWriteItem {
  const event = normalizeEvent({ type: 'track', event: 'E', userId: 'u', messageId }, { receivedAt: new Date() });
  return { event: jsonOverride ? { ...event, json: jsonOverride } : event, workspaceId: fx.workspaceId, sourceId: fx.sourceId, destinations: [], pipeline: {} };
}

describe('group commit writer', () => {
  it('shares one commit among requests that arrive while a flush is in flight', async () => {
    const writer = new IngestWriter(pool, { maxConcurrentFlushes: 1 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => writer.write([item(`share-${i}`)])));
    expect(writer.stats.events).toBe(20);
    expect(writer.stats.flushes).toBeLessThan(20);
  });

  it('isolates a request whose values Postgres refuses from the others in its flush', async () => {
    const writer = new IngestWriter(pool, { maxConcurrentFlushes: 1 });
    const first = writer.write([item('iso-1')]);
    const bad = writer.write([item('iso-bad', '{"text":"nul \\u0000 inside"}')]);
    const good = writer.write([item('iso-2')]);
    await expect(first).resolves.toEqual({ isDuplicate: [false] });
    await expect(bad).rejects.toMatchObject({ code: '22P05' });
    await expect(good).resolves.toEqual({ isDuplicate: [false] });
    expect(await testDb.db.event.count({ where: { messageId: { in: ['iso-1', 'iso-2', 'iso-bad'] } } })).toBe(2);
  });

  it('makes one job and one due-work row per destination, created at the event\'s receipt, with its retry window and only a changed payload', async () => {
    const writer = new IngestWriter(pool);
    const [a, b] = fx.destinations;
    const base = item('jobs-1');
    const destination = (id: string, retryWindowSeconds: number) => ({ id, name: id, type: 'webhook', typeLabel: 'Webhook', enabled: true, retryWindowSeconds, filters: [] });
    await writer.write([{
      ...base, destinations: [destination(a.id, 3600), destination(b.id, 86_400)],
      payloads: new Map([[b.id, '{"type":"track","event":"E","properties":{"changed":true}}']]),
    }]);
    const event = await testDb.db.event.findFirstOrThrow({ where: { messageId: 'jobs-1' } });
    const jobs = await testDb.db.job.findMany({ where: { eventId: event.id } });
    const byDestination = new Map(jobs.map((job) => [job.destinationId, job]));
    expect([...byDestination.keys()].sort()).toEqual([a.id, b.id].sort());
    for (const job of jobs) {
      expect(job).toMatchObject({ workspaceId: fx.workspaceId, sourceId: fx.sourceId, createdAt: event.receivedAt, eventReceivedAt: event.receivedAt });
    }
    expect(byDestination.get(a.id)!.expireAt.getTime() - event.receivedAt.getTime()).toBe(3600_000);
    expect(byDestination.get(b.id)!.expireAt.getTime() - event.receivedAt.getTime()).toBe(86_400_000);
    expect(byDestination.get(a.id)!.payload).toBeNull();
    expect(byDestination.get(b.id)!.payload).toEqual({ type: 'track', event: 'E', properties: { changed: true } });
    const queued = await testDb.db.jobQueue.findMany({ where: { jobId: { in: jobs.map((job) => job.id) } } });
    expect(queued).toHaveLength(2);
    for (const row of queued) expect(row).toMatchObject({ jobCreatedAt: event.receivedAt, runAt: event.receivedAt, attempt: 0, leaseOwner: null });
    expect(new Set(jobs.map((job) => job.id)).size).toBe(2);
  });
});
