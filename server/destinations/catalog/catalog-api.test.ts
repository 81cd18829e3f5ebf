/**
 * The catalog from the outside: the types procedure (each settings schema as JSON Schema),
 * creating a partner destination over REST, the test procedure's role, and secrets that
 * never come back whole, neither in answers nor in the audit trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callTrpc, createWorld, type TWorld } from '../../api/test-principals.ts';
import { createTestDb, type TTestDb } from '../../db/test-db.ts';
import { handleRestRequest } from '../../rest/dispatch.ts';
import { createDestination } from '../destinations.ts';

const SYSTEM = { type: 'system' as const, id: null, label: 'test', role: 'admin' as const, ip: null };

let testDb: TTestDb;
let world: TWorld;

beforeAll(async () => {
  testDb = await createTestDb();
  world = await createWorld(testDb.db);
});
afterAll(() => testDb.drop());

async function rest(method: string, path: string, body?: unknown) {
  const url = new URL(`http://localhost:3000/api/v1${path}`);
  const headers: Record<string, string> = { authorization: `Bearer ${world.principals.editor.token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await handleRestRequest({ req: new Request(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }), db: testDb.db, path: url.pathname.replace('/api/v1', '') });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

describe('destination catalog API', () => {
  it('lists every type with what it supports and its settings as JSON Schema', async () => {
    const result = await callTrpc({ db: testDb.db, path: 'destinations.types', type: 'query', input: { workspaceId: world.workspaceId }, cookie: world.principals.support.cookie });
    const types = (result.data as { data: Array<{ type: string; supports: string[]; logo: string; settingsSchema: { properties: Record<string, Record<string, unknown>>; required: string[] } }> }).data;
    expect(types.map((t) => t.type).sort()).toEqual(['amplitude', 'braze', 'customerio', 'ga4', 'hubspot', 'mixpanel', 'posthog', 'raw-http', 'slack', 'webhook']);
    const amplitude = types.find((t) => t.type === 'amplitude')!;
    expect(amplitude.supports).toEqual(['track', 'identify', 'page', 'screen']);
    expect(amplitude.logo).toBe('/catalog/amplitude.svg');
    expect(amplitude.settingsSchema.required).toEqual(['apiKey']);
    expect(amplitude.settingsSchema.properties.apiKey).toMatchObject({ type: 'string', title: 'API key', 'x-secret': true });
    expect(amplitude.settingsSchema.properties.region).toMatchObject({ enum: ['standard', 'eu'], default: 'standard' });
    expect(amplitude.settingsSchema.properties.endpoint).toMatchObject({ format: 'uri', default: 'https://api2.amplitude.com', 'x-advanced': true });
  });

  it('creates an Amplitude destination over REST: validated, the key masked in the answer and the audit trail', async () => {
    const source = await rest('POST', '/sources', { name: 'Shop' });
    const invalid = await rest('POST', '/destinations', { sourceId: source.body.id, type: 'amplitude', name: 'Amplitude', settings: { region: 'mars' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.issues).toMatchObject({ 'settings.apiKey': 'API key is required', 'settings.region': expect.any(String) });

    const created = await rest('POST', '/destinations', { sourceId: source.body.id, type: 'amplitude', name: 'Amplitude', settings: { apiKey: 'amp-key-0123456789abcdef', region: 'eu' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ type: 'amplitude', typeLabel: 'Amplitude', endpoint: 'https://api.eu.amplitude.com', signingSecret: null, settings: { apiKey: '••••cdef', region: 'eu' } });

    const updated = await rest('PATCH', `/destinations/${created.body.id}`, { settings: { region: 'standard' } });
    expect(updated.status).toBe(200);
    expect(updated.body.settings).toEqual({ apiKey: '••••cdef', region: 'standard', endpoint: 'https://api2.amplitude.com' });

    const audit = JSON.stringify(await testDb.db.auditEntry.findMany({ where: { targetId: created.body.id } }), (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    expect(audit).toContain('destination.create');
    expect(audit).not.toContain('amp-key-0123456789abcdef');
  });

  it('lets editors send test events and refuses support members', async () => {
    const source = await rest('POST', '/sources', { name: 'Shop 2' });
    // A loopback endpoint is refused when saved (no SWITCHYARD_ALLOW_PRIVATE_DESTINATIONS in tests)…
    const refused = await rest('POST', '/destinations', { sourceId: source.body.id, type: 'amplitude', name: 'Amplitude', settings: { apiKey: 'amp-key-x', endpoint: 'http://127.0.0.1:9' } });
    expect(refused).toMatchObject({ status: 400, body: { issues: { 'settings.endpoint': expect.stringContaining('127.0.0.1 is a private address') } } });
    // …so this one was saved while the install allowed loopback, and the send-time guard still holds.
    const { destination } = await createDestination({ db: testDb.db, workspaceId: world.workspaceId, actor: SYSTEM, input: { sourceId: source.body.id, type: 'amplitude', name: 'Amplitude', settings: { apiKey: 'amp-key-x', endpoint: 'http://127.0.0.1:9' } }, allowPrivate: '*' });
    const input = { workspaceId: world.workspaceId, destinationId: destination.id, callType: 'track' };
    const support = await callTrpc({ db: testDb.db, path: 'destinations.test', type: 'mutation', input, cookie: world.principals.support.cookie });
    expect(support.code).toBe('FORBIDDEN');
    const editor = await callTrpc({ db: testDb.db, path: 'destinations.test', type: 'mutation', input, cookie: world.principals.editor.cookie });
    expect(editor.code).toBeNull();
    // No SWITCHYARD_ALLOW_PRIVATE_DESTINATIONS in tests: the loopback endpoint is refused, and said so.
    expect(editor.data).toMatchObject({ verdict: 'rejected', response: { errorCode: 'BLOCKED_ADDRESS' } });
  });
});
