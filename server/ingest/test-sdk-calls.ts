/**
 * For the SDK tests: one script of calls of every type that any Segment-compatible SDK can
 * replay, and the check that what the SDK put on the wire is exactly what was stored.
 */
import { expect } from 'vitest';
import type { Db } from '../db/client.ts';

export type TProps = { [key: string]: string | number | boolean | null | TProps | Array<string | number | TProps> };
export type TIdentity = { userId: string } | { anonymousId: string };

/** `probe` travels in context and identifies the call in the SDK's request and in the database. */
export type TCall = { probe: string; identity: TIdentity } & (
  | { type: 'track'; event: string; properties: TProps }
  | { type: 'page' | 'screen'; name: string; properties: TProps }
  | { type: 'identify'; traits: TProps }
  | { type: 'group'; groupId: string; traits: TProps }
  | { type: 'alias'; userId: string; previousId: string }
);

const TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;

export function buildCalls(run: string, count: number): TCall[] {
  return Array.from({ length: count }, (_, i): TCall => {
    const probe = `${run}-${i}`;
    const type = TYPES[i % TYPES.length];
    const identity: TIdentity = type === 'alias' || i % 2 === 0 ? { userId: `user-${probe}` } : { anonymousId: `anon-${probe}` };
    const properties: TProps = { seq: i, price: i * 1.25, label: `Größe ✓ 🚀 "${i}"`, nested: { list: [1, 'two', { three: 3 }], even: i % 2 === 0, none: null } };
    const traits: TProps = { email: `person-${i}@example.com`, plan: i % 3 === 0 ? 'pro' : 'free', seq: i };
    switch (type) {
      case 'track': return { probe, identity, type, event: `Order ${i % 5} Completed`, properties };
      case 'page': return { probe, identity, type, name: `Page ${i}`, properties };
      case 'screen': return { probe, identity, type, name: `Screen ${i}`, properties };
      case 'identify': return { probe, identity, type, traits };
      case 'group': return { probe, identity, type, groupId: `group-${i % 7}`, traits };
      case 'alias': return { probe, identity, type, userId: `user-${probe}`, previousId: `previous-${probe}` };
    }
  });
}

/** One message as the SDK serialized it onto the wire (sentAt from the batch when the message has none). */
export interface TWireMessage {
  messageId: string;
  type: string;
  sentAt?: string;
  timestamp?: string;
  originalTimestamp?: string;
  context: { probe: string; library: { name: string } };
}

interface TStoredPayload {
  properties?: unknown;
  traits?: unknown;
  groupId?: unknown;
  previousId?: unknown;
  context: { probe: string; library: { name: string; version: string } };
}

export interface TExpectation {
  db: Db;
  sourceId: string;
  destinationIds: string[];
  calls: TCall[];
  wire: TWireMessage[];
  library: string;
  /** The wire field that carries the SDK's own event time: `timestamp` (Segment) or `originalTimestamp` (RudderStack). */
  timeField: 'timestamp' | 'originalTimestamp';
  startedAt: number;
  finishedAt: number;
}

/** Every call stored exactly once, with the SDK's ids and times and one job per destination. */
export async function expectStoredExactlyOnce(x: TExpectation): Promise<void> {
  const wireByProbe = new Map(x.wire.map((m) => [m.context.probe, m]));
  expect(wireByProbe.size).toBe(x.calls.length);
  expect(new Set(x.wire.map((m) => m.messageId)).size).toBe(x.calls.length);

  const rows = await x.db.event.findMany({ where: { sourceId: x.sourceId } });
  expect(rows.length).toBe(x.calls.length);
  expect(new Set(rows.map((r) => r.messageId)).size).toBe(rows.length);
  const rowByMessageId = new Map(rows.map((r) => [r.messageId, r]));

  for (const call of x.calls) {
    const sent = wireByProbe.get(call.probe);
    expect(sent, `the SDK sent ${call.probe}`).toBeDefined();
    if (!sent) continue;
    const row = rowByMessageId.get(sent.messageId);
    expect(row, `stored ${call.type} ${sent.messageId}`).toBeDefined();
    if (!row) continue;
    const payload = row.payload as unknown as TStoredPayload;
    expect({ type: row.type, userId: row.userId, anonymousId: row.anonymousId, probe: payload.context.probe, library: payload.context.library.name }).toEqual({
      type: call.type,
      userId: 'userId' in call.identity ? call.identity.userId : null,
      anonymousId: 'anonymousId' in call.identity ? call.identity.anonymousId : null,
      probe: call.probe,
      library: x.library,
    });
    expect(payload.context.library.version).toMatch(/^\d+\.\d+\.\d+/);
    if (call.type === 'track') expect({ name: row.name, properties: payload.properties }).toEqual({ name: call.event, properties: call.properties });
    if (call.type === 'page' || call.type === 'screen') expect({ name: row.name, properties: payload.properties }).toEqual({ name: call.name, properties: call.properties });
    if (call.type === 'identify') expect({ name: row.name, traits: payload.traits }).toEqual({ name: null, traits: call.traits });
    if (call.type === 'group') expect({ groupId: payload.groupId, traits: payload.traits }).toEqual({ groupId: call.groupId, traits: call.traits });
    if (call.type === 'alias') expect(payload.previousId).toBe(call.previousId);

    // The SDK's event time is kept as originalTimestamp; `timestamp` is corrected to the server clock.
    expect(row.originalTimestamp?.toISOString()).toBe(sent[x.timeField]);
    expect(row.sentAt?.toISOString()).toBe(sent.sentAt);
    expect(row.receivedAt.getTime()).toBeGreaterThanOrEqual(x.startedAt - 1000);
    expect(row.receivedAt.getTime()).toBeLessThanOrEqual(x.finishedAt + 1000);
    expect(Math.abs(row.timestamp.getTime() - row.receivedAt.getTime())).toBeLessThan(5000);
  }

  const jobs = await x.db.job.findMany({ where: { sourceId: x.sourceId }, select: { eventId: true, destinationId: true } });
  expect(jobs.length).toBe(rows.length * x.destinationIds.length);
  const destinationsByEvent = new Map<string, string[]>();
  for (const job of jobs) destinationsByEvent.set(job.eventId, [...(destinationsByEvent.get(job.eventId) ?? []), job.destinationId]);
  const expected = [...x.destinationIds].sort();
  for (const row of rows) expect(destinationsByEvent.get(row.id)?.sort(), `jobs of ${row.messageId}`).toEqual(expected);
}
