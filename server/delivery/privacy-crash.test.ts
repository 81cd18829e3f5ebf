/**
 * A deletion survives a crash: the real worker process (`server/delivery/main.ts`) is
 * killed with SIGKILL in the middle of deleting a subject's events; its lease runs out, a
 * second worker resumes the same target, and the deletion finishes with exact counts in the
 * receipt (each batch's counts commit with the batch) and nothing of the subject left.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { createIngestFixture } from '../ingest/test-fixtures.ts';
import { createRegulation, getRegulation } from '../privacy/regulations.ts';
import { identityRowsSql } from '../traces/sql/identity-rows.ts';
import { startWorkerProcess, type TWorkerProcess } from './test-worker-process.ts';

const SUBJECT_EVENTS = 6000;
const OTHER_EVENTS = 100;

let testDb: TTestDb;
let dataDir: string;
const workers: TWorkerProcess[] = [];

beforeAll(async () => {
  testDb = await createTestDb();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'privacy-crash-'));
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill('SIGKILL')));
  await testDb.drop();
  await rm(dataDir, { recursive: true, force: true });
});

const spawn = () => {
  // Small batches make the deletion long enough to be killed in the middle of it.
  const worker = startWorkerProcess({ databaseUrl: testDb.url, dataDir, leaseSeconds: 5, env: { SWITCHYARD_PRIVACY_BATCH_SIZE: '5' } });
  workers.push(worker);
  return worker;
};

describe('deletion and crashes', () => {
  it('resumes after the worker is killed mid-deletion and finishes with exact counts', async () => {
    const fx = await createIngestFixture(testDb.db, { destinations: [] });
    for (const [user, count] of [['crash-user', SUBJECT_EVENTS], ['other-user', OTHER_EVENTS]] as const) {
      await testDb.db.$executeRawUnsafe(
        `WITH rows AS (
           INSERT INTO events (id, workspace_id, source_id, message_id, type, name, user_id, received_at, "timestamp", payload)
           SELECT gen_random_uuid(), $1::uuid, $2::uuid, $3 || g, 'track', 'Tick', $3, now() - interval '1 minute', now(), jsonb_build_object('userId', $3, 'event', 'Tick')
             FROM generate_series(1, $4) g
           RETURNING id, workspace_id, source_id, message_id, user_id, received_at, type, anonymous_id, payload),
         dedupe AS (INSERT INTO event_dedupe (source_id, message_id, received_at) SELECT source_id, message_id, received_at FROM rows)
         -- what ingest writes with each event: its identity rows (message ID and user ID digests)
         INSERT INTO event_identities (identity, received_at, event_id)
         SELECT r.identity, r.received_at, r.id FROM (${identityRowsSql('rows')}) r`,
        fx.workspaceId, fx.sourceId, user, count,
      );
    }
    const regulation = await createRegulation({ db: testDb.db, workspaceId: fx.workspaceId, actor: fx.actor, input: { regulationType: 'DELETE_INTERNAL', subjectType: 'USER_ID', subjectIds: ['crash-user'] } });
    const eventStore = () => testDb.db.regulationTarget.findFirstOrThrow({ where: { regulationId: regulation.id, kind: 'event_store' } });

    const first = spawn();
    await first.ready;
    await expect.poll(async () => Number(((await eventStore()).receipt as { events?: number }).events ?? 0), { timeout: 60_000, interval: 50 }).toBeGreaterThan(0);
    await first.kill('SIGKILL');

    const killed = await eventStore();
    const removedBeforeKill = Number((killed.receipt as { events: number }).events);
    expect(killed.status).toBe('running');
    expect(removedBeforeKill).toBeLessThan(SUBJECT_EVENTS);
    // The receipt matches what is gone: counts commit with each batch.
    expect(await testDb.db.event.count({ where: { userId: 'crash-user' } })).toBe(SUBJECT_EVENTS - removedBeforeKill);

    const second = spawn();
    await second.ready;
    await expect.poll(async () => (await getRegulation({ db: testDb.db, workspaceId: fx.workspaceId, regulationId: regulation.id })).status, { timeout: 90_000, interval: 250 }).toBe('finished');
    const done = await eventStore();
    expect(done.attempts).toBe(2);
    expect(done.receipt).toMatchObject({ events: SUBJECT_EVENTS, dedupeEntries: SUBJECT_EVENTS, identityRows: 2 * SUBJECT_EVENTS });
    expect((await testDb.db.$queryRawUnsafe<Array<{ n: number }>>('SELECT count(*)::int AS n FROM event_identities'))[0].n).toBe(2 * OTHER_EVENTS);
    expect(await testDb.db.event.count({ where: { userId: 'crash-user' } })).toBe(0);
    expect(await testDb.db.eventDedupe.count({ where: { messageId: { startsWith: 'crash-user' } } })).toBe(0);
    expect(await testDb.db.event.count({ where: { userId: 'other-user' } })).toBe(OTHER_EVENTS);
  }, 180_000);
});
