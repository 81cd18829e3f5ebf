/**
 * Privacy deletions (and support search) find events through their identity rows
 * (`event_identities`), which the ingest statement writes with each event. Events stored any
 * other way must get them too, or a deletion silently leaves them behind:
 *  - every file outside the tests that writes to `events` also writes identity rows
 *    (this fails when a new writer forgets them);
 *  - events written by the benchmarks' backlog fill (COPY), rate feeder (INSERT … RETURNING)
 *    and COPY baseline, the paths outside ingest that store events in bulk, are found and deleted.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedAtRate, fillBacklog } from '../../bench/lib/backlog.ts';
import { copyBaseline } from '../../bench/lib/copy-baseline.ts';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { createIngestFixture } from '../ingest/test-fixtures.ts';
import { startDeletion } from './test-deletion.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FOLDERS = ['server', 'bench', 'scripts', 'app', 'e2e'];
/** A statement or call that stores events. */
const WRITES_EVENTS = /INSERT\s+INTO\s+events\s*\(|COPY\s+events\s*\(|\.event\.(create|createMany|upsert)\s*\(/i;
/** What writes their identity rows: the shared statement or fragment, or the table itself. */
const WRITES_IDENTITIES = /INSERT_IDENTITIES_OF_EVENTS|identityRowsSql|INSERT\s+INTO\s+event_identities|COPY\s+event_identities/i;

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!['node_modules', 'generated', '.next'].includes(entry.name)) files.push(...(await sourceFiles(full)));
    } else if (/\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith('.test.ts')) files.push(full);
  }
  return files;
}

describe('events stored outside the ingest statement', () => {
  it('every file that writes events also writes their identity rows', async () => {
    const writers: string[] = [];
    const offenders: string[] = [];
    for (const folder of FOLDERS) {
      for (const file of await sourceFiles(path.join(ROOT, folder))) {
        const text = await readFile(file, 'utf8');
        if (!WRITES_EVENTS.test(text)) continue;
        const name = path.relative(ROOT, file);
        writers.push(name);
        if (!WRITES_IDENTITIES.test(text)) offenders.push(name);
      }
    }
    // The scan sees the known writers (so it would see a new one).
    expect(writers).toEqual(expect.arrayContaining(['server/ingest/sql/insert-events.ts', 'bench/lib/backlog.ts', 'bench/lib/copy-baseline.ts', 'bench/privacy.ts', 'bench/lib/traces-fill.ts']));
    expect(offenders).toEqual([]);
  });

  describe('a deletion finds them', () => {
    let testDb: TTestDb;
    let fx: Awaited<ReturnType<typeof createIngestFixture>>;
    beforeAll(async () => {
      testDb = await createTestDb();
      fx = await createIngestFixture(testDb.db, { destinations: ['Hook A'] });
    });
    afterAll(async () => {
      await testDb?.drop();
    });

    it('deletes events of the backlog fill, the rate feeder and the COPY baseline, with their jobs, and leaves other users\' events', async () => {
      const target = { databaseUrl: testDb.url, workspaceId: fx.workspaceId, sourceId: fx.sourceId, destinationIds: fx.destinations.map((d) => d.id) };
      // 3,000 events of user-0 … user-999 (3 each) by COPY, 1,000 more (1 each) by the ingest bench's
      // COPY baseline, then some of `user-feed` fed as the soak bench does.
      await fillBacklog({ ...target, events: 3000 });
      await copyBaseline({ ...target, events: 1000 });
      const progress = { jobs: 0 };
      await feedAtRate({ ...target, jobsPerSecond: 200, until: () => progress.jobs >= 5, progress });
      const count = async (userId: string) => (await testDb.db.$queryRawUnsafe<Array<{ n: number }>>('SELECT count(*)::int AS n FROM events WHERE user_id = $1', userId))[0].n;
      const fed = await count('user-feed');
      expect(fed).toBeGreaterThanOrEqual(5);
      expect(await count('user-7')).toBe(4);
      const totalBefore = (await testDb.db.$queryRawUnsafe<Array<{ n: number }>>('SELECT count(*)::int AS n FROM events'))[0].n;

      const deletion = await startDeletion(testDb, { workspaceId: fx.workspaceId, regulationType: 'DELETE_INTERNAL', subjectIds: ['user-7', 'user-feed'] });
      try {
        const done = await deletion.drain();
        expect(done.status).toBe('finished');
        expect(done.targets.find((t) => t.kind === 'event_store')!.receipt).toMatchObject({ events: 4 + fed, jobs: 4 + fed, queuedJobs: 4 + fed, dedupeEntries: 1 });
      } finally {
        await deletion.close();
      }
      expect(await count('user-7')).toBe(0);
      expect(await count('user-feed')).toBe(0);
      expect(await count('user-8')).toBe(4);
      expect((await testDb.db.$queryRawUnsafe<Array<{ n: number }>>('SELECT count(*)::int AS n FROM events'))[0].n).toBe(totalBefore - 4 - fed);
    });
  });
});
