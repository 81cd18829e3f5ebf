/**
 * A badge in the search must say what the trace says even when an old job was replayed or
 * re-sent long after its window: the search reads a job's transitions only up to a week past
 * its window (so a probe visits a few partitions), and such a replay's `replayed` transition
 * lies after that. Here the events are 20 days old, their jobs ended in their 4-hour window,
 * and today an archive replay and a re-send queue new jobs: their badges must be "pending"
 * (the new jobs, queued; no worker runs here), not the old jobs' "archived" / "delivered".
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TActor } from '../audit/actor.ts';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { startSink, type TSink } from '../delivery/test-sink.ts';
import { createSourceWithSinks } from '../delivery/test-world.ts';
import { createReplay } from '../queue/replays.ts';
import { resendEvent } from '../queue/resend-event.ts';
import { identityKey } from './identity.ts';
import { searchEvents } from './search.ts';

const actor: TActor = { type: 'system', id: null, label: 'test', role: 'admin', ip: null };

let testDb: TTestDb;
let sink: TSink;
let client: pg.Client;

beforeAll(async () => {
  testDb = await createTestDb();
  sink = await startSink();
  client = new pg.Client({ connectionString: testDb.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await sink?.close();
  await testDb?.drop();
});

/** An event received `daysAgo` days ago whose job ended in its window with `state` (as the worker records it). */
async function oldDelivery(world: { workspaceId: string; sourceId: string; destinationIds: string[] }, messageId: string, daysAgo: number, state: 'archived' | 'succeeded') {
  const { rows } = await client.query<{ id: string; received_at: Date }>(`
    WITH e AS (
      INSERT INTO events (id, workspace_id, source_id, message_id, type, name, user_id, received_at, "timestamp", payload, pipeline)
      VALUES (gen_random_uuid(), $1, $2, $3, 'track', 'Order Completed', 'old-customer', now() - make_interval(days => $5), now() - make_interval(days => $5),
              jsonb_build_object('type', 'track', 'event', 'Order Completed', 'messageId', $3::text), '{}'::jsonb)
      RETURNING id, workspace_id, source_id, received_at
    ),
    j AS (
      INSERT INTO jobs (id, created_at, workspace_id, source_id, destination_id, event_id, event_received_at, expire_at)
      SELECT gen_random_uuid(), received_at, workspace_id, source_id, $4::uuid, id, received_at, received_at + interval '4 hours' FROM e
      RETURNING id, created_at, destination_id, source_id, expire_at
    ),
    t AS (
      INSERT INTO job_transitions (job_id, job_created_at, destination_id, source_id, attempt, state, at, status_code)
      SELECT id, created_at, destination_id, source_id, 1, $6, CASE WHEN $6 = 'archived' THEN expire_at ELSE created_at + interval '1 second' END,
             CASE WHEN $6 = 'archived' THEN 503 ELSE 200 END FROM j
    )
    SELECT id, received_at FROM e`, [world.workspaceId, world.sourceId, messageId, world.destinationIds[0], daysAgo, state]);
  return rows[0];
}

async function badgeOf(workspaceId: string, messageId: string): Promise<string | undefined> {
  const page = await searchEvents({ db: testDb.db, workspaceId, input: { q: `message:${messageId}`, limit: 50 } });
  return page.data[0]?.deliveries[0]?.state;
}

describe('badges of old jobs replayed long after their window', () => {
  it('an archive replay 20 days later shows the new job, not "archived"', async () => {
    const world = await createSourceWithSinks(testDb, [sink]);
    const event = await oldDelivery(world, 'old-archived', 20, 'archived');
    // Identity rows make it findable by message ID (as ingest writes them).
    await client.query(`INSERT INTO event_identities (identity, received_at, event_id) VALUES ($1, $2, $3)`, [identityKey(world.workspaceId, { kind: 'message', value: 'old-archived' }).toString(), event.received_at, event.id]);
    expect(await badgeOf(world.workspaceId, 'old-archived')).toBe('archived');
    const replay = await createReplay({ db: testDb.db, workspaceId: world.workspaceId, actor, destinationId: world.destinationIds[0], input: { from: new Date(event.received_at.getTime() - 60_000), to: new Date(event.received_at.getTime() + 60_000), states: ['archived'] } });
    expect(replay.queued).toBe(1);
    expect(await badgeOf(world.workspaceId, 'old-archived')).toBe('pending');
  });

  it('a re-send 10 days later shows the new job, not "delivered"', async () => {
    const world = await createSourceWithSinks(testDb, [sink]);
    const event = await oldDelivery(world, 'old-delivered', 10, 'succeeded');
    await client.query(`INSERT INTO event_identities (identity, received_at, event_id) VALUES ($1, $2, $3)`, [identityKey(world.workspaceId, { kind: 'message', value: 'old-delivered' }).toString(), event.received_at, event.id]);
    expect(await badgeOf(world.workspaceId, 'old-delivered')).toBe('delivered');
    await resendEvent({ db: testDb.db, workspaceId: world.workspaceId, actor, event: { id: event.id, receivedAt: event.received_at, sourceId: world.sourceId }, destinationId: world.destinationIds[0] });
    expect(await badgeOf(world.workspaceId, 'old-delivered')).toBe('pending');
  });

  it('an old job nobody replayed keeps its state, and a replay elsewhere does not change it', async () => {
    const world = await createSourceWithSinks(testDb, [sink]);
    const event = await oldDelivery(world, 'old-quiet', 20, 'succeeded');
    await client.query(`INSERT INTO event_identities (identity, received_at, event_id) VALUES ($1, $2, $3)`, [identityKey(world.workspaceId, { kind: 'message', value: 'old-quiet' }).toString(), event.received_at, event.id]);
    const other = await oldDelivery(world, 'old-other', 20, 'archived');
    await createReplay({ db: testDb.db, workspaceId: world.workspaceId, actor, destinationId: world.destinationIds[0], input: { from: new Date(other.received_at.getTime() - 1), to: new Date(other.received_at.getTime() + 1), states: ['archived'] } });
    expect(await badgeOf(world.workspaceId, 'old-quiet')).toBe('delivered');
  });
});
