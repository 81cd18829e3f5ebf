/** The home page's figures: 24 h of received / delivered / failed per hour, and who needs attention. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { buildEngine } from '../delivery/test-engine.ts';
import { answer } from '../delivery/test-responders.ts';
import { startSink, type TSink } from '../delivery/test-sink.ts';
import { createSourceWithSinks, sendEvents, waitFor } from '../delivery/test-world.ts';
import { updateDestination } from '../destinations/destinations.ts';
import { startIngestTestServer, type TIngestTestServer } from '../ingest/test-server.ts';
import { getWorkspaceOverview } from './workspace-overview.ts';

let testDb: TTestDb;
let server: TIngestTestServer;
let sinks: TSink[];
const actor = { type: 'system' as const, id: null, label: 'test', role: 'admin' as const, ip: null };

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
  sinks = [await startSink(), await startSink(), await startSink()];
  sinks[1].respond(answer(401, {}, 'bad key'));
});
afterAll(async () => {
  await Promise.all(sinks.map((sink) => sink.close()));
  await server.close();
  await testDb.drop();
});

describe('the workspace overview', () => {
  it('is empty and calm for a new workspace', async () => {
    const world = await createSourceWithSinks(testDb, []);
    const overview = await getWorkspaceOverview({ db: testDb.db, workspaceId: world.workspaceId });
    expect(overview.hours).toHaveLength(24);
    expect(overview.totals).toEqual({ received: 0, delivered: 0, failed: 0 });
    expect(overview.attention).toEqual([]);
    expect(overview.sourceCount).toBe(1);
  });

  it('counts received, delivered and failed events in the current hour and names the destinations needing attention', async () => {
    const world = await createSourceWithSinks(testDb, sinks);
    const [healthy, refusing, paused] = world.destinationIds;
    await sendEvents(server, world.writeKey, 4, 'overview');
    const { engine } = await buildEngine(testDb.url);
    try {
      await waitFor(async () => {
        const rows = await testDb.db.deliveryRollup.groupBy({ by: ['destinationId'], where: { destinationId: { in: world.destinationIds } }, _sum: { count: true } });
        return rows.length === 3 && rows.every((r) => (r._sum.count ?? 0) >= 4);
      }, { timeoutMs: 25_000, what: 'rollups of 12 deliveries' });
    } finally {
      await engine.stop();
    }
    await updateDestination({ db: testDb.db, workspaceId: world.workspaceId, actor, destinationId: paused, patch: { enabled: false } });

    const overview = await getWorkspaceOverview({ db: testDb.db, workspaceId: world.workspaceId });
    expect(overview.totals).toEqual({ received: 4, delivered: 8, failed: 4 });
    expect(overview.hours.at(-1)).toMatchObject({ received: 4, delivered: 8, failed: 4 });
    const attention = new Map(overview.attention.map((a) => [a.destinationId, a.reasons.map((r) => r.kind)]));
    expect(attention.has(healthy)).toBe(false);
    expect(attention.get(refusing)).toEqual(['failing']);
    expect(attention.get(paused)).toEqual(['paused']);
    expect(overview.attention.find((a) => a.destinationId === refusing)?.reasons[0].text).toBe('4 deliveries failed in the last hour');

    // Events sent while no worker runs: ten minutes later the queue is falling behind.
    await sendEvents(server, world.writeKey, 2, 'overview-queued');
    const later = await getWorkspaceOverview({ db: testDb.db, workspaceId: world.workspaceId, now: new Date(Date.now() + 10 * 60_000) });
    const healthyLater = later.attention.find((a) => a.destinationId === healthy);
    expect(healthyLater?.reasons).toEqual([{ kind: 'queue_behind', text: expect.stringMatching(/^Queue falling behind: 2 events waiting, the oldest due 1\d min ago$/) }]);
  });

  it('names destinations the worker holds for their settings or that a partner paused, in the words of their page', async () => {
    const world = await createSourceWithSinks(testDb, sinks.slice(0, 2));
    const [held, limited] = world.destinationIds;
    const now = new Date();
    const window = { windowStartedAt: now, recentStartedAt: now, updatedAt: now };
    // The rows the worker's flow tracker writes (server/delivery/flow.ts) when a send finds a blocked address, and on a 429 with Retry-After.
    await testDb.db.destinationFlow.create({ data: { destinationId: held, ...window, heldCode: 'BLOCKED_ADDRESS', heldReason: 'the URL resolves to a blocked address', heldAt: now, heldSettingsAt: new Date(now.getTime() + 1000) } });
    await testDb.db.destinationFlow.create({ data: { destinationId: limited, ...window, pausedUntil: new Date(now.getTime() + 60_000), pauseReason: '429 with Retry-After: 60' } });

    const overview = await getWorkspaceOverview({ db: testDb.db, workspaceId: world.workspaceId, now });
    const reasons = new Map(overview.attention.map((a) => [a.destinationId, a.reasons]));
    expect(reasons.get(held)).toEqual([{ kind: 'held', text: expect.stringMatching(/^Held: the URL resolves to a blocked address\./) }]);
    expect(reasons.get(limited)).toEqual([{ kind: 'rate_limited', text: expect.stringMatching(/^Rate limited by the partner until \d\d:\d\d:\d\d UTC/) }]);
  });
});
