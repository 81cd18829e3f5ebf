/**
 * Deleting a subject from archive files already shipped to an S3-compatible bucket: the
 * real archive writer and uploader put the files in a local S3-speaking server (which
 * checks SigV4 signatures, Content-MD5 and If-Match like S3), then the privacy runner
 * rewrites the objects without the subject (or deletes the ones only about them) and
 * counts them in the receipt; another user's lines stay. A rewrite that races another
 * one is read again instead of undoing it, and an attempt cut short by an S3 outage
 * resumes after the last object it finished. The worker process configured with
 * SWITCHYARD_ARCHIVE_S3_* does it for a request made through the domain function.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { createIngestFixture } from '../ingest/test-fixtures.ts';
import { createRegulation, getRegulation } from '../privacy/regulations.ts';
import { startDeletion } from '../privacy/test-deletion.ts';
import { FileArchive, type TArchivedJob } from './archive.ts';
import { ArchiveUploader } from './archive-uploader.ts';
import { createS3ArchiveStore, type TArchiveStore } from './s3-archive-store.ts';
import { startTestS3Server, type TTestS3Server } from './test-s3-server.ts';
import { startWorkerProcess } from './test-worker-process.ts';
import { waitFor } from './test-world.ts';

let testDb: TTestDb;
let s3: TTestS3Server;
let fx: Awaited<ReturnType<typeof createIngestFixture>>;
const stores: TArchiveStore[] = [];

beforeAll(async () => {
  testDb = await createTestDb();
  s3 = await startTestS3Server({ pageSize: 2 }); // two keys per ListObjectsV2 page: the runner must follow the pages
  fx = await createIngestFixture(testDb.db, { destinations: [] });
});
afterAll(async () => {
  for (const store of stores) store.close();
  await s3?.close();
  await testDb?.drop();
});
afterEach(() => {
  s3.objects.clear();
  s3.onGet = null;
  s3.onPut = null;
  s3.failWith(null);
});

const store = (server: TTestS3Server = s3) => {
  const created = createS3ArchiveStore({ bucket: server.bucket, prefix: 'archive/', region: server.region, endpoint: server.endpoint, forcePathStyle: true, accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey });
  stores.push(created);
  return created;
};

let sequence = 0;
const job = (userId: string, destinationId: string, day = '2026-11-20'): TArchivedJob => {
  const messageId = `m-${userId}-${++sequence}`;
  return { jobId: `job-${sequence}`, destinationId, sourceId: fx.sourceId, messageId, attempts: 3, reason: 'retry window ended', archivedAt: `${day}T12:00:00.000Z`, payload: JSON.stringify({ type: 'track', event: 'Order Completed', userId, messageId }) };
};

/** Writes archive files with the real writer and ships them with the real uploader; returns the object keys. */
async function ship(files: TArchivedJob[][], server: TTestS3Server = s3): Promise<string[]> {
  const dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'sy-privacy-s3-')), 'archive');
  const archive = new FileArchive(dir, 'worker-a');
  for (const jobs of files) await archive.write(jobs);
  const uploader = new ArchiveUploader({ dir, store: store(server), uploaderId: 'worker-a', log: () => undefined });
  await uploader.runOnce();
  expect((await readdir(dir, { recursive: true })).filter((name) => name.endsWith('.ndjson.gz'))).toEqual([]);
  return [...server.objects.keys()].sort();
}

const usersIn = (key: string, server: TTestS3Server = s3) => gunzipSync(server.objects.get(key)!.body).toString('utf8').split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { event: { userId: string } }).event.userId);
const archiveTarget = async (deletion: Awaited<ReturnType<typeof startDeletion>>) => (await deletion.view()).targets.find((t) => t.kind === 'archive')!;

describe('deleting a subject from the S3 archive', () => {
  it('rewrites shipped objects without the subject, deletes the ones only about them, and counts both in the receipt', async () => {
    const keys = await ship([
      [job('grace-1', 'dest-a'), job('alan-1', 'dest-a'), job('grace-1', 'dest-a')], // rewritten: Alan's line stays
      [job('grace-1', 'dest-b')], // only Grace: removed
      [job('alan-1', 'dest-c')], // untouched
      [job('alan-1', 'dest-c', '2026-11-21'), job('ada-1', 'dest-c', '2026-11-21')], // untouched
    ]);
    expect(keys).toHaveLength(4);
    const untouched = keys.filter((key) => key.includes('dest-c')).map((key) => [key, s3.objects.get(key)!.body] as const);
    const deletion = await startDeletion(testDb, { workspaceId: fx.workspaceId, regulationType: 'DELETE_INTERNAL', subjectIds: ['grace-1'], archiveStore: store() });
    try {
      const done = await deletion.drain();
      expect(done.status).toBe('finished');
      const target = done.targets.find((t) => t.kind === 'archive')!;
      expect(target.receipt).toEqual({
        filesScanned: 0,
        filesRewritten: 0,
        filesRemoved: 0,
        objectsScanned: 4,
        objectsRewritten: 1,
        objectsRemoved: 1,
        eventsRemoved: 3,
        bucket: `s3://${s3.bucket}/archive/ at ${s3.endpoint}`,
      });
    } finally {
      await deletion.close();
    }
    expect([...s3.objects.keys()].sort()).toEqual(keys.filter((key) => !key.includes('dest-b')));
    expect(usersIn(keys.find((key) => key.includes('dest-a'))!)).toEqual(['alan-1']);
    for (const [key, body] of untouched) expect(s3.objects.get(key)!.body.equals(body)).toBe(true);
    const everything = [...s3.objects.values()].map((object) => gunzipSync(object.body).toString('utf8')).join('\n');
    expect(everything).not.toContain('grace-1');
    // Rewritten objects are what the uploader writes: gzip NDJSON with S3's integrity check.
    const rewrite = s3.puts.filter((put) => put.key.includes('dest-a')).at(-1)!;
    expect(rewrite.status).toBe(200);
    expect(s3.objects.get(rewrite.key)!.headers['content-type']).toBe('application/gzip');
    expect(s3.objects.get(rewrite.key)!.headers['if-match']).toBeDefined();
  });

  it('reads an object again when another deletion rewrote it between the read and the write, so neither undoes the other', async () => {
    const [key] = await ship([[job('grace-1', 'dest-a'), job('alan-1', 'dest-a'), job('ada-1', 'dest-a')]]);
    // Alan's deletion rewrites the object right after Grace's deletion read it.
    s3.onGet = (got) => {
      s3.onGet = null;
      const lines = gunzipSync(s3.objects.get(got)!.body).toString('utf8').split('\n').filter((line) => line && !line.includes('alan-1'));
      s3.objects.set(got, { ...s3.objects.get(got)!, body: gzipSync(`${lines.join('\n')}\n`) });
    };
    const deletion = await startDeletion(testDb, { workspaceId: fx.workspaceId, regulationType: 'DELETE_INTERNAL', subjectIds: ['grace-1'], archiveStore: store() });
    try {
      const done = await deletion.drain();
      expect(done.targets.find((t) => t.kind === 'archive')!.receipt).toMatchObject({ objectsScanned: 1, objectsRewritten: 1, eventsRemoved: 1 });
    } finally {
      await deletion.close();
    }
    expect(s3.puts.filter((put) => put.key === key).map((put) => put.status)).toEqual([200, 412, 200]); // shipped, refused (changed meanwhile), rewritten
    expect(usersIn(key)).toEqual(['ada-1']);
  });

  it('resumes after the last object it finished when S3 failed part way', async () => {
    const keys = await ship([[job('grace-1', 'dest-a'), job('alan-1', 'dest-a')], [job('grace-1', 'dest-b'), job('alan-1', 'dest-b')], [job('grace-1', 'dest-c'), job('alan-1', 'dest-c')]]);
    // S3 starts failing right after the second rewrite is stored (before its version check).
    let puts = 0;
    s3.onPut = () => {
      if (++puts < 2) return;
      s3.onPut = null;
      setImmediate(() => s3.failWith(503));
    };
    const deletion = await startDeletion(testDb, { workspaceId: fx.workspaceId, regulationType: 'DELETE_INTERNAL', subjectIds: ['grace-1'], archiveStore: store() });
    try {
      await deletion.drain();
      const interrupted = await archiveTarget(deletion);
      expect(interrupted).toMatchObject({ status: 'pending', attempts: 1, receipt: { objectsScanned: 1, objectsRewritten: 1, bucketResumeAfter: keys[0].slice('archive/'.length) } });
      expect(interrupted.error).toMatch(/^s3:\/\/switchyard-archive\/archive\/ at http:\S+ failed while (listing|rewriting an object) \(\w+, HTTP 503: /);

      s3.failWith(null);
      await deletion.makeDue();
      const done = await deletion.drain();
      expect(done.status).toBe('finished');
      const target = done.targets.find((t) => t.kind === 'archive')!;
      expect(target).toMatchObject({ status: 'finished', attempts: 2 });
      // The first object was not read again; the second, rewritten just before the outage but not
      // yet recorded, is read again and found clean (so it counts as read, not rewritten).
      expect(target.receipt).toMatchObject({ objectsScanned: 3, objectsRewritten: 2, eventsRemoved: 2 });
      expect(target.receipt).not.toHaveProperty('bucketResumeAfter');
    } finally {
      await deletion.close();
    }
    for (const key of keys) expect(usersIn(key)).toEqual(['alan-1']);
  });

  it('the worker process configured with SWITCHYARD_ARCHIVE_S3_* rewrites the bucket for a request', async () => {
    const [key] = await ship([[job('grace-1', 'dest-w'), job('alan-1', 'dest-w')]]);
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sy-privacy-worker-'));
    const worker = startWorkerProcess({
      databaseUrl: testDb.url,
      dataDir,
      env: {
        SWITCHYARD_ARCHIVE_S3_BUCKET: s3.bucket,
        SWITCHYARD_ARCHIVE_S3_PREFIX: 'archive/',
        SWITCHYARD_ARCHIVE_S3_REGION: s3.region,
        SWITCHYARD_ARCHIVE_S3_ENDPOINT: s3.endpoint,
        SWITCHYARD_ARCHIVE_S3_FORCE_PATH_STYLE: 'true',
        SWITCHYARD_ARCHIVE_S3_ACCESS_KEY_ID: s3.accessKeyId,
        SWITCHYARD_ARCHIVE_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      },
    });
    try {
      await worker.ready;
      const created = await createRegulation({ db: testDb.db, workspaceId: fx.workspaceId, actor: fx.actor, input: { regulationType: 'DELETE_INTERNAL', subjectType: 'USER_ID', subjectIds: ['grace-1'] } });
      await waitFor(async () => (await getRegulation({ db: testDb.db, workspaceId: fx.workspaceId, regulationId: created.id })).status === 'finished', { timeoutMs: 30_000, what: 'the request to finish' });
      const done = await getRegulation({ db: testDb.db, workspaceId: fx.workspaceId, regulationId: created.id });
      expect(done.targets.find((t) => t.kind === 'archive')!.receipt).toMatchObject({ objectsScanned: 1, objectsRewritten: 1, eventsRemoved: 1, bucket: `s3://${s3.bucket}/archive/ at ${s3.endpoint}` });
      expect(usersIn(key)).toEqual(['alan-1']);
    } finally {
      await worker.kill('SIGTERM');
    }
    expect(await worker.exited).toBe(0);
  });

  it('in a versioned bucket, deletes the earlier versions of rewritten objects and every version of removed ones', async () => {
    const versioned = await startTestS3Server({ versioned: true });
    try {
      const [shared, onlyGrace] = await ship([[job('grace-1', 'dest-a'), job('alan-1', 'dest-a')], [job('grace-1', 'dest-b')]], versioned);
      const deletion = await startDeletion(testDb, { workspaceId: fx.workspaceId, regulationType: 'DELETE_INTERNAL', subjectIds: ['grace-1'], archiveStore: store(versioned) });
      try {
        const done = await deletion.drain();
        expect(done.targets.find((t) => t.kind === 'archive')!.receipt).toMatchObject({ objectsScanned: 2, objectsRewritten: 1, objectsRemoved: 1, olderVersionsDeleted: 3, eventsRemoved: 2 });
      } finally {
        await deletion.close();
      }
      expect(usersIn(shared, versioned)).toEqual(['alan-1']);
      expect(versioned.history.get(shared) ?? []).toEqual([]); // the version with Grace is gone
      expect(versioned.objects.has(onlyGrace)).toBe(false);
      expect(versioned.history.get(onlyGrace) ?? []).toEqual([]); // its version and the delete marker are gone
      const everything = [...versioned.objects.values(), ...[...versioned.history.values()].flat()].map((entry) => (entry.body ? gunzipSync(entry.body).toString('utf8') : '')).join('\n');
      expect(everything).not.toContain('grace-1');
    } finally {
      await versioned.close();
    }
  });
});
