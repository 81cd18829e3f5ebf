/**
 * Events past their window, end to end with an S3 bucket configured: the engine archives
 * and records them even while the bucket is failing (an S3 outage never holds up delivery
 * or outcome recording), the files wait on local disk, and once the bucket answers again
 * they are in it under `archive/<destination>/<day>/` and gone from the disk. And the worker
 * process configured through SWITCHYARD_ARCHIVE_S3_* ships what an earlier run left behind.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { startIngestTestServer, type TIngestTestServer } from '../ingest/test-server.ts';
import { FileArchive } from './archive.ts';
import { ArchiveUploader } from './archive-uploader.ts';
import { createS3ArchiveStore } from './s3-archive-store.ts';
import { buildEngine, transitionsOf, type TTestEngine } from './test-engine.ts';
import { answer } from './test-responders.ts';
import { startTestS3Server, type TTestS3Server } from './test-s3-server.ts';
import { startSink, type TSink } from './test-sink.ts';
import { startWorkerProcess } from './test-worker-process.ts';
import { createSourceWithSinks, FAST_RETRIES, sendEvents, waitFor } from './test-world.ts';

let testDb: TTestDb;
let server: TIngestTestServer;
let s3: TTestS3Server;
let sink: TSink;
let world: Awaited<ReturnType<typeof createSourceWithSinks>>;
let archiveDir: string;
let uploader: ArchiveUploader;
let running: TTestEngine;
const logs: string[] = [];

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
  s3 = await startTestS3Server();
  sink = await startSink();
  world = await createSourceWithSinks(testDb, [sink], { ...FAST_RETRIES, retryWindowSeconds: 60 });
  archiveDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'sy-archive-s3-')), 'archive');
  const workerId = `test-host:${process.pid}:e2e`;
  uploader = new ArchiveUploader({
    dir: archiveDir,
    store: createS3ArchiveStore({ bucket: s3.bucket, prefix: 'archive/', region: s3.region, endpoint: s3.endpoint, forcePathStyle: true, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }),
    uploaderId: workerId,
    log: (line) => logs.push(line),
    intervalMs: 500,
    nudgeDelayMs: 50,
    minBackoffMs: 100,
    maxBackoffMs: 500,
  });
  const archive = new FileArchive(archiveDir, workerId, { onWritten: () => uploader.nudge() });
  running = await buildEngine(testDb.url, { workerId, archive });
  uploader.start();
});
afterAll(async () => {
  await running?.engine.stop();
  await uploader?.stop(500);
  await sink?.close();
  await s3?.close();
  await server?.close();
  await testDb?.drop();
});

async function localArchiveFiles(): Promise<string[]> {
  return (await readdir(archiveDir, { recursive: true }).catch(() => [])).filter((name) => name.includes('.ndjson.gz'));
}

describe('archiving to S3 through the engine', () => {
  it('records jobs past their window as archived while S3 fails, then ships their file once S3 is back', async () => {
    const destinationId = world.destinationIds[0];
    sink.respond(answer(503));
    const messageIds = await sendEvents(server, world.writeKey, 3, 'archive-s3');
    const transitions = () => transitionsOf(testDb.db, destinationId);
    await waitFor(async () => (await transitions()).filter((t) => t.state === 'awaiting_retry').length >= 3, { timeoutMs: 25_000, what: '3 retries' });

    s3.failWith(503);
    await testDb.db.$executeRaw`UPDATE jobs SET expire_at = now() WHERE destination_id = ${destinationId}::uuid`;
    await waitFor(async () => (await transitions()).filter((t) => t.state === 'archived').length >= 3, { timeoutMs: 25_000, what: '3 archived transitions' });
    await waitFor(async () => (await testDb.db.jobQueue.count({ where: { destinationId } })) === 0, { what: 'the archived jobs to leave the queue' });
    await waitFor(async () => uploader.stats.failedAttempts >= 2, { timeoutMs: 20_000, what: 'failed uploads' });
    expect((await localArchiveFiles()).length).toBeGreaterThan(0);
    expect(s3.objects.size).toBe(0);

    s3.failWith(null);
    await waitFor(async () => (await localArchiveFiles()).length === 0, { timeoutMs: 30_000, what: 'the archive files to reach S3' });

    const archived = (await transitions()).filter((t) => t.state === 'archived');
    const keys = [...s3.objects.keys()];
    for (const key of keys) expect(key).toMatch(new RegExp(`^archive/${destinationId}/\\d{4}-\\d{2}-\\d{2}/\\d+-test-host_${process.pid}_e2e-\\d+\\.ndjson\\.gz$`));
    const lines = keys.flatMap((key) => gunzipSync(s3.objects.get(key)!.body).toString('utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { jobId: string; messageId: string; event: { messageId: string } }));
    expect(lines.map((line) => line.jobId).sort()).toEqual(archived.map((t) => t.jobId).sort());
    expect(new Set(lines.map((line) => line.event.messageId))).toEqual(new Set(messageIds));
    expect(logs.filter((line) => / failed \(/.test(line))).toHaveLength(1);
    expect(logs.filter((line) => line.includes('resumed'))).toHaveLength(1);
  });

  it('a worker process configured with SWITCHYARD_ARCHIVE_S3_* ships the files an earlier run left in its data directory, and stops cleanly', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sy-archive-worker-'));
    const [left] = await new FileArchive(path.join(dataDir, 'archive'), 'earlier-run').write([
      { jobId: 'job-left-behind', destinationId: 'dest-x', sourceId: 'src-x', messageId: 'm-x', attempts: 9, reason: 'retry window ended', archivedAt: '2026-11-20T23:59:59.000Z', payload: '{"messageId":"m-x"}' },
    ]);
    const worker = startWorkerProcess({
      databaseUrl: testDb.url,
      dataDir,
      env: {
        SWITCHYARD_ARCHIVE_S3_BUCKET: s3.bucket,
        SWITCHYARD_ARCHIVE_S3_PREFIX: 'from-worker/',
        SWITCHYARD_ARCHIVE_S3_REGION: s3.region,
        SWITCHYARD_ARCHIVE_S3_ENDPOINT: s3.endpoint,
        SWITCHYARD_ARCHIVE_S3_FORCE_PATH_STYLE: 'true',
        SWITCHYARD_ARCHIVE_S3_ACCESS_KEY_ID: s3.accessKeyId,
        SWITCHYARD_ARCHIVE_S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      },
    });
    try {
      await worker.ready;
      const key = `from-worker/dest-x/2026-11-20/${path.basename(left)}`;
      await waitFor(async () => s3.objects.has(key), { timeoutMs: 30_000, what: `${key} in S3` });
      expect(gunzipSync(s3.objects.get(key)!.body).toString('utf8')).toContain('"jobId":"job-left-behind"');
      await waitFor(async () => (await readdir(path.join(dataDir, 'archive'), { recursive: true })).every((name) => !name.includes('.ndjson.gz')), { what: 'the local file to go' });
      expect(worker.lines.some((line) => line.includes(`shipped to s3://${s3.bucket}/from-worker/`))).toBe(true);
    } finally {
      await worker.kill('SIGTERM');
    }
    expect(await worker.exited).toBe(0);
  });
});
