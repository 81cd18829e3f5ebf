/**
 * Creating privacy requests: validation a person can act on, the targets each type fans
 * out into, suppressions written at once, UNSUPPRESS lifting them, and audit entries that
 * never copy the subjects' identifiers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { createDestination } from '../destinations/destinations.ts';
import { createSource } from '../sources/sources.ts';
import { AppError } from '../errors/app-error.ts';
import { createRegulation, getRegulation, listRegulations, MAX_SUBJECTS } from './regulations.ts';
import { listSuppressions } from './suppressions.ts';

const ADMIN = { type: 'user' as const, id: null, label: 'ada@example.com', role: 'admin' as const, ip: '127.0.0.1' };

let testDb: TTestDb;
let workspaceId: string;

beforeAll(async () => {
  testDb = await createTestDb();
  workspaceId = (await testDb.db.workspace.create({ data: { name: 'Acme', slug: 'acme' } })).id;
  const source = await createSource({ db: testDb.db, workspaceId, actor: ADMIN, name: 'Web' });
  await createDestination({ db: testDb.db, workspaceId, actor: ADMIN, input: { sourceId: source.id, type: 'webhook', name: 'Warehouse hook', settings: { url: 'https://hooks.example.com/in' } } });
});
afterAll(() => testDb.drop());

const create = (input: Parameters<typeof createRegulation>[0]['input']) => createRegulation({ db: testDb.db, workspaceId, actor: ADMIN, input });

describe('privacy requests', () => {
  it('refuses empty lists, more than 5,000 subjects and malformed e-mails with a message that says which', async () => {
    await expect(create({ regulationType: 'DELETE_ONLY', subjectType: 'USER_ID', subjectIds: [] })).rejects.toThrow('List at least one subject');
    const tooMany = Array.from({ length: MAX_SUBJECTS + 1 }, (_, i) => `u${i}`);
    await expect(create({ regulationType: 'DELETE_ONLY', subjectType: 'USER_ID', subjectIds: tooMany })).rejects.toThrow('At most 5000 subjects per request');
    const bad = await create({ regulationType: 'SUPPRESS_ONLY', subjectType: 'EMAIL', subjectIds: ['ok@example.com', 'not-an-address'] }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(AppError);
    expect((bad as AppError).message).toContain('"not-an-address" is not an e-mail address');
    expect((bad as AppError).issues).toEqual({ 'subjectIds.1': '"not-an-address" is not an e-mail address' });
    expect(await testDb.db.regulation.count()).toBe(0);
  });

  it('takes exactly 5,000 subjects', async () => {
    const ids = Array.from({ length: MAX_SUBJECTS }, (_, i) => `bulk-${i}`);
    const made = await create({ regulationType: 'DELETE_INTERNAL', subjectType: 'USER_ID', subjectIds: ids });
    expect(made.subjectCount).toBe(MAX_SUBJECTS);
  });

  it('fans each type out into its targets: partners only for types that reach them', async () => {
    const full = await create({ regulationType: 'SUPPRESS_WITH_DELETE', subjectType: 'EMAIL', subjectIds: ['  Grace@Example.com ', 'grace@example.com'] });
    expect(full.subjectIds).toEqual(['grace@example.com']);
    expect(full.status).toBe('initialized');
    expect(full.targets.map((t) => [t.kind, t.label, t.status])).toEqual([
      ['suppression', 'Suppression at ingest', 'pending'],
      ['event_store', 'Event store', 'pending'],
      ['archive', 'Archive', 'pending'],
      ['destination', 'Warehouse hook', 'pending'],
    ]);
    const internal = await create({ regulationType: 'DELETE_INTERNAL', subjectType: 'USER_ID', subjectIds: ['u-1'] });
    expect(internal.targets.map((t) => t.kind)).toEqual(['event_store', 'archive']);
    const page = await listRegulations({ db: testDb.db, workspaceId, limit: 1 });
    expect(page.data[0].id).toBe(internal.id);
    expect(page.nextCursor).toBe(internal.id);
    expect((await listRegulations({ db: testDb.db, workspaceId, limit: 1, cursor: page.nextCursor })).data[0].id).toBe(full.id);
  });

  it('suppresses at once, and UNSUPPRESS lifts it', async () => {
    await create({ regulationType: 'SUPPRESS_ONLY', subjectType: 'USER_ID', subjectIds: ['sup-1', 'sup-2'] });
    const listed = await listSuppressions({ db: testDb.db, workspaceId, limit: 100, subjectType: 'USER_ID' });
    expect(listed.data.map((s) => s.subjectId).sort()).toEqual(['sup-1', 'sup-2']);
    const lift = await create({ regulationType: 'UNSUPPRESS', subjectType: 'USER_ID', subjectIds: ['sup-1'] });
    expect(lift.status).toBe('finished');
    expect(lift.targets).toMatchObject([{ kind: 'suppression', status: 'finished', receipt: { suppressionsLifted: 1 } }]);
    const after = await listSuppressions({ db: testDb.db, workspaceId, limit: 100, subjectType: 'USER_ID' });
    expect(after.data.map((s) => s.subjectId)).toEqual(['sup-2']);
  });

  it('audits who asked for what without copying the identifiers', async () => {
    const made = await create({ regulationType: 'DELETE_ONLY', subjectType: 'ANONYMOUS_ID', subjectIds: ['anon-secret-7'] });
    const entry = await testDb.db.auditEntry.findFirstOrThrow({ where: { targetId: made.id } });
    expect(entry).toMatchObject({ action: 'regulation.create', actorLabel: 'ada@example.com', after: { regulationType: 'DELETE_ONLY', subjectType: 'ANONYMOUS_ID', subjectCount: 1 } });
    expect(JSON.stringify({ ...entry, id: String(entry.id) })).not.toContain('anon-secret-7');
    expect((await getRegulation({ db: testDb.db, workspaceId, regulationId: made.id })).requestedBy).toBe('ada@example.com');
  });
});
