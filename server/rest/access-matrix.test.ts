/**
 * Every REST route, called with no token, a token of another workspace, and tokens of
 * every role, must behave as its declared rule says. A route missing from EXPECTED fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import type { TRule } from '../api/rules.ts';
import { createWorld, type TPrincipalName, type TWorld } from '../api/test-principals.ts';
import { createDestination } from '../destinations/destinations.ts';
import { createRegulation } from '../privacy/regulations.ts';
import { createFilter } from '../filters/filters.ts';
import { uuid7 } from '../lib/uuid7.ts';
import { createInvite } from '../workspaces/members.ts';
import { addWriteKey, createSource } from '../sources/sources.ts';
import { createTrackingPlan } from '../tracking-plans/plans.ts';
import { handleRestRequest } from './dispatch.ts';
import { REST_ROUTES } from './routes.ts';

const EXPECTED: Record<string, TRule> = {
  'GET /workspace': 'support',
  'GET /sources': 'support',
  'POST /sources': 'editor',
  'GET /sources/{id}': 'support',
  'PATCH /sources/{id}': 'editor',
  'DELETE /sources/{id}': 'editor',
  'POST /sources/{id}/write-keys': 'editor',
  'DELETE /sources/{id}/write-keys/{key}': 'editor',
  'GET /destinations': 'support',
  'POST /destinations': 'editor',
  'GET /destinations/{id}': 'support',
  'PATCH /destinations/{id}': 'editor',
  'DELETE /destinations/{id}': 'editor',
  'GET /destinations/{id}/activity': 'support',
  'POST /destinations/{id}/replays': 'editor',
  'POST /destinations/{id}/signing-secret': 'editor',
  'POST /destinations/{destinationId}/test': 'editor',
  'GET /destination-types': 'support',
  'GET /destination-defaults': 'support',
  'GET /events': 'support',
  'GET /events/{eventId}/trace': 'support',
  'POST /events/{eventId}/resend': 'editor',
  'GET /destinations/{destinationId}/stats': 'support',
  'GET /destinations/{destinationId}/events': 'support',
  'GET /stats': 'support',
  'GET /overview': 'support',
  'GET /audit-entries': 'admin',
  'POST /regulations': 'admin',
  'GET /regulations': 'admin',
  'GET /regulations/{regulationId}': 'admin',
  'GET /suppressions': 'admin',
  'GET /destinations/{destinationId}/filters': 'support',
  'POST /destinations/{destinationId}/filters': 'editor',
  'POST /destinations/{destinationId}/filters/preview': 'support',
  'GET /filters/{filterId}': 'support',
  'PATCH /filters/{filterId}': 'editor',
  'DELETE /filters/{filterId}': 'editor',
  'PUT /destinations/{destinationId}/filters/order': 'editor',
  'GET /tracking-plans': 'support',
  'POST /tracking-plans': 'editor',
  'GET /tracking-plans/{trackingPlanId}': 'support',
  'PUT /tracking-plans/{trackingPlanId}': 'editor',
  'DELETE /tracking-plans/{trackingPlanId}': 'editor',
  'GET /tracking-plans/{trackingPlanId}/violations': 'support',
  'GET /tracking-plans/{trackingPlanId}/client.ts': 'support',
  'PUT /sources/{sourceId}/tracking-plan': 'editor',
  'GET /sources/{sourceId}/tracking-plan/draft': 'support',
  'POST /sources/{sourceId}/blocked-events/replays': 'editor',
  'GET /members': 'support',
  'PATCH /members/{userId}': 'admin',
  'DELETE /members/{userId}': 'admin',
  'GET /invites': 'admin',
  'POST /invites': 'admin',
  'DELETE /invites/{inviteId}': 'admin',
};

/** A valid body for routes whose input has required fields (others get `{}` or, for PATCH, a rename). */
const PLAN = { name: 'API plan', rules: { events: [{ name: 'Order Completed', schema: { type: 'object' } }] } };
const BODIES: Record<string, (f: { sourceId: string; destinationId: string; trackingPlanId: string; filterId: string }, who: TPrincipalName) => unknown> = {
  'POST /destinations/{destinationId}/filters': () => ({ title: 'API filter', if: 'event = "Test"', action: { type: 'drop' } }),
  'POST /destinations/{destinationId}/filters/preview': () => ({ if: 'true', action: { type: 'drop_properties', paths: ['properties.email'] } }),
  'PATCH /filters/{filterId}': () => ({ title: 'Renamed by API' }),
  'PUT /destinations/{destinationId}/filters/order': (f) => ({ filterIds: [f.filterId] }),
  'POST /tracking-plans': () => PLAN,
  'PUT /tracking-plans/{trackingPlanId}': () => PLAN,
  'PUT /sources/{sourceId}/tracking-plan': (f) => ({ trackingPlanId: f.trackingPlanId, unplannedEvents: 'block', violations: 'omit' }),
  // Source names are unique per workspace: each principal creates its own.
  'POST /sources': (_f, who) => ({ name: `Made by API as ${who}` }),
  'POST /destinations': (f) => ({ sourceId: f.sourceId, type: 'webhook', name: 'API hook', settings: { url: 'https://hooks.example.com/api' } }),
  'POST /destinations/{id}/replays': () => ({ from: '2020-01-01T00:00:00Z', to: new Date().toISOString() }),
  'POST /sources/{sourceId}/blocked-events/replays': () => ({ from: '2020-01-01T00:00:00Z', to: new Date().toISOString() }),
  'POST /regulations': () => ({ regulationType: 'DELETE_INTERNAL', subjectType: 'USER_ID', subjectIds: ['user-from-api'] }),
  'POST /events/{eventId}/resend': (f) => ({ destinationId: f.destinationId }),
  'PATCH /members/{userId}': () => ({ role: 'editor' }),
  'POST /invites': () => ({ role: 'support' }),
};

const RANK: Record<TPrincipalName, number> = { anonymous: 0, outsider: 0, support: 1, editor: 2, admin: 3 };
const RULE_RANK: Record<string, number> = { support: 1, editor: 2, admin: 3 };
const SYSTEM = { type: 'system' as const, id: null, label: 'test', role: 'admin' as const, ip: null };

let testDb: TTestDb;
let world: TWorld;

beforeAll(async () => {
  testDb = await createTestDb();
  world = await createWorld(testDb.db);
});
afterAll(() => testDb.drop());

/** A fresh source (two keys), destination, member and invite in workspace A, so destructive calls don't interfere. */
async function fixture() {
  const source = await createSource({ db: testDb.db, workspaceId: world.workspaceId, actor: SYSTEM, name: `Fixture ${Math.random().toString(36).slice(2, 10)}` });
  const second = await addWriteKey({ db: testDb.db, workspaceId: world.workspaceId, actor: SYSTEM, sourceId: source.id });
  const { destination } = await createDestination({
    db: testDb.db,
    workspaceId: world.workspaceId,
    actor: SYSTEM,
    input: { sourceId: source.id, type: 'webhook', name: 'Fixture hook', settings: { url: 'https://hooks.example.com/in' } },
  });
  const regulation = await createRegulation({ db: testDb.db, workspaceId: world.workspaceId, actor: SYSTEM, input: { regulationType: 'SUPPRESS_ONLY', subjectType: 'USER_ID', subjectIds: ['fixture-user'] } });
  const filter = await createFilter({ db: testDb.db, workspaceId: world.workspaceId, actor: SYSTEM, destinationId: destination.id, input: { title: 'Fixture filter', if: 'true', action: { type: 'drop' } } });
  const plan = await createTrackingPlan({ db: testDb.db, workspaceId: world.workspaceId, actor: SYSTEM, input: PLAN });
  // An event of that source, so /events/{eventId}/… routes have something to find.
  const ms = Date.now();
  const event = await testDb.db.event.create({
    data: { id: uuid7(ms), workspaceId: world.workspaceId, sourceId: source.id, messageId: `fixture-${ms}-${Math.random()}`, type: 'track', name: 'Fixture', userId: 'u-1', receivedAt: new Date(ms), timestamp: new Date(ms), payload: { type: 'track', event: 'Fixture' } },
  });
  const user = await testDb.db.user.create({ data: { email: `fixture-${Math.random().toString(36).slice(2, 10)}@test.local`, name: 'Fixture member', passwordHash: 'x' } });
  await testDb.db.membership.create({ data: { workspaceId: world.workspaceId, userId: user.id, role: 'support' } });
  const { invite } = await createInvite({ db: testDb.db, workspaceId: world.workspaceId, actor: SYSTEM, role: 'support' });
  return { sourceId: source.id, destinationId: destination.id, key: second.key, regulationId: regulation.id, filterId: filter.id, trackingPlanId: plan.id, eventId: event.id, userId: user.id, inviteId: invite.id };
}

async function call(method: string, path: string, token: string | null, body?: unknown) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const req = new Request(`http://localhost:3000/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const res = await handleRestRequest({ req, db: testDb.db, path: path.split('?')[0] });
  const text = await res.text();
  // A file route (the typed client) answers with the file itself when allowed.
  const isJson = (res.headers.get('content-type') ?? '').startsWith('application/json');
  return { status: res.status, body: text && isJson ? JSON.parse(text) : text || null };
}

describe('REST access rules', () => {
  it('declares every route in EXPECTED with the same rule', () => {
    expect(REST_ROUTES.map((r) => `${r.method} ${r.path}`).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const route of REST_ROUTES) expect({ route: route.path, rule: route.rule }).toEqual({ route: route.path, rule: EXPECTED[`${route.method} ${route.path}`] });
  });

  it.each(REST_ROUTES.map((r) => `${r.method} ${r.path}`))('%s: each principal gets what the rule says', async (name) => {
    const route = REST_ROUTES.find((r) => `${r.method} ${r.path}` === name)!;
    for (const who of ['anonymous', 'outsider', 'support', 'editor', 'admin'] as const) {
      const f = await fixture();
      // Placeholders are filled by the input field they stand for (`{id}` → sourceId on /sources).
      const values: Record<string, string> = { sourceId: f.sourceId, destinationId: f.destinationId, writeKeyId: f.key, regulationId: f.regulationId, filterId: f.filterId, trackingPlanId: f.trackingPlanId, eventId: f.eventId, userId: f.userId, inviteId: f.inviteId };
      const path = route.path.replace(/\{(\w+)\}/g, (placeholder, key: string) => values[route.params[key]] ?? placeholder);
      // Source names are unique per workspace: each principal creates or renames to its own.
      const body = name in BODIES ? BODIES[name](f, who) : route.method === 'PATCH' ? { name: `Renamed by API as ${who}` } : route.body ? {} : undefined;
      const result = await call(route.method, path, world.principals[who].token, body);
      const context = `${name} as ${who}: ${result.status} ${JSON.stringify(result.body)}`;
      if (who === 'anonymous') {
        expect(result.status, context).toBe(401);
        expect(result.body.error, context).toBe('unauthorized');
      } else if (who === 'outsider') {
        // A token of another workspace never reaches workspace A's objects.
        if (Object.keys(route.params).length > 0 || route.path === '/destinations' && route.method === 'POST') {
          expect(result.status, context).toBe(404);
        } else {
          expect(JSON.stringify(result.body), context).not.toContain(f.sourceId);
          expect(JSON.stringify(result.body), context).not.toContain(world.workspaceId);
        }
      } else if (RANK[who] >= RULE_RANK[route.rule]) {
        expect(result.status, context).toBe(route.status ?? 200);
      } else {
        expect(result.status, context).toBe(403);
        expect(result.body.error, context).toBe('forbidden');
      }
    }
  });
});
