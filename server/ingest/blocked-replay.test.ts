/**
 * Replaying blocked events: the tracking plan blocks events at ingest (real tracking API),
 * the plan is fixed, a replay re-runs the pipeline on them (plan, routing, filters) and the
 * ones that pass now arrive at a real local sink, exactly once, changed by the destination's
 * filter; the ones still blocked stay blocked; a subject suppressed since is never sent; a
 * bounded call says hasMore and goes on from its cursor; the trace records the replay. The
 * released events leave the blocked figures: their violations say "released by replay" on
 * the violations page, and the overview counts them released (not blocked) beside their
 * deliveries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TActor } from '../audit/actor.ts';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import type { DeliveryEngine } from '../delivery/engine.ts';
import { startSink, type TSink } from '../delivery/test-sink.ts';
import { createSourceWithSinks, startEngine, waitFor } from '../delivery/test-world.ts';
import { AppError } from '../errors/app-error.ts';
import { createFilter } from '../filters/filters.ts';
import { createRegulation } from '../privacy/regulations.ts';
import { deliveryOverview } from '../traces/overview.ts';
import { getTrace } from '../traces/trace.ts';
import { createTrackingPlan, replaceTrackingPlan, setSourceTrackingPlan, type TPlanInput } from '../tracking-plans/plans.ts';
import { listViolations } from '../tracking-plans/violations.ts';
import { replayBlockedEvents } from './blocked-replay.ts';
import { basicAuth } from './test-fixtures.ts';
import { startIngestTestServer, type TIngestTestServer } from './test-server.ts';

const actor: TActor = { type: 'system', id: null, label: 'test', role: 'admin', ip: null };

const PLAN: TPlanInput = {
  name: 'Shop',
  rules: {
    events: [{ name: 'Order Completed', schema: { type: 'object', properties: { total: { type: 'number' } }, required: ['total'] } }],
  },
};

let testDb: TTestDb;
let server: TIngestTestServer;
let sink: TSink;
/** Behind a disabled destination: never called. */
let idleSink: TSink;
let engine: DeliveryEngine | undefined;

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
  sink = await startSink();
  idleSink = await startSink();
});
afterAll(async () => {
  await engine?.stop();
  await sink.close();
  await idleSink.close();
  await server.close();
  await testDb.drop();
});

async function track(writeKey: string, events: Array<Record<string, unknown>>): Promise<void> {
  const res = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basicAuth(writeKey) }, body: JSON.stringify({ batch: events.map((e) => ({ type: 'track', ...e })) }) });
  expect(res.status).toBe(200);
}

const stored = (sourceId: string, messageId: string) => testDb.db.event.findFirstOrThrow({ where: { sourceId, messageId } });
const jobsOf = async (sourceId: string, messageId: string) => testDb.db.job.findMany({ where: { eventId: (await stored(sourceId, messageId)).id } });

describe('replaying blocked events', () => {
  it('delivers a blocked event once the plan is fixed, through the filters, once; still-blocked events stay; bounded with a cursor', async () => {
    const world = await createSourceWithSinks(testDb, [sink, idleSink]);
    const { workspaceId, sourceId, writeKey, destinationIds: [destinationId, disabledId] } = world;
    const db = testDb.db;
    // Routing leaves a disabled destination out: counted per event that passes ("skipped").
    await db.destination.update({ where: { id: disabledId }, data: { enabled: false } });
    const plan = await createTrackingPlan({ db, workspaceId, actor, input: PLAN });
    await setSourceTrackingPlan({ db, workspaceId, actor, sourceId, input: { trackingPlanId: plan.id, unplannedEvents: 'block', violations: 'block' } });
    await createFilter({ db, workspaceId, actor, destinationId, input: { title: 'No notes', if: 'properties.note exists', action: { type: 'drop_properties', paths: ['properties.note'] } } });
    const from = new Date(Date.now() - 60_000);
    await track(writeKey, [
      { messageId: 'ok', event: 'Order Completed', userId: 'u1', properties: { total: 5 } },
      { messageId: 'wrong', event: 'Order Completed', userId: 'u1', properties: { total: 'five' } },
      { messageId: 'refund-1', event: 'Refunded', userId: 'u1', properties: { amount: 3, note: 'internal' } },
      { messageId: 'refund-2', event: 'Refunded', userId: 'u2', properties: { amount: 4 } },
    ]);
    // Received later, so it is the last of the refunds a replay reaches (events go oldest first).
    await new Promise((resolve) => setTimeout(resolve, 5));
    await track(writeKey, [{ messageId: 'refund-gone', event: 'Refunded', userId: 'gone', properties: { amount: 1 } }]);
    for (const id of ['wrong', 'refund-1', 'refund-2', 'refund-gone']) expect(await jobsOf(sourceId, id)).toEqual([]);
    const range = { from, to: new Date(Date.now() + 60_000) };

    // Before the fix nothing passes: every blocked event is examined and stays blocked.
    const early = await replayBlockedEvents({ db, workspaceId, actor, sourceId, input: range });
    expect(early).toMatchObject({ examined: 4, replayed: 0, queued: 0, stillBlocked: 4, suppressed: 0, hasMore: false, nextCursor: null });
    const groups = async () => (await listViolations({ db, workspaceId, trackingPlanId: plan.id })).data.map((g) => [g.event, g.kind, g.lastWeek, g.isBlocked, g.blocked, g.released]);
    expect(await groups()).toEqual([['Refunded', 'unplanned_event', 3, true, 3, 0], ['Order Completed', 'wrong_type', 1, true, 1, 0]]);
    const sourceFigures = async () => {
      const overview = await deliveryOverview({ db, workspaceId, range: '24h' });
      const source = overview.sources.find((s) => s.sourceId === sourceId);
      const destinations = new Map(overview.destinations.map((d) => [d.destinationId, d]));
      return { received: source?.received, stored: source?.stored, dropped: source?.dropped, released: source?.released, filtered: destinations.get(disabledId)?.filtered, delivered: destinations.get(destinationId)?.delivered };
    };
    expect(await sourceFigures()).toEqual({ received: 5, stored: 5, dropped: [{ reason: 'trackingPlan', count: 4 }], released: 0, filtered: [{ reason: 'routing: disabled', count: 1 }], delivered: 0 });

    // The plan learns "Refunded"; "gone" asks to be suppressed meanwhile.
    await replaceTrackingPlan({ db, workspaceId, actor, trackingPlanId: plan.id, input: { ...PLAN, rules: { events: [...PLAN.rules.events, { name: 'Refunded', schema: { type: 'object' } }] } } });
    await createRegulation({ db, workspaceId, actor, input: { regulationType: 'SUPPRESS_ONLY', subjectType: 'USER_ID', subjectIds: ['gone'] } });

    // Only "wrong_type" violations: the wrong order, which the new plan still blocks.
    const byKind = await replayBlockedEvents({ db, workspaceId, actor, sourceId, input: { ...range, kind: 'wrong_type' } });
    expect(byKind).toMatchObject({ examined: 1, replayed: 0, stillBlocked: 1 });

    // One event per call: the first call says there is more and where to go on.
    const first = await replayBlockedEvents({ db, workspaceId, actor, sourceId, input: { ...range, eventName: 'Refunded', limit: 1 } });
    expect(first).toMatchObject({ examined: 1, replayed: 1, queued: 1, stillBlocked: 0, hasMore: true });
    expect(first.nextCursor).toEqual(expect.any(String));
    const rest = await replayBlockedEvents({ db, workspaceId, actor, sourceId, input: { ...range, eventName: 'Refunded', limit: 1000, cursor: first.nextCursor! } });
    expect(rest).toMatchObject({ examined: 2, replayed: 1, queued: 1, suppressed: 1, hasMore: false, nextCursor: null });

    // Again over the whole range: the released events are not blocked any more, nothing is queued twice.
    const again = await replayBlockedEvents({ db, workspaceId, actor, sourceId, input: range });
    expect(again).toMatchObject({ examined: 2, replayed: 0, queued: 0, stillBlocked: 1, suppressed: 1 });

    engine = await startEngine(testDb.url);
    await waitFor(async () => (await db.jobQueue.count({ where: { destinationId } })) === 0 && sink.requests.length >= 3, { what: 'the replayed events to arrive' });
    const arrived = sink.requests.map((r) => JSON.parse(r.body) as { messageId: string; properties: Record<string, unknown> });
    expect(arrived.map((e) => e.messageId).sort()).toEqual(['ok', 'refund-1', 'refund-2']);
    // The destination's filter ran on the replay: the note is not sent; the stored event keeps it.
    expect(arrived.find((e) => e.messageId === 'refund-1')?.properties).toEqual({ amount: 3 });
    expect(((await stored(sourceId, 'refund-1')).payload as { properties: object }).properties).toEqual({ amount: 3, note: 'internal' });
    expect(sink.requests.every((r) => r.isSignatureValid)).toBe(true);

    // The trace: the plan now says valid, the replay is a step with what the plan said at ingest.
    const refund = await stored(sourceId, 'refund-1');
    expect(refund.pipeline).not.toHaveProperty('droppedBy');
    expect(refund.pipeline).toMatchObject({
      trackingPlan: { decision: 'valid', planVersion: 2 },
      // Received in the same millisecond, the two refunds go in id order: either call may have taken this one.
      replay: { decision: 'replayed', replayId: expect.toBeOneOf([first.replayId, rest.replayId]), was: { decision: 'blocked', planVersion: 1 } },
    });
    const trace = await getTrace({ db, workspaceId, eventId: refund.id });
    expect(trace.pipeline.find((step) => step.stage === 'replay')?.reason).toMatch(/^blocked: “Refunded” is not in the tracking plan at ingest; replayed .* by test \(replay [0-9a-f]{8}\)$/);
    expect(trace.deliveries.map((d) => [d.destinationId, d.state])).toEqual([[destinationId, 'delivered'], [disabledId, 'filtered']]);
    // Still blocked, and the suppressed subject's event: no job, no delivery.
    expect(await jobsOf(sourceId, 'wrong')).toEqual([]);
    expect(await jobsOf(sourceId, 'refund-gone')).toEqual([]);

    // The violations of the released events say so; the still-blocked ones are still blocked.
    const refundViolations = await db.violation.findMany({ where: { eventId: { in: [refund.id, (await stored(sourceId, 'refund-gone')).id] } }, select: { eventId: true, isBlocked: true, releasedAt: true } });
    expect(refundViolations.map((v) => [v.eventId === refund.id, v.isBlocked, v.releasedAt !== null]).sort()).toEqual([[false, true, false], [true, true, true]]);
    expect(await groups()).toEqual([['Refunded', 'unplanned_event', 3, true, 1, 2], ['Order Completed', 'wrong_type', 1, true, 1, 0]]);
    // The overview: 2 blocked (still), 2 released by replay; the destination delivered the one
    // that passed at ingest and the 2 released; routing left the disabled one out of all 3.
    expect(await sourceFigures()).toEqual({ received: 5, stored: 5, dropped: [{ reason: 'trackingPlan', count: 2 }], released: 2, filtered: [{ reason: 'routing: disabled', count: 3 }], delivered: 3 });

    const audit = await db.auditEntry.findMany({ where: { workspaceId, action: 'source.blocked_events_replay' }, orderBy: { id: 'asc' } });
    expect(audit).toHaveLength(5);
    expect(audit[2].after).toMatchObject({ replayId: first.replayId, eventName: 'Refunded', replayed: 1, hasMore: true });
  });

  it("does not replay another workspace's source", async () => {
    const mine = await createSourceWithSinks(testDb, [sink]);
    const theirs = await createSourceWithSinks(testDb, [sink]);
    const error = await replayBlockedEvents({ db: testDb.db, workspaceId: theirs.workspaceId, actor, sourceId: mine.sourceId, input: { from: new Date(0), to: new Date() } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('NOT_FOUND');
  });
});
