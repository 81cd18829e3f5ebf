/** Replays bring archived events back to a destination; a rotated secret signs beside the old one. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { rotateSigningSecret } from '../destinations/destinations.ts';
import { startIngestTestServer, type TIngestTestServer } from '../ingest/test-server.ts';
import type { DeliveryEngine } from './engine.ts';
import { createReplay } from '../queue/replays.ts';
import { startSink, type TSink } from './test-sink.ts';
import { createSourceWithSinks, sendEvents, startEngine, waitFor } from './test-world.ts';

let testDb: TTestDb;
let server: TIngestTestServer;
let sink: TSink;
let engine: DeliveryEngine;
const actor = { type: 'system' as const, id: null, label: 'test', role: 'admin' as const, ip: null };

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
  sink = await startSink();
  engine = await startEngine(testDb.url);
});
afterAll(async () => {
  await engine.stop();
  await sink.close();
  await server.close();
  await testDb.drop();
});

describe('replay', () => {
  it('re-delivers archived events of a range as new jobs, and traces the replay on the old ones', async () => {
    const world = await createSourceWithSinks(testDb, [sink]);
    const [destinationId] = world.destinationIds;
    sink.respond((_request, res) => {
      res.writeHead(503);
      res.end('down for maintenance');
    });
    const started = new Date(Date.now() - 1000);
    const messageIds = await sendEvents(server, world.writeKey, 20);
    await waitFor(async () => (await testDb.db.jobTransition.count({ where: { destinationId, state: 'awaiting_retry' } })) >= 20, { what: 'first failed attempts' });
    // The window of these jobs ends now: their next attempt archives them.
    await testDb.db.job.updateMany({ where: { destinationId }, data: { expireAt: new Date() } });
    await testDb.db.jobQueue.updateMany({ where: { destinationId }, data: { runAt: new Date() } });
    await waitFor(async () => (await testDb.db.jobQueue.count({ where: { destinationId } })) === 0, { what: 'jobs to be archived' });
    expect(await testDb.db.jobTransition.count({ where: { destinationId, state: 'archived' } })).toBe(20);

    sink.respond((_request, res) => {
      res.writeHead(200);
      res.end('ok');
    });
    const before = sink.requests.length;
    const replay = await createReplay({ db: testDb.db, workspaceId: world.workspaceId, actor, destinationId, input: { from: started, to: new Date(), states: ['archived'] } });
    expect(replay.queued).toBe(20);
    await waitFor(async () => (await testDb.db.jobQueue.count({ where: { destinationId } })) === 0, { what: 'replayed jobs to be delivered' });
    const replayed = sink.requests.slice(before).filter((r) => r.headers['webhook-signature']);
    expect(new Set(replayed.map((r) => (JSON.parse(r.body) as { messageId: string }).messageId))).toEqual(new Set(messageIds));
    expect(await testDb.db.jobTransition.count({ where: { destinationId, state: 'replayed', responseExcerpt: `replay ${replay.replayId}` } })).toBe(20);
    // A second replay of the same range finds nothing left to re-deliver.
    expect((await createReplay({ db: testDb.db, workspaceId: world.workspaceId, actor, destinationId, input: { from: started, to: new Date(), states: ['archived'] } })).queued).toBe(0);
    expect(await testDb.db.auditEntry.count({ where: { action: 'destination.replay', targetId: destinationId } })).toBe(2);
  });
});

describe('signing secret rotation', () => {
  it('signs with both secrets during the overlap, so receivers on either verify', async () => {
    sink.respond((_request, res) => {
      res.writeHead(200);
      res.end('ok');
    });
    const world = await createSourceWithSinks(testDb, [sink]);
    const [destinationId] = world.destinationIds;
    const row = await testDb.db.destination.findUniqueOrThrow({ where: { id: destinationId } });
    expect(row.secrets).toBeTruthy();
    const rotated = await rotateSigningSecret({ db: testDb.db, workspaceId: world.workspaceId, actor, destinationId });
    expect(rotated.signingSecret).toMatch(/^whsec_/);
    await new Promise((resolve) => setTimeout(resolve, 3500)); // the worker reloads destination settings every 3 s
    const before = sink.requests.length;
    await sendEvents(server, world.writeKey, 5);
    await waitFor(async () => sink.requests.length >= before + 5, { what: 'deliveries after rotation' });
    const request = sink.requests[sink.requests.length - 1];
    expect(String(request.headers['webhook-signature']).split(' ')).toHaveLength(2);
    // The sink was set up with the old secret; a receiver already on the new one verifies too.
    expect(request.isSignatureValid).toBe(true);
    expect(() => new Webhook(rotated.signingSecret).verify(request.body, request.headers as Record<string, string>)).not.toThrow();
  });
});
