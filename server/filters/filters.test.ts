/**
 * Destination filters end to end: saved through the domain (refused when invalid, audited),
 * applied by the real tracking API, and observed at real local sinks: a dropped event never
 * arrives, a property change arrives changed (signed as sent), and the trace records why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TActor } from '../audit/actor.ts';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import type { DeliveryEngine } from '../delivery/engine.ts';
import { startSink, type TSink } from '../delivery/test-sink.ts';
import { createSourceWithSinks, startEngine, waitFor } from '../delivery/test-world.ts';
import { AppError } from '../errors/app-error.ts';
import { basicAuth } from '../ingest/test-fixtures.ts';
import { startIngestTestServer, type TIngestTestServer } from '../ingest/test-server.ts';
import { createFilter, deleteFilter, listFilters, reorderFilters, updateFilter } from './filters.ts';
import { previewFilter } from './preview.ts';

const actor: TActor = { type: 'system', id: null, label: 'test', role: 'admin', ip: null };

let testDb: TTestDb;
let server: TIngestTestServer;
const sinks: TSink[] = [];
let engine: DeliveryEngine | undefined;

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
});
afterAll(async () => {
  await engine?.stop();
  await Promise.all(sinks.map((sink) => sink.close()));
  await server.close();
  await testDb.drop();
});

async function track(writeKey: string, events: Array<Record<string, unknown>>): Promise<void> {
  const res = await fetch(`${server.url}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basicAuth(writeKey) },
    body: JSON.stringify({ batch: events.map((event) => ({ type: 'track', ...event })) }),
  });
  expect(res.status).toBe(200);
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('saving filters', () => {
  it('refuses an invalid condition or path with the position and what was expected, and audits changes', async () => {
    const sink = await startSink();
    sinks.push(sink);
    const { workspaceId, destinationIds: [destinationId] } = await createSourceWithSinks(testDb, [sink]);
    const db = testDb.db;

    const bad = await refusal(createFilter({ db, workspaceId, actor, destinationId, input: { title: 'Bad', if: 'event = "x" and', action: { type: 'drop' } } }));
    expect(bad.code).toBe('BAD_REQUEST');
    expect(bad.message).toBe('Invalid if: Expected a condition (a path such as properties.total, lowercase(…), length(…), "not" or "(") at character 16, found the end of the expression');
    expect(bad.issues).toEqual({ if: expect.stringContaining('at character 16') });
    const badPath = await refusal(createFilter({ db, workspaceId, actor, destinationId, input: { title: 'Bad', if: 'true', action: { type: 'drop_properties', paths: ['properties.ok', 'properties..email'] } } }));
    expect(badPath.issues).toEqual({ 'action.paths.1': expect.stringContaining('at character 12') });
    const topLevel = await refusal(createFilter({ db, workspaceId, actor, destinationId, input: { title: 'Bad', if: 'true', action: { type: 'allow_properties', paths: ['userId'] } } }));
    expect(topLevel.message).toContain('names a top-level field');
    expect((await listFilters({ db, workspaceId, destinationId })).data).toEqual([]);

    const first = await createFilter({ db, workspaceId, actor, destinationId, input: { title: 'Drop tests', if: 'event = "Test"', action: { type: 'drop' } } });
    const second = await createFilter({ db, workspaceId, actor, destinationId, input: { title: 'No email', if: 'true', action: { type: 'drop_properties', paths: ['properties.email'] } } });
    expect([first.position, second.position]).toEqual([0, 1]);
    expect(first.version).toBe(1);
    const renamed = await updateFilter({ db, workspaceId, actor, filterId: first.id, patch: { title: 'Drop test events' } });
    expect(renamed.version).toBe(2);
    await expect(updateFilter({ db, workspaceId, actor, filterId: first.id, patch: { if: 'event ==' } })).rejects.toThrow(/at character 8/);
    await deleteFilter({ db, workspaceId, actor, filterId: second.id });
    const trail = await db.auditEntry.findMany({ where: { workspaceId, targetType: 'destination_filter' }, orderBy: { id: 'asc' } });
    expect(trail.map((entry) => entry.action)).toEqual(['filter.create', 'filter.create', 'filter.update', 'filter.delete']);
    expect(trail[2].before).toMatchObject({ title: 'Drop tests', version: 1 });
    expect(trail[2].after).toMatchObject({ title: 'Drop test events', version: 2 });
  });

  it("does not show or change another workspace's filters", async () => {
    const sink = await startSink();
    sinks.push(sink);
    const mine = await createSourceWithSinks(testDb, [sink]);
    const theirs = await createSourceWithSinks(testDb, [sink]);
    const filter = await createFilter({ db: testDb.db, workspaceId: mine.workspaceId, actor, destinationId: mine.destinationIds[0], input: { title: 'Mine', if: 'true', action: { type: 'drop' } } });
    expect((await refusal(listFilters({ db: testDb.db, workspaceId: theirs.workspaceId, destinationId: mine.destinationIds[0] }))).code).toBe('NOT_FOUND');
    expect((await refusal(deleteFilter({ db: testDb.db, workspaceId: theirs.workspaceId, actor, filterId: filter.id }))).code).toBe('NOT_FOUND');
  });
});

describe('filters at ingest, observed at the sinks', () => {
  it('drops, samples and changes per destination; the worker sends the changed event; the pipeline says why', async () => {
    const [plain, filtered] = [await startSink(), await startSink()];
    sinks.push(plain, filtered);
    const world = await createSourceWithSinks(testDb, [plain, filtered]);
    const [plainId, filteredId] = world.destinationIds;
    const db = testDb.db;
    const { workspaceId } = world;
    const drop = await createFilter({ db, workspaceId, actor, destinationId: filteredId, input: { title: 'No internal traffic', if: 'lowercase(properties.email) match "*@acme.test"', action: { type: 'drop' } } });
    await createFilter({ db, workspaceId, actor, destinationId: filteredId, input: { title: 'Strip PII', if: 'event = "Order Completed"', action: { type: 'drop_properties', paths: ['properties.email', 'context.ip'] } } });
    await createFilter({ db, workspaceId, actor, destinationId: filteredId, input: { title: 'Half of page views', if: 'event = "Viewed"', action: { type: 'sample', percent: 0.5, path: 'userId' } } });

    const users = Array.from({ length: 40 }, (_, i) => `user-${i}`);
    await track(world.writeKey, [
      { messageId: 'internal', event: 'Order Completed', userId: 'u1', properties: { email: 'Bob@ACME.test', total: 5 } },
      { messageId: 'order', event: 'Order Completed', userId: 'u2', properties: { email: 'ada@example.com', total: 9 }, context: { ip: '203.0.113.9' } },
      { messageId: 'other', event: 'Signed Up', userId: 'u3', properties: { email: 'cy@example.com' } },
      // Each user twice: a sample on userId keeps both or neither.
      ...users.flatMap((userId) => [1, 2].map((n) => ({ messageId: `view-${userId}-${n}`, event: 'Viewed', userId }))),
    ]);
    engine = await startEngine(testDb.url);
    await waitFor(async () => (await db.jobQueue.count({ where: { destinationId: { in: world.destinationIds } } })) === 0, { what: 'the queue to drain' });

    const bodies = (sink: TSink) => new Map(sink.requests.map((r) => [(JSON.parse(r.body) as { messageId: string }).messageId, JSON.parse(r.body) as Record<string, unknown> & { properties?: Record<string, unknown>; context?: Record<string, unknown> }]));
    const atPlain = bodies(plain);
    const atFiltered = bodies(filtered);
    expect(atPlain.size).toBe(83);
    // Dropped: never arrives at the filtered destination, still arrives at the other.
    expect(atFiltered.has('internal')).toBe(false);
    expect(atPlain.get('internal')?.properties?.email).toBe('Bob@ACME.test');
    // Changed: what is sent lacks the properties, and the signature covers the changed body.
    expect(atFiltered.get('order')?.properties).toEqual({ total: 9 });
    expect(atFiltered.get('order')?.context).not.toHaveProperty('ip');
    expect(atPlain.get('order')?.properties).toEqual({ email: 'ada@example.com', total: 9 });
    expect(atPlain.get('order')?.context).toMatchObject({ ip: '203.0.113.9' });
    expect(filtered.requests.every((r) => r.isSignatureValid)).toBe(true);
    // Unmatched: arrives unchanged.
    expect(atFiltered.get('other')?.properties).toEqual({ email: 'cy@example.com' });
    // Sampled on userId: some users in, some out, each user's two views together.
    const inUsers = users.filter((u) => atFiltered.has(`view-${u}-1`));
    expect(inUsers.length).toBeGreaterThan(5);
    expect(inUsers.length).toBeLessThan(35);
    for (const u of users) expect(atFiltered.has(`view-${u}-2`)).toBe(atFiltered.has(`view-${u}-1`));

    // The stored event keeps what the client sent; the pipeline records each filter's decision.
    const internal = await db.event.findFirstOrThrow({ where: { sourceId: world.sourceId, messageId: 'internal' } });
    expect((internal.payload as { properties: object }).properties).toEqual({ email: 'Bob@ACME.test', total: 5 });
    expect(internal.pipeline).toMatchObject({
      routing: { selected: [plainId, filteredId] },
      filters: {
        decision: 'filtered',
        reason: 'not sent to 1 of 2 destinations',
        destinations: { [filteredId]: { decision: 'dropped', reason: 'dropped by filter “No internal traffic”', filters: [{ id: drop.id, effect: 'dropped' }] } },
      },
    });
    const order = await db.event.findFirstOrThrow({ where: { sourceId: world.sourceId, messageId: 'order' } });
    expect(order.pipeline).toMatchObject({
      filters: {
        decision: 'changed',
        destinations: { [filteredId]: { decision: 'changed', reason: 'properties removed: properties.email, context.ip', filters: [{ effect: 'no_match' }, { effect: 'changed' }, { effect: 'no_match' }] } },
      },
    });
    // When no filter did anything, the record is one line (events stay small).
    const other = await db.event.findFirstOrThrow({ where: { sourceId: world.sourceId, messageId: 'other' } });
    expect((other.pipeline as { filters: unknown }).filters).toEqual({ decision: 'passed', reason: 'none of 3 filters on 1 destination acted' });
    const orderJobs = await db.job.findMany({ where: { eventId: order.id }, select: { destinationId: true, payload: true } });
    expect(orderJobs.find((j) => j.destinationId === plainId)?.payload).toBeNull();
    expect((orderJobs.find((j) => j.destinationId === filteredId)?.payload as { properties: object }).properties).toEqual({ total: 9 });

    // Preview over these real events agrees with what ingest did.
    const preview = await previewFilter({ db, workspaceId, destinationId: filteredId, input: { if: 'properties.email exists', action: { type: 'drop_properties', paths: ['properties.email'] } } });
    expect(preview.total).toBe(83);
    expect(preview.counts).toEqual({ kept: 80, dropped: 0, sampled_out: 0, changed: 3 });
    expect(preview.data.find((row) => row.messageId === 'order')?.removed).toEqual([{ path: 'properties.email', value: 'ada@example.com' }]);
  });

  it('reorders filters: stale orders are refused, the new order applies to the next events, audited', async () => {
    const sink = await startSink();
    sinks.push(sink);
    const world = await createSourceWithSinks(testDb, [sink]);
    const db = testDb.db;
    const { workspaceId } = world;
    const destinationId = world.destinationIds[0];
    // Order matters: removing the e-mail first means the drop below no longer sees one.
    const strip = await createFilter({ db, workspaceId, actor, destinationId, input: { title: 'Strip e-mail', if: 'true', action: { type: 'drop_properties', paths: ['properties.email'] } } });
    const drop = await createFilter({ db, workspaceId, actor, destinationId, input: { title: 'Drop with e-mail', if: 'properties.email exists', action: { type: 'drop' } } });
    await track(world.writeKey, [{ messageId: 'before', event: 'A', userId: 'u', properties: { email: 'a@example.com' } }]);

    const stale = await refusal(reorderFilters({ db, workspaceId, actor, destinationId, input: { filterIds: [drop.id] } }));
    expect(stale.code).toBe('BAD_REQUEST');
    expect(stale.message).toBe("The order must list each of the destination's 2 filters once; it leaves out “Strip e-mail”");
    const twice = await refusal(reorderFilters({ db, workspaceId, actor, destinationId, input: { filterIds: [drop.id, drop.id, strip.id] } }));
    expect(twice.message).toContain('names a filter twice');
    const other = await createSourceWithSinks(testDb, [sink]);
    expect((await refusal(reorderFilters({ db, workspaceId: other.workspaceId, actor, destinationId, input: { filterIds: [drop.id, strip.id] } }))).code).toBe('NOT_FOUND');

    const reordered = await reorderFilters({ db, workspaceId, actor, destinationId, input: { filterIds: [drop.id, strip.id] } });
    expect(reordered.data.map((f) => [f.title, f.position, f.version])).toEqual([['Drop with e-mail', 0, 1], ['Strip e-mail', 1, 1]]);
    expect((await listFilters({ db, workspaceId, destinationId })).data.map((f) => f.id)).toEqual([drop.id, strip.id]);
    await track(world.writeKey, [{ messageId: 'after', event: 'A', userId: 'u', properties: { email: 'a@example.com' } }]);

    const jobsOf = async (messageId: string) => {
      const event = await db.event.findFirstOrThrow({ where: { sourceId: world.sourceId, messageId } });
      return db.job.findMany({ where: { eventId: event.id } });
    };
    // Before: stripped first, so kept (changed). After: the drop runs first and sees the e-mail.
    expect((await jobsOf('before')).map((j) => j.payload)).toEqual([expect.objectContaining({ properties: {} })]);
    expect(await jobsOf('after')).toEqual([]);
    const trail = await db.auditEntry.findMany({ where: { workspaceId, action: 'filter.reorder' } });
    expect(trail.map((t) => [t.targetId, t.before, t.after])).toEqual([[destinationId, { filterIds: [strip.id, drop.id] }, { filterIds: [drop.id, strip.id] }]]);
  });

  it('applies a change to a filter to the next events (the source cache refreshes)', async () => {
    const sink = await startSink();
    sinks.push(sink);
    const world = await createSourceWithSinks(testDb, [sink]);
    const filter = await createFilter({ db: testDb.db, workspaceId: world.workspaceId, actor, destinationId: world.destinationIds[0], input: { title: 'Drop A', if: 'event = "A"', action: { type: 'drop' } } });
    await track(world.writeKey, [{ messageId: 'a1', event: 'A', userId: 'u' }, { messageId: 'b1', event: 'B', userId: 'u' }]);
    await updateFilter({ db: testDb.db, workspaceId: world.workspaceId, actor, filterId: filter.id, patch: { if: 'event = "B"' } });
    await track(world.writeKey, [{ messageId: 'a2', event: 'A', userId: 'u' }, { messageId: 'b2', event: 'B', userId: 'u' }]);
    await updateFilter({ db: testDb.db, workspaceId: world.workspaceId, actor, filterId: filter.id, patch: { enabled: false } });
    await track(world.writeKey, [{ messageId: 'a3', event: 'A', userId: 'u' }, { messageId: 'b3', event: 'B', userId: 'u' }]);
    const jobs = await testDb.db.job.findMany({ where: { destinationId: world.destinationIds[0] }, select: { eventId: true } });
    const events = await testDb.db.event.findMany({ where: { id: { in: jobs.map((j) => j.eventId) } }, select: { messageId: true } });
    expect(events.map((e) => e.messageId).sort()).toEqual(['a2', 'a3', 'b1', 'b3']);
  });
});
