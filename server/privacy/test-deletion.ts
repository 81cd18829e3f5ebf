/**
 * For tests: a privacy request carried out by the worker's real privacy runner (the one
 * `server/delivery/main.ts` starts), against a test database. `drain()` runs every target
 * that is due; `makeDue()` lets targets waiting for a retry run now (their backoff is
 * the runner's business, not the test's).
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TActor } from '../audit/actor.ts';
import type { TTestDb } from '../db/test-db.ts';
import { PrivacyRunner } from '../delivery/privacy-runner.ts';
import type { TArchiveStore } from '../delivery/s3-archive-store.ts';
import { createRegulation, getRegulation } from './regulations.ts';

const SYSTEM: TActor = { type: 'system', id: null, label: 'privacy test', role: 'admin', ip: null };

export async function startDeletion(
  testDb: TTestDb,
  {
    workspaceId,
    subjectIds,
    subjectType = 'USER_ID',
    regulationType = 'DELETE_ONLY',
    archiveDir,
    archiveStore,
    maxRemoteAttempts,
  }: {
    workspaceId: string;
    subjectIds: string[];
    subjectType?: 'USER_ID' | 'ANONYMOUS_ID' | 'EMAIL';
    regulationType?: 'DELETE_ONLY' | 'SUPPRESS_WITH_DELETE' | 'DELETE_INTERNAL';
    archiveDir?: string;
    archiveStore?: TArchiveStore;
    maxRemoteAttempts?: number;
  },
) {
  const pool = new pg.Pool({ connectionString: testDb.url, max: 2 });
  const runner = new PrivacyRunner({
    pool,
    workerId: `privacy-test-${Math.random().toString(36).slice(2, 8)}`,
    archiveDir: archiveDir ?? path.join(await mkdtemp(path.join(os.tmpdir(), 'sy-privacy-')), 'archive'),
    archiveStore,
    allowPrivate: '*',
    maxRemoteAttempts,
  });
  const created = await createRegulation({ db: testDb.db, workspaceId, actor: SYSTEM, input: { regulationType, subjectType, subjectIds } });
  const view = () => getRegulation({ db: testDb.db, workspaceId, regulationId: created.id });
  return {
    regulationId: created.id,
    view,
    async drain() {
      await runner.drain();
      return view();
    },
    async makeDue() {
      await pool.query(`UPDATE regulation_targets SET lease_expires_at = now() - interval '1 second' WHERE regulation_id = $1 AND status = 'pending'`, [created.id]);
    },
    async close() {
      await runner.stop();
      await pool.end();
    },
  };
}
