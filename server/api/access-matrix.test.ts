/**
 * Every tRPC procedure, called through the real HTTP handler as anonymous, support,
 * editor, admin and a member of another workspace, must behave as its declared rule says.
 * A procedure missing from EXPECTED, or declaring no rule, fails this test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { appRouter } from './root.ts';
import type { TRule } from './rules.ts';
import { callTrpc, createWorld, type TPrincipalName, type TWorld } from './test-principals.ts';

const EXPECTED: Record<string, TRule> = {
  'workspaces.me': 'signedIn',
  'workspaces.create': 'signedIn',
  'workspaces.rename': 'admin',
  'workspaces.current': 'support',
  'workspaces.overview': 'support',
  'account.changePassword': 'signedIn',
  'account.describeReset': 'public',
  'account.completeReset': 'public',
  'members.list': 'support',
  'members.changeRole': 'admin',
  'members.remove': 'admin',
  'members.resetSignIn': 'admin',
  'members.invites': 'admin',
  'members.invite': 'admin',
  'members.revokeInvite': 'admin',
  'members.describeInvite': 'public',
  'members.acceptInvite': 'signedIn',
  'members.acceptInviteAsNewUser': 'public',
  'sources.list': 'support',
  'sources.get': 'support',
  'sources.create': 'editor',
  'sources.update': 'editor',
  'sources.delete': 'editor',
  'sources.addWriteKey': 'editor',
  'sources.revokeWriteKey': 'editor',
  'destinations.types': 'support',
  'destinations.deliveryDefaults': 'support',
  'destinations.test': 'editor',
  'destinations.list': 'support',
  'destinations.get': 'support',
  'destinations.create': 'editor',
  'destinations.update': 'editor',
  'destinations.delete': 'editor',
  'destinations.activity': 'support',
  'destinations.replay': 'editor',
  'destinations.rotateSecret': 'editor',
  'filters.list': 'support',
  'filters.get': 'support',
  'filters.preview': 'support',
  'filters.create': 'editor',
  'filters.update': 'editor',
  'filters.delete': 'editor',
  'filters.reorder': 'editor',
  'trackingPlans.list': 'support',
  'trackingPlans.get': 'support',
  'trackingPlans.violations': 'support',
  'trackingPlans.draft': 'support',
  'trackingPlans.client': 'support',
  'trackingPlans.create': 'editor',
  'trackingPlans.replace': 'editor',
  'trackingPlans.delete': 'editor',
  'trackingPlans.connectSource': 'editor',
  'trackingPlans.replayBlocked': 'editor',
  'events.list': 'support',
  'events.newer': 'support',
  'traces.search': 'support',
  'traces.destinationEvents': 'support',
  'traces.get': 'support',
  'traces.eventOfJob': 'support',
  'traces.destinationStats': 'support',
  'traces.workspaceStats': 'support',
  'traces.overview': 'support',
  'traces.resend': 'editor',
  'events.deliveries': 'support',
  'tokens.list': 'admin',
  'tokens.create': 'admin',
  'tokens.revoke': 'admin',
  'audit.list': 'admin',
  'privacy.createRegulation': 'admin',
  'privacy.regulations': 'admin',
  'privacy.regulation': 'admin',
  'privacy.suppressions': 'admin',
};

const RANK: Record<TPrincipalName, number> = { anonymous: 0, outsider: 0, support: 1, editor: 2, admin: 3 };
const RULE_RANK = { support: 1, editor: 2, admin: 3 } as const;

type TProcedure = { _def: { type: 'query' | 'mutation' | 'subscription'; meta?: { rule?: TRule } } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, TProcedure>);

/** What a principal must get from a procedure with this rule, called with just `{ workspaceId }`. */
function expectedOutcome(rule: TRule, who: TPrincipalName): 'UNAUTHORIZED' | 'FORBIDDEN' | 'NOT_FOUND' | 'passes' {
  if (rule === 'public') return 'passes';
  if (who === 'anonymous') return 'UNAUTHORIZED';
  if (rule === 'signedIn') return 'passes';
  if (who === 'outsider') return 'NOT_FOUND';
  return RANK[who] >= RULE_RANK[rule] ? 'passes' : 'FORBIDDEN';
}

let testDb: TTestDb;
let world: TWorld;

beforeAll(async () => {
  testDb = await createTestDb();
  world = await createWorld(testDb.db);
});
afterAll(() => testDb.drop());

describe('tRPC access rules', () => {
  it('declares a rule on every procedure, and EXPECTED lists exactly the procedures that exist', () => {
    const undeclared = procedures.filter(([, p]) => !p._def.meta?.rule).map(([path]) => path);
    expect(undeclared).toEqual([]);
    expect(procedures.map(([path]) => path).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const [path, procedure] of procedures) expect({ path, rule: procedure._def.meta?.rule }).toEqual({ path, rule: EXPECTED[path] });
  });

  it.each(procedures.map(([path]) => path))('%s: each principal gets what the rule says', async (path) => {
    const procedure = procedures.find(([p]) => p === path)![1];
    const rule = procedure._def.meta!.rule!;
    const type = procedure._def.type === 'mutation' ? 'mutation' : 'query';
    for (const who of ['anonymous', 'outsider', 'support', 'editor', 'admin'] as const) {
      const result = await callTrpc({ db: testDb.db, path, type, input: { workspaceId: world.workspaceId }, cookie: world.principals[who].cookie });
      const expected = expectedOutcome(rule, who);
      const context = `${path} as ${who}: ${result.code} ${result.message}`;
      if (expected === 'passes') {
        // Allowed: the call either succeeds or fails on its (deliberately incomplete) input.
        expect(['UNAUTHORIZED', 'FORBIDDEN'], context).not.toContain(result.code);
        if (result.code === 'NOT_FOUND') expect(result.message, context).not.toBe('workspace not found');
      } else {
        expect(result.code, context).toBe(expected);
        if (expected === 'NOT_FOUND') expect(result.message, context).toBe('workspace not found');
      }
    }
  });

  it('refuses mutations from another origin, even with a valid session', async () => {
    const cross = await callTrpc({
      db: testDb.db,
      path: 'sources.create',
      type: 'mutation',
      input: { workspaceId: world.workspaceId, name: 'From evil.example' },
      cookie: world.principals.admin.cookie,
      origin: 'https://evil.example',
    });
    expect(cross.code).toBe('FORBIDDEN');
    expect(await testDb.db.source.count({ where: { name: 'From evil.example' } })).toBe(0);
    const same = await callTrpc({ db: testDb.db, path: 'sources.create', type: 'mutation', input: { workspaceId: world.workspaceId, name: 'Same origin' }, cookie: world.principals.admin.cookie });
    expect(same.code).toBeNull();
  });

  it('hides another workspace\'s objects behind NOT_FOUND even when the caller names them', async () => {
    const created = await callTrpc({ db: testDb.db, path: 'sources.create', type: 'mutation', input: { workspaceId: world.workspaceId, name: 'Acme web' }, cookie: world.principals.editor.cookie });
    const sourceId = (created.data as { id: string }).id;
    // The outsider is admin of their own workspace, and asks for Acme's source through it.
    const peek = await callTrpc({ db: testDb.db, path: 'sources.get', type: 'query', input: { workspaceId: world.otherWorkspaceId, sourceId }, cookie: world.principals.outsider.cookie });
    expect(peek.code).toBe('NOT_FOUND');
    const remove = await callTrpc({ db: testDb.db, path: 'sources.delete', type: 'mutation', input: { workspaceId: world.otherWorkspaceId, sourceId }, cookie: world.principals.outsider.cookie });
    expect(remove.code).toBe('NOT_FOUND');
    expect(await testDb.db.source.count({ where: { id: sourceId } })).toBe(1);
  });
});
