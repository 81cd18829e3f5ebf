import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import type { TActor } from '../audit/actor.ts';
import { openJson } from '../crypto/secret-box.ts';
import { createSource } from '../sources/sources.ts';
import type { TWebhookSecrets } from './catalog.ts';
import { createDestination, getDestination, updateDestination } from './destinations.ts';

let testDb: TTestDb;
let workspaceId: string;
let sourceId: string;
const actor: TActor = { type: 'system', id: null, label: 'test', role: 'admin', ip: null };

beforeAll(async () => {
  testDb = await createTestDb();
  workspaceId = (await testDb.db.workspace.create({ data: { name: 'W', slug: 'w' } })).id;
  sourceId = (await createSource({ db: testDb.db, workspaceId, actor, name: 'Site' })).id;
});
afterAll(() => testDb.drop());

async function storedSecrets(id: string): Promise<TWebhookSecrets> {
  const row = await testDb.db.destination.findUniqueOrThrow({ where: { id } });
  return openJson<TWebhookSecrets>(row.secrets!);
}

describe('webhook destinations', () => {
  it('keeps secret header values on edit when sent as null, replaces them when given, drops omitted ones', async () => {
    const { destination, signingSecret } = await createDestination({
      db: testDb.db, workspaceId, actor,
      input: { sourceId, type: 'webhook', name: 'Hook', settings: { url: 'https://a.example.com/in', headers: { Authorization: 'Bearer one-1111', 'X-Team': 'growth-2222' } } },
    });
    await updateDestination({ db: testDb.db, workspaceId, actor, destinationId: destination.id, patch: { settings: { headers: { Authorization: null, 'X-New': 'new-value-3333' } } } });
    const secrets = await storedSecrets(destination.id);
    expect(secrets.headers).toEqual({ Authorization: 'Bearer one-1111', 'X-New': 'new-value-3333' });
    expect(secrets.signingSecret).toBe(signingSecret);
    const view = await getDestination({ db: testDb.db, workspaceId, destinationId: destination.id });
    expect(view.settings).toMatchObject({ url: 'https://a.example.com/in', headers: { Authorization: '••••1111', 'X-New': '••••3333' } });

    // A URL-only change keeps every header.
    await updateDestination({ db: testDb.db, workspaceId, actor, destinationId: destination.id, patch: { settings: { url: 'https://b.example.com/in' } } });
    expect((await storedSecrets(destination.id)).headers).toEqual({ Authorization: 'Bearer one-1111', 'X-New': 'new-value-3333' });
    await expect(
      updateDestination({ db: testDb.db, workspaceId, actor, destinationId: destination.id, patch: { settings: { headers: { 'X-Unknown': null } } } }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('stores delivery tuning, merges partial updates, and reports the effective values', async () => {
    const { destination } = await createDestination({
      db: testDb.db, workspaceId, actor,
      input: { sourceId, type: 'webhook', name: 'Tuned', settings: { url: 'https://a.example.com/in' }, delivery: { maxInFlight: 3 } },
    });
    expect(destination.delivery).toEqual({ maxInFlight: 3, ratePerSecond: null, timeoutMs: 10_000, retryWindowSeconds: 14_400, minBackoffSeconds: 5, maxBackoffSeconds: 900 });
    const updated = await updateDestination({ db: testDb.db, workspaceId, actor, destinationId: destination.id, patch: { delivery: { ratePerSecond: 50 } } });
    expect(updated.delivery).toMatchObject({ maxInFlight: 3, ratePerSecond: 50 });
    await expect(updateDestination({ db: testDb.db, workspaceId, actor, destinationId: destination.id, patch: { delivery: { maxBackoffSeconds: 30_000, retryWindowSeconds: 3600 } } })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('never writes a secret into the audit trail', async () => {
    const { destination, signingSecret } = await createDestination({
      db: testDb.db, workspaceId, actor,
      input: { sourceId, type: 'webhook', name: 'Audited', settings: { url: 'https://a.example.com/in', headers: { Authorization: 'Bearer very-secret-value' } } },
    });
    await updateDestination({ db: testDb.db, workspaceId, actor, destinationId: destination.id, patch: { settings: { headers: { Authorization: 'Bearer another-secret-value' } }, enabled: false } });
    const entries = JSON.stringify(await testDb.db.auditEntry.findMany({ where: { targetId: destination.id } }, ), (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    expect(entries).toContain('destination.update');
    for (const secret of ['very-secret-value', 'another-secret-value', signingSecret!.slice(6)]) expect(entries).not.toContain(secret);
  });

  it('refuses a source of another workspace', async () => {
    const other = await testDb.db.workspace.create({ data: { name: 'Other', slug: 'other' } });
    await expect(
      createDestination({ db: testDb.db, workspaceId: other.id, actor, input: { sourceId, type: 'webhook', name: 'x', settings: { url: 'https://a.example.com' } } }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('blocked destination URLs are refused when saved (SWITCHYARD_ALLOW_PRIVATE_DESTINATIONS unset)', () => {
  const create = (url: string, allowPrivate?: string) =>
    createDestination({ db: testDb.db, workspaceId, actor, input: { sourceId, type: 'webhook', name: 'Blocked?', settings: { url } }, allowPrivate });

  it.each([
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data', '169.254.169.254 is a private address'],
    ['loopback by IP', 'http://127.0.0.1:8080/hook', '127.0.0.1 is a private address'],
    ['an IPv6 loopback literal', 'http://[::1]:8080/hook', '::1 is a private address'],
    ['a private network address', 'https://10.1.2.3/hook', '10.1.2.3 is a private address'],
    ['a host name that resolves to loopback', 'http://localhost:8080/hook', 'localhost resolves to 127.0.0.1'],
  ])('refuses %s on create with a message on settings.url, and stores nothing', async (_what, url, says) => {
    const before = await testDb.db.destination.count({ where: { workspaceId } });
    const error = await create(url).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_REQUEST' });
    expect((error as { issues: Record<string, string> }).issues['settings.url']).toContain(says);
    expect((error as { issues: Record<string, string> }).issues['settings.url']).toContain('SWITCHYARD_ALLOW_PRIVATE_DESTINATIONS');
    expect(await testDb.db.destination.count({ where: { workspaceId } })).toBe(before);
  });

  it('refuses an edit to a blocked URL and keeps the stored URL (the queue keeps its destination)', async () => {
    const { destination } = await create('https://hooks.example.com/in');
    await expect(
      updateDestination({ db: testDb.db, workspaceId, actor, destinationId: destination.id, patch: { settings: { url: 'http://169.254.169.254/latest/meta-data' } } }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', issues: { 'settings.url': expect.stringContaining('169.254.169.254') } });
    expect((await getDestination({ db: testDb.db, workspaceId, destinationId: destination.id })).settings.url).toBe('https://hooks.example.com/in');
    // Editing something else than the URL still works.
    await updateDestination({ db: testDb.db, workspaceId, actor, destinationId: destination.id, patch: { name: 'Renamed' } });
  });

  it('accepts what SWITCHYARD_ALLOW_PRIVATE_DESTINATIONS allows, and nothing more', async () => {
    await expect(create('http://127.0.0.1:8080/hook', '127.0.0.0/8')).resolves.toMatchObject({ destination: { settings: { url: 'http://127.0.0.1:8080/hook' } } });
    await expect(create('http://localhost:8080/hook', '127.0.0.0/8')).resolves.toBeTruthy();
    await expect(create('http://169.254.169.254/', '127.0.0.0/8')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(create('http://169.254.169.254/', '*')).resolves.toBeTruthy();
  });
});
