/**
 * Tracking plans through the real tracking API: every enforcement mode, violations stored
 * with their events, blocked events kept without jobs, omitted properties missing from what
 * is sent, plan changes taking effect on the next events; and the validator's table.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TActor } from '../audit/actor.ts';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { AppError } from '../errors/app-error.ts';
import { basicAuth, createIngestFixture } from '../ingest/test-fixtures.ts';
import { startIngestTestServer, type TIngestTestServer } from '../ingest/test-server.ts';
import { createTrackingPlan, replaceTrackingPlan, setSourceTrackingPlan, type TPlanInput } from './plans.ts';
import { compilePlan } from './validate.ts';
import { listViolations } from './violations.ts';

const actor: TActor = { type: 'system', id: null, label: 'test', role: 'admin', ip: null };

const PLAN: TPlanInput = {
  name: 'Shop',
  rules: {
    events: [
      {
        name: 'Order Completed',
        schema: { type: 'object', properties: { total: { type: 'number' }, currency: { type: 'string', enum: ['EUR', 'USD'] } }, required: ['total'], additionalProperties: false },
      },
    ],
    identify: { type: 'object', properties: { email: { type: 'string', format: 'email' } }, required: ['email'] },
    common: { type: 'object', properties: { userId: { type: 'string' } }, required: ['userId'] },
  },
};

describe('validator table', () => {
  const plan = compilePlan({ id: 'p', version: 1, rules: PLAN.rules });
  it.each<[string, { type: string; name: string | null; payload: Record<string, unknown> }, boolean, Array<[string, string]>]>([
    ['a valid order', { type: 'track', name: 'Order Completed', payload: { userId: 'u', properties: { total: 5, currency: 'EUR' } } }, true, []],
    ['an unplanned event', { type: 'track', name: 'Refunded', payload: { userId: 'u' } }, false, [['unplanned_event', 'event']]],
    ['a missing required property', { type: 'track', name: 'Order Completed', payload: { userId: 'u', properties: {} } }, true, [['missing_required', 'properties.total']]],
    ['a wrong type', { type: 'track', name: 'Order Completed', payload: { userId: 'u', properties: { total: '5' } } }, true, [['wrong_type', 'properties.total']]],
    ['an unplanned property', { type: 'track', name: 'Order Completed', payload: { userId: 'u', properties: { total: 5, coupon: 'X' } } }, true, [['unplanned_property', 'properties.coupon']]],
    ['another rule (enum)', { type: 'track', name: 'Order Completed', payload: { userId: 'u', properties: { total: 5, currency: 'GBP' } } }, true, [['other', 'properties.currency']]],
    ['identify traits', { type: 'identify', name: null, payload: { userId: 'u', traits: {} } }, true, [['missing_required', 'traits.email']]],
    ['a format (ajv-formats)', { type: 'identify', name: null, payload: { userId: 'u', traits: { email: 'not-an-address' } } }, true, [['other', 'traits.email']]],
    ['the common schema on every event', { type: 'page', name: 'Home', payload: { anonymousId: 'a' } }, true, [['missing_required', 'userId']]],
  ])('%s', (_name, event, isPlanned, expected) => {
    const result = plan.check(event);
    expect(result.isPlanned).toBe(isPlanned);
    expect(result.violations.map((v) => [v.kind, v.path])).toEqual(expected);
  });
});

let testDb: TTestDb;
let server: TIngestTestServer;

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
});
afterAll(async () => {
  await server.close();
  await testDb.drop();
});

async function track(writeKey: string, events: Array<Record<string, unknown>>): Promise<void> {
  const res = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basicAuth(writeKey) }, body: JSON.stringify({ batch: events }) });
  expect(res.status).toBe(200);
}

async function world(enforcement: { unplannedEvents: 'allow' | 'block'; violations: 'allow' | 'omit' | 'block' }) {
  const fixture = await createIngestFixture(testDb.db, { destinations: ['Hook'] });
  const plan = await createTrackingPlan({ db: testDb.db, workspaceId: fixture.workspaceId, actor, input: PLAN });
  await setSourceTrackingPlan({ db: testDb.db, workspaceId: fixture.workspaceId, actor, sourceId: fixture.sourceId, input: { trackingPlanId: plan.id, ...enforcement } });
  return { ...fixture, planId: plan.id };
}

async function stored(sourceId: string, messageId: string) {
  const event = await testDb.db.event.findFirstOrThrow({ where: { sourceId, messageId } });
  const jobs = await testDb.db.job.findMany({ where: { eventId: event.id } });
  const violations = await testDb.db.violation.findMany({ where: { eventId: event.id }, orderBy: { id: 'asc' } });
  return { event, jobs, violations, plan: (event.pipeline as { trackingPlan?: { decision: string; reason: string } }).trackingPlan };
}

const ORDER = (messageId: string, properties: Record<string, unknown>) => ({ type: 'track', event: 'Order Completed', userId: 'u1', messageId, properties });

describe('enforcement at ingest', () => {
  it('block / block: unplanned and violating events are stored with their violations and get no jobs; valid ones are delivered', async () => {
    const w = await world({ unplannedEvents: 'block', violations: 'block' });
    await track(w.writeKey, [ORDER('ok', { total: 5 }), ORDER('bad', { total: 'five' }), { type: 'track', event: 'Refunded', userId: 'u1', messageId: 'unplanned' }]);
    const ok = await stored(w.sourceId, 'ok');
    expect(ok.plan).toMatchObject({ decision: 'valid' });
    expect(ok.jobs).toHaveLength(1);
    const bad = await stored(w.sourceId, 'bad');
    expect(bad.plan).toMatchObject({ decision: 'blocked', reason: 'blocked: 1 violation of the tracking plan' });
    expect(bad.event.pipeline).toMatchObject({ droppedBy: 'trackingPlan' });
    expect(bad.jobs).toEqual([]);
    expect(bad.violations.map((v) => [v.kind, v.path, v.rule, v.isBlocked])).toEqual([['wrong_type', 'properties.total', '#/properties/total/type', true]]);
    const unplanned = await stored(w.sourceId, 'unplanned');
    expect(unplanned.plan).toMatchObject({ decision: 'blocked', reason: 'blocked: “Refunded” is not in the tracking plan' });
    expect(unplanned.jobs).toEqual([]);
    expect(unplanned.violations.map((v) => v.kind)).toEqual(['unplanned_event']);
  });

  it('allow / allow: everything is delivered unchanged and the violations are still recorded', async () => {
    const w = await world({ unplannedEvents: 'allow', violations: 'allow' });
    await track(w.writeKey, [ORDER('bad', { total: 5, coupon: 'X' }), { type: 'track', event: 'Refunded', userId: 'u1', messageId: 'unplanned' }]);
    const bad = await stored(w.sourceId, 'bad');
    expect(bad.plan).toMatchObject({ decision: 'violations' });
    expect(bad.jobs).toHaveLength(1);
    expect(bad.jobs[0].payload).toBeNull();
    expect(bad.violations.map((v) => [v.kind, v.isBlocked])).toEqual([['unplanned_property', false]]);
    const unplanned = await stored(w.sourceId, 'unplanned');
    expect(unplanned.jobs).toHaveLength(1);
    expect(unplanned.violations.map((v) => v.kind)).toEqual(['unplanned_event']);
  });

  it('omit: offending properties are left out of what is sent, the stored event keeps them', async () => {
    const w = await world({ unplannedEvents: 'allow', violations: 'omit' });
    await track(w.writeKey, [ORDER('bad', { total: 5, coupon: 'X', currency: 'GBP' })]);
    const bad = await stored(w.sourceId, 'bad');
    expect(bad.plan).toMatchObject({ decision: 'omitted', reason: 'offending properties omitted (2 violations)' });
    expect((bad.event.payload as { properties: object }).properties).toEqual({ total: 5, coupon: 'X', currency: 'GBP' });
    expect(bad.jobs).toHaveLength(1);
    expect((bad.jobs[0].payload as { properties: object }).properties).toEqual({ total: 5 });
  });

  it('a changed plan applies to the next events (new version compiled), and the violations read groups them', async () => {
    const w = await world({ unplannedEvents: 'block', violations: 'block' });
    await track(w.writeKey, [{ type: 'track', event: 'Refunded', userId: 'u1', messageId: 'r1' }]);
    const next = await replaceTrackingPlan({
      db: testDb.db, workspaceId: w.workspaceId, actor, trackingPlanId: w.planId,
      input: { ...PLAN, rules: { ...PLAN.rules, events: [...PLAN.rules.events, { name: 'Refunded', schema: { type: 'object' } }] } },
    });
    expect(next.version).toBe(2);
    await track(w.writeKey, [{ type: 'track', event: 'Refunded', userId: 'u1', messageId: 'r2' }]);
    expect((await stored(w.sourceId, 'r1')).jobs).toHaveLength(0);
    expect((await stored(w.sourceId, 'r2')).jobs).toHaveLength(1);
    const audit = await testDb.db.auditEntry.findMany({ where: { targetId: w.planId }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['tracking_plan.create', 'tracking_plan.update']);
    expect(audit[1].before).toMatchObject({ version: 1 });

    await track(w.writeKey, [ORDER('b1', { total: 'x' }), ORDER('b2', { total: 'y' })]);
    const { data } = await listViolations({ db: testDb.db, workspaceId: w.workspaceId, trackingPlanId: w.planId });
    expect(data.map((g) => [g.event, g.kind, g.lastHour, g.lastWeek, g.isBlocked])).toEqual([
      ['Order Completed', 'wrong_type', 2, 2, true],
      ['Refunded', 'unplanned_event', 1, 1, true],
    ]);
    expect(data[0].exampleEventIds).toHaveLength(2);
    // The sparkline: 28 buckets of 6 hours, the latest last, holding the two of just now.
    expect(data[0].series).toHaveLength(28);
    expect(data[0].series.at(-1)).toBe(2);
    expect(data[0].series.reduce((a, b) => a + b, 0)).toBe(2);
    // An older violation lands in its own bucket: 30 h ago is the 6th bucket from the end.
    await testDb.db.violation.create({
      data: {
        workspaceId: w.workspaceId, trackingPlanId: w.planId, planVersion: 2, sourceId: w.sourceId, eventId: randomUUID(), eventReceivedAt: new Date(Date.now() - 30 * 3600_000),
        eventType: 'track', eventName: 'Order Completed', kind: 'wrong_type', path: 'properties.total', rule: '#/properties/total/type', message: 'properties.total must be number', isBlocked: true,
      },
    });
    const later = await listViolations({ db: testDb.db, workspaceId: w.workspaceId, trackingPlanId: w.planId });
    expect(later.data[0].series.slice(-6)).toEqual([1, 0, 0, 0, 0, 2]);
    expect(later.data[0].lastWeek).toBe(3);
    expect(data[0].message).toBe('properties.total must be number');
  });

  it('refuses a schema that does not compile, naming the rule', async () => {
    const fixture = await createIngestFixture(testDb.db);
    const error = await createTrackingPlan({
      db: testDb.db, workspaceId: fixture.workspaceId, actor,
      input: { name: 'Broken', rules: { events: [{ name: 'A', schema: { type: 'object' } }, { name: 'B', schema: { type: 'nonsense' } }] } },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).issues).toHaveProperty(['rules.events.1.schema']);
  });
});
