import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { runEventStoreMaintenance } from './maintenance.ts';

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

  it('forgets messageIds older than the dedupe window only', async () => {
    await client.query(`INSERT INTO event_dedupe (source_id, message_id, received_at) SELECT gen_random_uuid(), 'old-' || g, now() - interval '3 days' FROM generate_series(1, 7000) g`);
    await client.query(`INSERT INTO event_dedupe (source_id, message_id, received_at) SELECT gen_random_uuid(), 'new-' || g, now() - interval '1 hour' FROM generate_series(1, 10) g`);
    const report = await runEventStoreMaintenance({ databaseUrl: testDb.url, retentionDays: 30, dedupeHours: 48 });
    expect(report.forgotten).toBe(7000);
    expect((await client.query(`SELECT count(*)::int AS n FROM event_dedupe`)).rows[0].n).toBe(10);
  });
});
