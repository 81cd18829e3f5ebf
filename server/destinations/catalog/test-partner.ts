/**
 * For partner tests: a world around a partner simulator (test-partner-sim.ts): a
 * workspace, a source, a destination of the type pointed at the simulator, calls sent
 * through the real tracking API, outcomes recorded by a real delivery engine, and golden
 * request fixtures. Nothing of ours is mocked.
 */
import { afterAll, beforeAll } from 'vitest';
import type { TActor } from '../../audit/actor.ts';
import { createTestDb, type TTestDb } from '../../db/test-db.ts';
import { startEngine } from '../../delivery/test-world.ts';
import { startIngestTestServer } from '../../ingest/test-server.ts';
import { sendTestEvent } from '../send-test-event.ts';
import { basicAuth } from '../../ingest/test-fixtures.ts';
import type { TIngestTestServer } from '../../ingest/test-server.ts';
import { createSource } from '../../sources/sources.ts';
import { createDestination } from '../destinations.ts';
import { FAST_RETRIES, waitFor } from '../../delivery/test-world.ts';
import type { TPartnerRequest } from './test-partner-sim.ts';

const SYSTEM: TActor = { type: 'system', id: null, label: 'test', role: 'admin', ip: null };

/** A workspace with one source and one destination of `type` (settings as given). */
export async function createPartnerWorld(testDb: TTestDb, type: string, settings: Record<string, unknown>) {
  const slug = `ws-${Math.random().toString(36).slice(2, 10)}`;
  const workspace = await testDb.db.workspace.create({ data: { name: slug, slug } });
  const source = await createSource({ db: testDb.db, workspaceId: workspace.id, actor: SYSTEM, name: 'Shop' });
  // Partner simulators listen on loopback: allowed here as an operator would with SWITCHYARD_ALLOW_PRIVATE_DESTINATIONS.
  const { destination } = await createDestination({ db: testDb.db, workspaceId: workspace.id, actor: SYSTEM, input: { sourceId: source.id, type, name: type, settings, delivery: FAST_RETRIES }, allowPrivate: '*' });
  return { workspaceId: workspace.id, sourceId: source.id, writeKey: source.writeKeys[0].key, destinationId: destination.id };
}

/** The calls every golden fixture is made of: fixed ids and times, so requests are byte-for-byte comparable. */
export const GOLDEN_CALLS = {
  track: { type: 'track', event: 'Order Completed', userId: 'user-1001', anonymousId: 'anon-2002', properties: { orderId: 'o-1', revenue: 42.5, currency: 'EUR' } },
  identify: { type: 'identify', userId: 'user-1001', anonymousId: 'anon-2002', traits: { email: 'ada@example.com', plan: 'pro' } },
  page: { type: 'page', name: 'Pricing', userId: 'user-1001', anonymousId: 'anon-2002', properties: { url: 'https://shop.example.com/pricing', title: 'Pricing' } },
  screen: { type: 'screen', name: 'Checkout', userId: 'user-1001', anonymousId: 'anon-2002', properties: { step: 2 } },
  group: { type: 'group', groupId: 'company-42', userId: 'user-1001', traits: { name: 'Example Ltd', plan: 'enterprise' } },
  alias: { type: 'alias', previousId: 'anon-2002', userId: 'user-1001' },
} as const;

export type TGoldenCall = keyof typeof GOLDEN_CALLS;

/** Sends one call through the real tracking API with a fixed message id and timestamp; returns the message id. */
export async function sendCall(server: TIngestTestServer, writeKey: string, call: TGoldenCall, messageId = `msg-${call}-0001`): Promise<string> {
  const message = { ...GOLDEN_CALLS[call], messageId, timestamp: '2026-11-30T12:00:00.000Z', context: { ip: '203.0.113.7', locale: 'en-GB' } };
  const res = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basicAuth(writeKey) }, body: JSON.stringify({ batch: [message] }) });
  if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
  return messageId;
}

/** Waits for the first recorded outcome of the job carrying `messageId` at this destination. */
export async function firstOutcome(testDb: TTestDb, destinationId: string, messageId: string) {
  let found: Awaited<ReturnType<typeof testDb.db.jobTransition.findFirst>> = null;
  await waitFor(
    async () => {
      const rows = await testDb.db.$queryRaw<Array<{ job_id: string }>>`
        SELECT j.id AS job_id FROM jobs j JOIN events e ON e.id = j.event_id AND e.received_at = j.event_received_at
         WHERE j.destination_id = ${destinationId}::uuid AND e.message_id = ${messageId}`;
      if (rows.length === 0) return false;
      found = await testDb.db.jobTransition.findFirst({ where: { jobId: rows[0].job_id, destinationId }, orderBy: { at: 'asc' } });
      return found !== null;
    },
    { what: `an outcome for ${messageId}`, timeoutMs: 30_000 },
  );
  return found!;
}

/** What a golden fixture keeps of a request: method, path and query, content type, parsed body. */
export function goldenOf(request: TPartnerRequest): Record<string, unknown> {
  let body: unknown = request.body;
  try {
    body = JSON.parse(request.body);
  } catch {
    // a non-JSON body is kept as text
  }
  return { method: request.method, path: request.path, query: Object.fromEntries(request.query), contentType: request.headers['content-type'], body };
}

/**
 * Compares with the fixture file next to the test; `UPDATE_GOLDEN=1` writes missing
 * fixtures (review them against the partner's documentation before committing).
 */
export async function expectGolden(file: string, actual: Record<string, unknown>): Promise<void> {
  const { readFile, writeFile } = await import('node:fs/promises');
  const { expect } = await import('vitest');
  let expected: unknown;
  try {
    expected = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    if (!process.env.UPDATE_GOLDEN) throw new Error(`no golden fixture ${file}; run with UPDATE_GOLDEN=1 and review it`);
    await writeFile(file, `${JSON.stringify(actual, null, 2)}\n`);
    expected = actual;
  }
  expect(actual).toEqual(expected);
}

/** One test file's world: a database, the tracking API, a partner simulator and a running worker. */
export function partnerSuite<TSim extends { close: () => Promise<void> }>(start: () => Promise<TSim>) {
  const suite = {} as { testDb: TTestDb; server: TIngestTestServer; sim: TSim; stopEngine: () => Promise<void> };
  beforeAll(async () => {
    suite.testDb = await createTestDb();
    suite.server = await startIngestTestServer({ databaseUrl: suite.testDb.url });
    suite.sim = await start();
    const engine = await startEngine(suite.testDb.url);
    suite.stopEngine = () => engine.stop();
  });
  afterAll(async () => {
    await suite.stopEngine?.();
    await suite.sim?.close();
    await suite.server?.close();
    await suite.testDb?.drop();
  });
  return suite;
}

/** Runs a test event against a destination (as the tRPC/REST procedure does, with private addresses allowed for the local simulator). */
export function testEvent(testDb: TTestDb, world: { workspaceId: string; destinationId: string }, input: Parameters<typeof sendTestEvent>[0]['input']) {
  return sendTestEvent({ db: testDb.db, workspaceId: world.workspaceId, destinationId: world.destinationId, input, allowPrivate: '*' });
}
