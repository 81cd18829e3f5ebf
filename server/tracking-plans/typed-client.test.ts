/**
 * A client generated from a plan type-checks with tsc, refuses calls the plan forbids at
 * compile time, and sends events through @segment/analytics-node that the plan accepts.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Analytics } from '@segment/analytics-node';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TActor } from '../audit/actor.ts';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { createIngestFixture } from '../ingest/test-fixtures.ts';
import { handleRestRequest } from '../rest/dispatch.ts';
import { createApiToken } from '../tokens/api-tokens.ts';
import { startIngestTestServer, type TIngestTestServer } from '../ingest/test-server.ts';
import { createTrackingPlan, setSourceTrackingPlan } from './plans.ts';
import { functionName, generateClient } from './typed-client.ts';
import type { TPlanRules } from './validate.ts';

const actor: TActor = { type: 'system', id: null, label: 'test', role: 'admin', ip: null };
const RULES: TPlanRules = {
  events: [
    { name: 'Order Completed', schema: { type: 'object', properties: { total: { type: 'number' }, currency: { enum: ['EUR', 'USD'] }, 'order-id': { type: 'string' } }, required: ['total', 'order-id'], additionalProperties: false } },
    { name: '404 Seen', schema: { type: 'object', properties: { path: { type: 'string' } } } },
  ],
  identify: { type: 'object', properties: { email: { type: 'string' } }, required: ['email'] },
};

const dir = path.resolve(import.meta.dirname, '../../.test-data', `typed-client-${randomBytes(4).toString('hex')}`);
let testDb: TTestDb;
let server: TIngestTestServer;

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
});
afterAll(async () => {
  await server.close();
  await testDb.drop();
  await rm(dir, { recursive: true, force: true });
});

function typeErrors(files: string[]): string[] {
  const program = ts.createProgram(files, {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true, skipLibCheck: true, types: [],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.basename(d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

describe('typed clients', () => {
  it('names functions after events', () => {
    expect(functionName('Order Completed')).toBe('orderCompleted');
    expect(functionName('404 Seen')).toBe('event404Seen');
    expect(functionName('checkout_step-viewed')).toBe('checkoutStepViewed');
  });

  it('compiles with tsc, refuses what the plan forbids, and sends events the plan accepts', async () => {
    const fx = await createIngestFixture(testDb.db, { destinations: ['Hook'] });
    const plan = await createTrackingPlan({ db: testDb.db, workspaceId: fx.workspaceId, actor, input: { name: 'Shop', rules: RULES } });
    await setSourceTrackingPlan({ db: testDb.db, workspaceId: fx.workspaceId, actor, sourceId: fx.sourceId, input: { trackingPlanId: plan.id, unplannedEvents: 'block', violations: 'block' } });

    // The client as a developer downloads it: a .ts file from the REST API, not JSON.
    const { token } = await createApiToken({ db: testDb.db, workspaceId: fx.workspaceId, actor, name: 'CI', role: 'support' });
    const req = new Request(`http://localhost/api/v1/tracking-plans/${plan.id}/client.ts`, { headers: { authorization: `Bearer ${token}` } });
    const res = await handleRestRequest({ req, db: testDb.db, path: `/tracking-plans/${plan.id}/client.ts` });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/typescript; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="shop.ts"; filename*=UTF-8''shop.ts`);
    const code = await res.text();
    expect(code).toBe(generateClient({ name: plan.name, version: plan.version, rules: plan.rules }));
    await writeFile(path.join(dir, 'client.ts'), code);
    await writeFile(path.join(dir, 'good.ts'), [
      `import { Analytics } from '@segment/analytics-node';`,
      `import { identify, orderCompleted, event404Seen } from './client.ts';`,
      `export function send(analytics: Analytics) {`,
      `  orderCompleted(analytics, { userId: 'u1', properties: { total: 5, currency: 'EUR', 'order-id': 'o-1' } });`,
      `  event404Seen(analytics, { anonymousId: 'a1', properties: { path: '/x', anything: true } });`,
      `  identify(analytics, { userId: 'u1', traits: { email: 'a@example.com' } });`,
      `}`,
    ].join('\n'));
    await writeFile(path.join(dir, 'bad.ts'), [
      `import { Analytics } from '@segment/analytics-node';`,
      `import { orderCompleted } from './client.ts';`,
      `export function send(analytics: Analytics) {`,
      `  orderCompleted(analytics, { userId: 'u1', properties: { total: 5 } });`, // missing order-id
      `  orderCompleted(analytics, { userId: 'u1', properties: { total: '5', 'order-id': 'o' } });`, // wrong type
      `  orderCompleted(analytics, { userId: 'u1', properties: { total: 5, 'order-id': 'o', currency: 'GBP' } });`, // not in the enum
      `  orderCompleted(analytics, { properties: { total: 5, 'order-id': 'o' } });`, // nobody
      `}`,
    ].join('\n'));
    expect(typeErrors([path.join(dir, 'good.ts')])).toEqual([]);
    const errors = typeErrors([path.join(dir, 'bad.ts')]);
    expect(errors).toHaveLength(4);
    expect(errors.join('\n')).toMatch(/order-id/);

    const client = (await import(path.join(dir, 'client.ts'))) as { orderCompleted: (a: Analytics, m: object) => void; identify: (a: Analytics, m: object) => void };
    const analytics = new Analytics({ writeKey: fx.writeKey, host: server.url, flushAt: 10, flushInterval: 60_000, maxRetries: 1 });
    client.orderCompleted(analytics, { userId: 'u1', messageId: 'typed-1', properties: { total: 5, currency: 'EUR', 'order-id': 'o-1' } });
    client.identify(analytics, { userId: 'u1', messageId: 'typed-2', traits: { email: 'a@example.com' } });
    await analytics.closeAndFlush({ timeout: 10_000 });
    const events = await testDb.db.event.findMany({ where: { sourceId: fx.sourceId }, orderBy: { messageId: 'asc' } });
    expect(events.map((e) => [e.messageId, e.type, e.name, (e.pipeline as { trackingPlan: { decision: string } }).trackingPlan.decision])).toEqual([
      ['typed-1', 'track', 'Order Completed', 'valid'],
      ['typed-2', 'identify', null, 'valid'],
    ]);
    expect(await testDb.db.violation.count({ where: { sourceId: fx.sourceId } })).toBe(0);
  });
});
