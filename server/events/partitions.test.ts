import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../db/migrate.ts';
import { createEmptyDatabase, createTestDb, dropDatabase, type TTestDb } from '../db/test-db.ts';
import { runEventStoreMaintenance } from './maintenance.ts';
import { purgeDedupe } from './partitions.ts';

let testDb: TTestDb;
let client: pg.Client;

beforeAll(async () => {
  testDb = await createTestDb();
  client = new pg.Client({ connectionString: testDb.url });
  await client.connect();
});
afterAll(async () => {
  await client.end();
  await testDb.drop();
});

async function partitionsOf(table: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = $1 ORDER BY 1`,
    [table],
  );
  return rows.map((r) => r.name);
}

describe('event store maintenance', () => {
  it('creates daily partitions ahead, routes rows into them, and drops whole old ones', async () => {
    const day = (iso: string) => new Date(`${iso}T12:00:00Z`);
    const first = await runEventStoreMaintenance({ databaseUrl: testDb.url, retentionDays: 30, dedupeHours: 48, now: day('2026-03-10') });
    expect(first.created).toEqual(expect.arrayContaining(['events_p20260309', 'events_p20260313', 'jobs_p20260310']));
    await client.query(
      `INSERT INTO events (id, workspace_id, source_id, message_id, type, received_at, "timestamp", payload)
       VALUES (gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 'm1', 'track', '2026-03-10T08:00:00Z', now(), '{}')`,
    );
    const { rows } = await client.query(`SELECT tableoid::regclass::text AS part FROM events WHERE message_id = 'm1'`);
    expect(rows[0].part).toBe('events_p20260310');

    // 45 days later with 30 days' retention, March's partitions go as a whole.
    const later = await runEventStoreMaintenance({ databaseUrl: testDb.url, retentionDays: 30, dedupeHours: 48, now: day('2026-04-24') });
    expect(later.dropped).toEqual(expect.arrayContaining(['events_p20260310', 'jobs_p20260310']));
    expect(await partitionsOf('events')).not.toContain('events_p20260310');
    expect(await partitionsOf('events')).toContain('events_default');
    expect((await client.query(`SELECT count(*)::int AS n FROM events WHERE message_id = 'm1'`)).rows[0].n).toBe(0);
  });

  it('keeps the hourly rollups for the retention only: daily partitions dropped whole, old rows in the default partition deleted', async () => {
    const day = (iso: string) => new Date(`${iso}T12:00:00Z`);
    await runEventStoreMaintenance({ databaseUrl: testDb.url, retentionDays: 30, dedupeHours: 48, now: day('2026-05-10') });
    await client.query(
      `INSERT INTO delivery_rollups_hourly (destination_id, hour, outcome, status_code, error_code, attempt, count, latency_sum_ms, latency_max_ms)
       VALUES (gen_random_uuid(), '2026-05-10T08:00:00Z', 'succeeded', 200, '', 1, 3, 30, 12)`,
    );
    await client.query(`INSERT INTO ingest_rollups (source_id, hour, outcome, reason, slot, count) VALUES (gen_random_uuid(), '2026-05-10T08:00:00Z', 'stored', '', 0, 3)`);
    // A day with no partition of its own (a clock jump): the row waits in the default partition.
    await client.query(`INSERT INTO ingest_rollups (source_id, hour, outcome, reason, slot, count) VALUES (gen_random_uuid(), '2026-05-01T08:00:00Z', 'stored', '', 0, 1)`);
    const part = async (table: string) => (await client.query(`SELECT tableoid::regclass::text AS part FROM ${table} ORDER BY hour DESC LIMIT 1`)).rows[0].part;
    expect(await part('delivery_rollups_hourly')).toBe('delivery_rollups_hourly_p20260510');
    expect(await part('ingest_rollups')).toBe('ingest_rollups_p20260510');

    const later = await runEventStoreMaintenance({ databaseUrl: testDb.url, retentionDays: 30, dedupeHours: 48, now: day('2026-06-24') });
    expect(later.dropped).toEqual(expect.arrayContaining(['delivery_rollups_hourly_p20260510', 'ingest_rollups_p20260510']));
    expect(await partitionsOf('delivery_rollups_hourly')).toContain('delivery_rollups_hourly_default');
    const count = async (table: string) => (await client.query(`SELECT count(*)::int AS n FROM ${table} WHERE hour < '2026-05-24'`)).rows[0].n;
    expect(await count('delivery_rollups_hourly')).toBe(0);
    expect(await count('ingest_rollups')).toBe(0);
  });

  it('forgets messageIds older than the dedupe window only', async () => {
    await client.query(`INSERT INTO event_dedupe (source_id, message_id, received_at) SELECT gen_random_uuid(), 'old-' || g, now() - interval '3 days' FROM generate_series(1, 7000) g`);
    await client.query(`INSERT INTO event_dedupe (source_id, message_id, received_at) SELECT gen_random_uuid(), 'new-' || g, now() - interval '1 hour' FROM generate_series(1, 10) g`);
    const report = await runEventStoreMaintenance({ databaseUrl: testDb.url, retentionDays: 30, dedupeHours: 48 });
    expect(report.forgotten).toBe(7000);
    expect((await client.query(`SELECT count(*)::int AS n FROM event_dedupe`)).rows[0].n).toBe(10);
  });

  it('unsummarizes the expiry index ranges it empties, so space refilled with new messageIds does not keep their old minimum', async () => {
    await client.query(`DELETE FROM event_dedupe`);
    await client.query(`VACUUM event_dedupe`);
    await client.query(`INSERT INTO event_dedupe (source_id, message_id, received_at) SELECT gen_random_uuid(), 'old-' || g, now() - interval '3 days' + g * interval '1 ms' FROM generate_series(1, 6000) g`);
    const summarize = async () => (await client.query(`SELECT brin_summarize_range('event_dedupe_received_at_idx'::regclass, 0) AS n`)).rows[0].n;
    await summarize();
    expect(await summarize()).toBe(0); // range 0 is summarized now
    expect(await purgeDedupe(client, { hours: 48 })).toBe(6000);
    // Summarizing it again does something only if the purge had unsummarized it.
    expect(await summarize()).toBe(1);
  });

  it('moves the hourly rollups written before migration 0011 into daily partitions the maintenance can drop', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-0011-'));
    const database = await createEmptyDatabase();
    const other = new pg.Client({ connectionString: database.url });
    try {
      await cp(path.resolve(import.meta.dirname, '../../prisma/migrations'), dir, { recursive: true, filter: (source) => !source.includes('0011_') });
      await migrate(database.url, { dir });
      await other.connect();
      await other.query(
        `INSERT INTO delivery_rollups_hourly (destination_id, hour, outcome, status_code, error_code, attempt, count, latency_sum_ms, latency_max_ms, latency_buckets)
         VALUES ('00000000-0000-4000-8000-000000000001', '2026-02-03T23:00:00Z', 'succeeded', 200, '', 1, 5, 50, 20, '{1,2,2}')`,
      );
      await other.query(`INSERT INTO ingest_rollups (source_id, hour, outcome, reason, destination_id, slot, count) VALUES ('00000000-0000-4000-8000-000000000002', '2026-02-04T00:00:00Z', 'rejected', 'invalid_json', '', 1, 7)`);
      await migrate(database.url);
      const rows = async (table: string) => (await other.query(`SELECT tableoid::regclass::text AS part, * FROM ${table}`)).rows;
      expect(await rows('delivery_rollups_hourly')).toEqual([expect.objectContaining({ part: 'delivery_rollups_hourly_p20260203', count: 5, latency_buckets: [1, 2, 2] })]);
      expect(await rows('ingest_rollups')).toEqual([expect.objectContaining({ part: 'ingest_rollups_p20260204', reason: 'invalid_json', count: 7 })]);
      const report = await runEventStoreMaintenance({ databaseUrl: database.url, retentionDays: 30, dedupeHours: 48, now: new Date('2026-04-01T12:00:00Z') });
      expect(report.dropped).toEqual(expect.arrayContaining(['delivery_rollups_hourly_p20260203', 'ingest_rollups_p20260204']));
    } finally {
      await other.end();
      await dropDatabase(database.name);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
