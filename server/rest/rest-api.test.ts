/** The public REST API from a developer's point of view: provisioning from code, errors, secrets. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { createWorld, type TWorld } from '../api/test-principals.ts';
import { revokeApiToken } from '../tokens/api-tokens.ts';
import { handleRestRequest } from './dispatch.ts';

let testDb: TTestDb;
let world: TWorld;
let token: string;

beforeAll(async () => {
  testDb = await createTestDb();
  world = await createWorld(testDb.db);
  token = world.principals.editor.token!;
});
afterAll(() => testDb.drop());

async function call(method: string, path: string, options: { body?: unknown; raw?: string; contentType?: string; auth?: string | null } = {}) {
  const headers: Record<string, string> = {};
  const auth = options.auth === undefined ? token : options.auth;
  if (auth) headers.authorization = `Bearer ${auth}`;
  const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (payload !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const url = new URL(`http://localhost:3000/api/v1${path}`);
  const res = await handleRestRequest({ req: new Request(url, { method, headers, body: payload }), db: testDb.db, path: url.pathname.replace('/api/v1', '') });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

describe('REST API', () => {
  it('provisions a source and a webhook destination, returning the signing secret once', async () => {
    const source = await call('POST', '/sources', { body: { name: 'Mobile app' } });
    expect(source.status).toBe(201);
    expect(source.body.writeKeys).toHaveLength(1);
    expect(source.body.writeKeys[0].key).toMatch(/^wk_/);

    const created = await call('POST', '/destinations', {
      body: {
        sourceId: source.body.id,
        type: 'webhook',
        name: 'Warehouse loader',
        settings: { url: 'https://loader.example.com/events', headers: { Authorization: 'Bearer partner-secret-123' } },
        delivery: { maxInFlight: 5, timeoutMs: 3000 },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.signingSecret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    expect(created.body.settings.headers.Authorization).toBe('••••-123');
    expect(created.body.delivery).toMatchObject({ maxInFlight: 5, timeoutMs: 3000, retryWindowSeconds: 14_400 });

    const fetched = await call('GET', `/destinations/${created.body.id}`);
    expect(fetched.status).toBe(200);
    expect(JSON.stringify(fetched.body)).not.toContain('partner-secret-123');
    expect(JSON.stringify(fetched.body)).not.toContain(created.body.signingSecret.slice(6, 30));
    expect(fetched.body.signingSecret).toBeUndefined();
    expect(fetched.body.settings.signingSecretHint).toMatch(/^whsec_••••/);

    // The stored row holds no secret in clear text.
    const row = await testDb.db.destination.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(JSON.stringify(row)).not.toContain('partner-secret-123');
    expect(row.secrets).toMatch(/^v1\.test\./);
  });

  it('rotates write keys: add a key, revoke the old one, refuse to revoke the last one', async () => {
    const source = (await call('POST', '/sources', { body: { name: 'Rotating' } })).body;
    const [first] = source.writeKeys;
    const added = await call('POST', `/sources/${source.id}/write-keys`);
    expect(added.status).toBe(201);
    const revoked = await call('DELETE', `/sources/${source.id}/write-keys/${first.key}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const last = await call('DELETE', `/sources/${source.id}/write-keys/${added.body.key}`);
    expect(last.status).toBe(409);
    expect(last.body).toMatchObject({ error: 'conflict' });
    const after = await call('GET', `/sources/${source.id}`);
    expect(after.body.writeKeys.filter((k: { revokedAt: string | null }) => !k.revokedAt).map((k: { key: string }) => k.key)).toEqual([added.body.key]);
  });

  it.each([
    ['bad URL scheme', { url: 'ftp://example.com' }, 'settings.url'],
    ['credentials in URL', { url: 'https://user:pw@example.com/x' }, 'settings.url'],
    ['reserved header', { url: 'https://example.com/x', headers: { 'Webhook-Signature': 'x' } }, 'settings.headers.Webhook-Signature'],
    ['header with a line break', { url: 'https://example.com/x', headers: { 'X-Thing': 'a\r\nb' } }, 'settings.headers.X-Thing'],
  ])('rejects a webhook with %s (400 naming the field)', async (_label, settings, field) => {
    const source = (await call('POST', '/sources', { body: { name: `Validation: ${_label}` } })).body;
    const res = await call('POST', '/destinations', { body: { sourceId: source.id, type: 'webhook', name: 'x', settings } });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('bad_request');
    expect(Object.keys(res.body.issues)).toContain(field);
    expect(res.body.message).toContain(field);
  });

  it('rejects inconsistent delivery tuning', async () => {
    const source = (await call('POST', '/sources', { body: { name: 'Tuning' } })).body;
    const res = await call('POST', '/destinations', {
      body: { sourceId: source.id, type: 'webhook', name: 'x', settings: { url: 'https://example.com/x' }, delivery: { minBackoffSeconds: 600, maxBackoffSeconds: 60 } },
    });
    expect(res.status).toBe(400);
    expect(res.body.issues).toHaveProperty(['delivery.minBackoffSeconds']);
  });

  it('refuses a destination URL the sender would refuse, on create and on edit, saying why', async () => {
    const source = (await call('POST', '/sources', { body: { name: 'Blocked URLs' } })).body;
    const refused = await call('POST', '/destinations', { body: { sourceId: source.id, type: 'webhook', name: 'Metadata', settings: { url: 'http://169.254.169.254/latest/meta-data' } } });
    expect(refused).toMatchObject({ status: 400, body: { error: 'bad_request', message: expect.stringContaining('169.254.169.254 is a private address'), issues: { 'settings.url': expect.any(String) } } });
    const created = await call('POST', '/destinations', { body: { sourceId: source.id, type: 'webhook', name: 'Fine', settings: { url: 'https://loader.example.com/in' } } });
    expect(created.status).toBe(201);
    const edited = await call('PATCH', `/destinations/${created.body.id}`, { body: { settings: { url: 'http://localhost:9000/in' } } });
    expect(edited).toMatchObject({ status: 400, body: { message: expect.stringContaining('localhost resolves to 127.0.0.1') } });
    expect((await call('GET', `/destinations/${created.body.id}`)).body.settings.url).toBe('https://loader.example.com/in');
  });

  it('answers bad requests with a status and a JSON body that says what was wrong', async () => {
    expect(await call('POST', '/sources', { raw: '{nope', contentType: 'application/json' })).toMatchObject({ status: 400, body: { error: 'bad_request', message: 'The request body is not valid JSON.' } });
    expect(await call('POST', '/sources', { raw: 'name=x', contentType: 'application/x-www-form-urlencoded' })).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    expect(await call('POST', '/sources', { body: { name: '' } })).toMatchObject({ status: 400, body: { issues: { name: expect.any(String) } } });
    expect(await call('POST', '/sources', { body: { name: 'x', color: 'red' } })).toMatchObject({ status: 400 });
    expect(await call('GET', '/sources/not-a-uuid')).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect(await call('GET', '/nope')).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect(await call('PUT', '/sources')).toMatchObject({ status: 405, body: { error: 'method_not_allowed' } });
    expect(await call('GET', '/sources', { auth: 'sy_not-a-real-token-at-all-000000' })).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
  });

  it('stops accepting a token as soon as it is revoked', async () => {
    const admin = world.principals.admin.token!;
    expect((await call('GET', '/sources', { auth: admin })).status).toBe(200);
    const row = await testDb.db.apiToken.findFirstOrThrow({ where: { workspaceId: world.workspaceId, role: 'admin' } });
    await revokeApiToken({ db: testDb.db, workspaceId: world.workspaceId, actor: { type: 'system', id: null, label: 'test', role: 'admin', ip: null }, tokenId: row.id });
    expect(await call('GET', '/sources', { auth: admin })).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
  });

  it('writes an audit entry for every change made with a token', async () => {
    const source = (await call('POST', '/sources', { body: { name: 'Audited' } })).body;
    await call('PATCH', `/sources/${source.id}`, { body: { name: 'Audited twice' } });
    const entries = await testDb.db.auditEntry.findMany({ where: { targetId: source.id }, orderBy: { id: 'asc' } });
    expect(entries.map((e) => e.action)).toEqual(['source.create', 'source.update']);
    expect(entries[1]).toMatchObject({ actorType: 'token', role: 'editor', before: expect.objectContaining({ name: 'Audited' }), after: expect.objectContaining({ name: 'Audited twice' }) });
  });

  it('serves an OpenAPI 3.1 document covering every route', async () => {
    const doc = await call('GET', '/openapi.json', { auth: null });
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/sources', '/sources/{id}', '/sources/{id}/write-keys/{key}', '/destinations', '/destinations/{id}']));
    const create = doc.body.paths['/destinations'].post;
    expect(create.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['sourceId', 'type', 'name', 'settings']));
    expect(create.responses['201'].content['application/json'].schema.properties).toHaveProperty('signingSecret');
  });
});
