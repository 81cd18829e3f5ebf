/**
 * The archive an operator relies on when a destination stays down past its window: files
 * that survive a power cut once written, and (with a bucket configured) reach S3 intact and
 * leave the disk only after S3 stored them, whatever S3 does meanwhile (down, 5xx, refusing
 * the credentials, hanging) and however many workers share the folder. Against a local
 * S3-compatible server that checks SigV4 signatures and Content-MD5 (test-s3-server.ts).
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readlinkSync } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FileArchive, type TArchivedJob } from './archive.ts';
import { ArchiveUploader } from './archive-uploader.ts';
import { createS3ArchiveStore } from './s3-archive-store.ts';
import { startTestS3Server, type TTestS3Server } from './test-s3-server.ts';
import { waitFor } from './test-world.ts';

let s3: TTestS3Server;
const uploaders: ArchiveUploader[] = [];

beforeAll(async () => {
  s3 = await startTestS3Server();
});
afterEach(async () => {
  await Promise.all(uploaders.splice(0).map((uploader) => uploader.stop(100)));
  s3.onPut = null;
  s3.failWith(null);
  s3.hang(false);
});
afterAll(async () => {
  await s3.close();
});

function job(overrides: Partial<TArchivedJob> = {}): TArchivedJob {
  const messageId = `m-${randomUUID()}`;
  return {
    jobId: randomUUID(),
    destinationId: 'dest-a',
    sourceId: 'src-1',
    messageId,
    attempts: 7,
    reason: 'retry window ended before this attempt',
    archivedAt: '2026-11-21T10:00:00.000Z',
    payload: JSON.stringify({ type: 'track', event: 'Delivered', messageId }),
    ...overrides,
  };
}

async function tempArchiveDir(): Promise<string> {
  return path.join(await mkdtemp(path.join(os.tmpdir(), 'sy-archive-')), 'archive');
}

/** Files under the archive folder, as paths relative to it. */
async function localFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/')).sort();
}

const linesOf = (gz: Buffer) => gunzipSync(gz).toString('utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);

let prefixCount = 0;
function newUploader(dir: string, options: { secret?: string; id?: string; log?: (line: string) => void; prefix?: string } = {}) {
  const prefix = options.prefix ?? `t${++prefixCount}/`;
  const uploader = new ArchiveUploader({
    dir,
    store: createS3ArchiveStore({ bucket: s3.bucket, prefix, region: s3.region, endpoint: s3.endpoint, forcePathStyle: true, accessKeyId: s3.accessKeyId, secretAccessKey: options.secret ?? s3.secretAccessKey }),
    uploaderId: options.id ?? `test-host:${process.pid}:${prefixCount}`,
    log: options.log ?? (() => undefined),
    intervalMs: 200,
    nudgeDelayMs: 20,
    minBackoffMs: 50,
    maxBackoffMs: 300,
  });
  uploaders.push(uploader);
  return { uploader, prefix };
}

const objectsUnder = (prefix: string) => [...s3.objects.entries()].filter(([key]) => key.startsWith(prefix));

/** Writes one file per destination and day, and returns their relative paths and bytes. */
async function writeSample(dir: string): Promise<Map<string, Buffer>> {
  const archive = new FileArchive(dir, 'worker-1');
  const files = await archive.write([job(), job(), job({ destinationId: 'dest-b' }), job({ archivedAt: '2026-11-22T00:00:01.000Z' })]);
  const bytes = new Map<string, Buffer>();
  for (const file of files) bytes.set(path.relative(dir, file).split(path.sep).join('/'), await readFile(file));
  return bytes;
}

describe('FileArchive', () => {
  it('writes one gzip NDJSON file per destination and day, and resolves only after each file and its folders were fsynced', async () => {
    const dir = await tempArchiveDir();
    const written: string[][] = [];
    const archive = new FileArchive(dir, 'host.example:4242:abcd', { onWritten: (files) => written.push(files) });
    // Which paths were fsynced (Linux names an open descriptor's path under /proc/self/fd).
    const probe = await open(path.join(os.tmpdir(), `sy-probe-${randomUUID()}`), 'w');
    const fileHandle = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
    await probe.close();
    const synced: string[] = [];
    const realSync = fileHandle.sync;
    const spy = vi.spyOn(fileHandle, 'sync').mockImplementation(function (this: { fd: number }) {
      synced.push(readlinkSync(`/proc/self/fd/${this.fd}`));
      return realSync.call(this);
    });
    const jobs = [job(), job({ payload: null, messageId: null }), job({ destinationId: 'dest-b' }), job({ archivedAt: '2026-11-22T08:00:00.000Z' })];
    let files: string[];
    try {
      files = await archive.write(jobs);
    } finally {
      spy.mockRestore();
    }

    expect(files.map((file) => path.relative(dir, path.dirname(file)).split(path.sep).join('/')).sort()).toEqual(['dest-a/2026-11-21', 'dest-a/2026-11-22', 'dest-b/2026-11-21']);
    for (const file of files) expect(path.basename(file)).toMatch(/^\d+-host\.example_4242_abcd-\d+\.ndjson\.gz$/);
    expect(await localFiles(dir)).toEqual(files.map((file) => path.relative(dir, file)).sort()); // no .tmp left over
    expect(written).toEqual([files]);

    const lines = (await Promise.all(files.map(async (file) => linesOf(await readFile(file))))).flat();
    expect(lines.map((line) => line.jobId).sort()).toEqual(jobs.map((j) => j.jobId).sort());
    const first = lines.find((line) => line.jobId === jobs[0].jobId)!;
    expect(first).toEqual({ jobId: jobs[0].jobId, destinationId: 'dest-a', sourceId: 'src-1', messageId: jobs[0].messageId, attempts: 7, reason: jobs[0].reason, archivedAt: jobs[0].archivedAt, event: JSON.parse(jobs[0].payload!) });
    expect(lines.find((line) => line.jobId === jobs[1].jobId)!.event).toBeNull();

    // Each file's data before its rename, then the folder that names it, and the folders made for it.
    for (const file of files) {
      expect(synced).toContain(`${file}.tmp`);
      expect(synced).toContain(path.dirname(file));
      expect(synced).toContain(path.dirname(path.dirname(file)));
    }
    expect(synced).toContain(dir);
    expect(synced).toContain(path.dirname(dir));
  });

  it('an uploader removes emptied folders of past days (not today\'s); a later write for such a day makes its folder again', async () => {
    const dir = await tempArchiveDir();
    const { uploader } = newUploader(dir);
    const today = new Date().toISOString().slice(0, 10);
    await mkdir(path.join(dir, 'dest-a', '2020-01-01'), { recursive: true });
    await mkdir(path.join(dir, 'dest-a', today), { recursive: true });
    await uploader.runOnce();
    expect(readdirSync(path.join(dir, 'dest-a'))).toEqual([today]);
    const [file] = await new FileArchive(dir, 'worker-1').write([job({ archivedAt: '2020-01-01T12:00:00.000Z' })]);
    expect(linesOf(await readFile(file))).toHaveLength(1);
  });
});

describe('ArchiveUploader', () => {
  it('ships each file to <prefix><destination>/<day>/<file> as application/gzip with Content-MD5, removing the local copy only after S3 stored it', async () => {
    const dir = await tempArchiveDir();
    const bytes = await writeSample(dir);
    const { uploader, prefix } = newUploader(dir);
    const stillLocalDuringPut: boolean[] = [];
    s3.onPut = (key) => {
      const relative = key.slice(prefix.length);
      const folder = path.join(dir, path.dirname(relative));
      stillLocalDuringPut.push(readdirSync(folder).some((name) => name.startsWith(path.basename(relative))));
    };
    uploader.start();
    await waitFor(async () => (await localFiles(dir)).length === 0 && objectsUnder(prefix).length === bytes.size, { timeoutMs: 20_000, what: 'the files to move to S3' });

    expect(objectsUnder(prefix).map(([key]) => key).sort()).toEqual([...bytes.keys()].map((relative) => `${prefix}${relative}`).sort());
    for (const [relative, body] of bytes) {
      const object = s3.objects.get(`${prefix}${relative}`)!;
      expect(object.body.equals(body)).toBe(true);
      expect(linesOf(object.body).length).toBeGreaterThan(0);
      expect(object.headers['content-type']).toBe('application/gzip');
      expect(object.headers['content-encoding']).toBeUndefined();
      expect(object.headers['content-md5']).toBeTruthy();
    }
    expect(stillLocalDuringPut).toEqual(Array(bytes.size).fill(true));
    expect(uploader.stats.uploaded).toBe(bytes.size);
  });

  const outages: Array<[string, () => Promise<void> | void, () => Promise<void> | void]> = [
    ['refuses connections', () => s3.down(), () => s3.up()],
    ['answers 500', () => s3.failWith(500), () => s3.failWith(null)],
  ];
  it.each(outages)('while S3 %s, files stay local and are retried with backoff (logged once), and are shipped when it is back', async (_name, breakIt, repair) => {
    const dir = await tempArchiveDir();
    const bytes = await writeSample(dir);
    const logs: string[] = [];
    const { uploader, prefix } = newUploader(dir, { log: (line) => logs.push(line) });
    await breakIt();
    try {
      uploader.start();
      await waitFor(async () => uploader.stats.failedAttempts >= 3, { timeoutMs: 30_000, what: 'three failed attempts' });
      const local = await localFiles(dir);
      for (const relative of bytes.keys()) expect(local.some((file) => file.startsWith(relative))).toBe(true);
      expect(objectsUnder(prefix)).toEqual([]);
      expect(logs.filter((line) => / failed \(/.test(line))).toHaveLength(1);
    } finally {
      await repair();
    }
    await waitFor(async () => (await localFiles(dir)).length === 0, { timeoutMs: 30_000, what: 'the files to be shipped after the outage' });
    for (const [relative, body] of bytes) expect(s3.objects.get(`${prefix}${relative}`)?.body.equals(body)).toBe(true);
    expect(logs.filter((line) => / failed \(/.test(line))).toHaveLength(1);
    expect(logs.filter((line) => line.includes('resumed'))).toHaveLength(1);
  });

  it('with a wrong secret S3 refuses every upload and the files stay put; a restart with the right secret ships them', async () => {
    const dir = await tempArchiveDir();
    const bytes = await writeSample(dir);
    const logs: string[] = [];
    const { uploader, prefix } = newUploader(dir, { secret: 'not-the-secret', log: (line) => logs.push(line) });
    uploader.start();
    await waitFor(async () => uploader.stats.failedAttempts >= 2, { timeoutMs: 20_000, what: 'refused uploads' });
    await uploader.stop(1_000);
    expect(await localFiles(dir)).toEqual([...bytes.keys()].sort());
    expect(objectsUnder(prefix)).toEqual([]);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain('SignatureDoesNotMatch');

    const fixed = newUploader(dir, { prefix }).uploader;
    await fixed.runOnce();
    expect(await localFiles(dir)).toEqual([]);
    for (const [relative, body] of bytes) expect(s3.objects.get(`${prefix}${relative}`)?.body.equals(body)).toBe(true);
  });

  it('two uploaders on one folder, while a worker keeps writing: every file reaches S3 exactly once, intact, and leaves the disk', async () => {
    const dir = await tempArchiveDir();
    const prefix = `t${++prefixCount}/`;
    const a = newUploader(dir, { prefix, id: 'host:1:a' }).uploader;
    const b = newUploader(dir, { prefix, id: 'host:2:b' }).uploader;
    const archive = new FileArchive(dir, 'host:3:writer', {
      onWritten: () => {
        a.nudge();
        b.nudge();
      },
    });
    a.start();
    b.start();
    const jobIds: string[] = [];
    const files: string[] = [];
    for (let i = 0; i < 40; i++) {
      const jobs = [job({ destinationId: `dest-${i % 3}` }), job({ destinationId: `dest-${i % 3}` })];
      jobIds.push(...jobs.map((j) => j.jobId));
      files.push(...(await archive.write(jobs)));
      if (i % 8 === 0) await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await waitFor(async () => (await localFiles(dir)).length === 0 && objectsUnder(prefix).length === files.length, { timeoutMs: 30_000, what: 'every file in S3' });

    const keys = files.map((file) => `${prefix}${path.relative(dir, file).split(path.sep).join('/')}`).sort();
    expect(objectsUnder(prefix).map(([key]) => key).sort()).toEqual(keys);
    const putsPerKey = new Map<string, number>();
    for (const put of s3.puts.filter((p) => p.key.startsWith(prefix))) putsPerKey.set(put.key, (putsPerKey.get(put.key) ?? 0) + 1);
    expect([...putsPerKey].filter(([, count]) => count !== 1)).toEqual([]);
    const shipped = objectsUnder(prefix).flatMap(([, object]) => linesOf(object.body).map((line) => line.jobId));
    expect(shipped.sort()).toEqual(jobIds.sort());
    expect(a.stats.uploaded + b.stats.uploaded).toBe(files.length);
  });

  it('takes over the claim of an uploader that died, leaves a live claim and unfinished .tmp files alone', async () => {
    const dir = await tempArchiveDir();
    const [dead, live] = await new FileArchive(dir, 'worker-1').write([job({ destinationId: 'dest-a' }), job({ destinationId: 'dest-b' })]);
    const deadBytes = await readFile(dead);
    await rename(dead, `${dead}.${Date.now() - 3600_000}-crashed-host_9_ffff.uploading`);
    const liveClaim = `${live}.${Date.now()}-busy-host_8_eeee.uploading`;
    await rename(live, liveClaim);
    const unfinished = path.join(path.dirname(live), '1-worker-2-0.ndjson.gz.tmp');
    await writeFile(unfinished, 'half a gzip');
    const { uploader, prefix } = newUploader(dir);

    await uploader.runOnce();

    const relative = (file: string) => path.relative(dir, file).split(path.sep).join('/');
    expect(s3.objects.get(`${prefix}${relative(dead)}`)?.body.equals(deadBytes)).toBe(true);
    expect(objectsUnder(prefix)).toHaveLength(1);
    expect(await localFiles(dir)).toEqual([relative(liveClaim), relative(unfinished)].sort());
  });

  it('stop() while S3 hangs: the upload is aborted without an outage log and the file stays local under its own name', async () => {
    const dir = await tempArchiveDir();
    const bytes = await writeSample(dir);
    const logs: string[] = [];
    const { uploader } = newUploader(dir, { log: (line) => logs.push(line) });
    s3.hang(true);
    const received = s3.received;
    uploader.start();
    await waitFor(async () => s3.received > received, { timeoutMs: 10_000, what: 'an upload to start' });
    await uploader.stop(200);
    expect(await localFiles(dir)).toEqual([...bytes.keys()].sort());
    expect(logs).toEqual([]);
  });
});
