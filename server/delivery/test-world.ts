/**
 * For delivery tests: a test database, the real tracking API on a local port, local sinks
 * as destinations (their signing secrets handed to the sinks), and delivery engines.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TActor } from '../audit/actor.ts';
import type { TTestDb } from '../db/test-db.ts';
import { createDestination } from '../destinations/destinations.ts';
import type { TDeliveryTuningInput } from '../destinations/delivery-tuning.ts';
import { basicAuth } from '../ingest/test-fixtures.ts';
import type { TIngestTestServer } from '../ingest/test-server.ts';
import { createSource } from '../sources/sources.ts';
import { DeliveryEngine } from './engine.ts';
import type { TSink } from './test-sink.ts';

const SYSTEM: TActor = { type: 'system', id: null, label: 'test', role: 'admin', ip: null };

export const FAST_RETRIES: TDeliveryTuningInput = { minBackoffSeconds: 1, maxBackoffSeconds: 2, timeoutMs: 1000, maxInFlight: 50 };

export async function createSourceWithSinks(testDb: TTestDb, sinks: TSink[], delivery: TDeliveryTuningInput = FAST_RETRIES) {
  const slug = `ws-${Math.random().toString(36).slice(2, 10)}`;
  const workspace = await testDb.db.workspace.create({ data: { name: slug, slug } });
  const source = await createSource({ db: testDb.db, workspaceId: workspace.id, actor: SYSTEM, name: 'App' });
  const destinationIds: string[] = [];
  for (const [i, sink] of sinks.entries()) {
    const { destination, signingSecret } = await createDestination({
      db: testDb.db,
      workspaceId: workspace.id,
      actor: SYSTEM,
      input: { sourceId: source.id, type: 'webhook', name: `Sink ${i + 1}`, settings: { url: sink.url }, delivery },
      // Sinks listen on loopback: allowed here as an operator would with SWITCHYARD_ALLOW_PRIVATE_DESTINATIONS.
      allowPrivate: '*',
    });
    sink.setSecret(signingSecret ?? '');
    destinationIds.push(destination.id);
  }
  return { workspaceId: workspace.id, sourceId: source.id, writeKey: source.writeKeys[0].key, destinationIds };
}

export async function sendEvents(server: TIngestTestServer, writeKey: string, count: number, tag = Math.random().toString(36).slice(2)): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; offset < count; offset += 100) {
    const batch = Array.from({ length: Math.min(100, count - offset) }, (_, i) => {
      const messageId = `${tag}-${offset + i}`;
      ids.push(messageId);
      return { type: 'track', event: 'Delivered', userId: `u-${i % 7}`, messageId, properties: { n: offset + i } };
    });
    const res = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basicAuth(writeKey) }, body: JSON.stringify({ batch }) });
    if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
  }
  return ids;
}

export async function startEngine(databaseUrl: string, workerId = `test-${Math.random().toString(36).slice(2, 8)}`): Promise<DeliveryEngine> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sy-delivery-'));
  const engine = new DeliveryEngine({ databaseUrl, workerId, dataDir, allowPrivate: '*', log: () => undefined, idleMs: 50 });
  engine.start();
  return engine;
}

export async function waitFor(check: () => Promise<boolean>, { timeoutMs = 60_000, what = 'condition' } = {}): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
