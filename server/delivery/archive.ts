/**
 * Undelivered events are archived, never silently dropped: gzip NDJSON files under
 * `<dataDir>/archive/<destinationId>/<YYYY-MM-DD>/`, one file per worker flush, each line a
 * job with its event. Replays read the events from the event store; the archive keeps them
 * past the store's retention. When an S3-compatible bucket is configured, the worker's
 * ArchiveUploader (archive-uploader.ts) ships these files there and removes them locally.
 *
 * `write` resolves only once the files are durable: each is written under a `.tmp` name,
 * fsynced, renamed to its final name and its folder fsynced (and the folders created for
 * it), so after a crash a finished name always holds a whole file and an uploader never
 * sees a partial one. The recorder records the jobs as archived only after that.
 */
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';

const gzipAsync = promisify(gzip);

/** The ending of a finished archive file; `.tmp` files and uploaders' claims end otherwise. */
export const ARCHIVE_FILE_SUFFIX = '.ndjson.gz';
const TEMP_SUFFIX = '.tmp';
const WRITE_ATTEMPTS = 3;

export interface TArchivedJob {
  jobId: string;
  destinationId: string;
  sourceId: string;
  messageId: string | null;
  attempts: number;
  reason: string;
  archivedAt: string;
  /** The event as stored (JSON text). */
  payload: string | null;
}

export interface TFileArchiveOptions {
  /** Called after each write with the files it made durable (the uploader ships them soon). */
  onWritten?: (files: string[]) => void;
}

export class FileArchive {
  private sequence = 0;
  private readonly workerTag: string;

  constructor(
    readonly dir: string,
    workerId: string,
    private readonly options: TFileArchiveOptions = {},
  ) {
    this.workerTag = workerId.replace(/[^\w.-]/g, '_');
  }

  /** Writes the jobs (one file per destination and day) and resolves when they are durable on disk. */
  async write(jobs: TArchivedJob[]): Promise<string[]> {
    const groups = new Map<string, TArchivedJob[]>();
    for (const job of jobs) {
      const key = path.join(job.destinationId, job.archivedAt.slice(0, 10));
      const group = groups.get(key);
      if (group) group.push(job);
      else groups.set(key, [job]);
    }
    const files: string[] = [];
    for (const [key, group] of groups) {
      const lines = group.map(({ payload, ...job }) => `{${JSON.stringify(job).slice(1, -1)},"event":${payload ?? 'null'}}`).join('\n');
      const name = `${Date.now()}-${this.workerTag}-${this.sequence++}${ARCHIVE_FILE_SUFFIX}`;
      files.push(await writeDurably(path.join(this.dir, key), name, await gzipAsync(`${lines}\n`)));
    }
    if (files.length > 0) this.options.onWritten?.(files);
    return files;
  }
}

/**
 * Writes `data` to `<folder>/<name>` so that the name, once it exists, holds the whole file
 * even after a power cut. An uploader may remove an emptied old folder meanwhile; the
 * folder is then made again.
 */
async function writeDurably(folder: string, name: string, data: Buffer): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      const created = await mkdir(folder, { recursive: true });
      if (created) await syncCreatedFolders(created, folder);
      const temp = path.join(folder, `${name}${TEMP_SUFFIX}`);
      await writeAndSync(temp, data);
      const file = path.join(folder, name);
      await rename(temp, file);
      await syncDirectory(folder);
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= WRITE_ATTEMPTS) throw error;
    }
  }
}

async function writeAndSync(file: string, data: Buffer): Promise<void> {
  const handle = await open(file, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(file).catch(() => undefined);
    throw error;
  }
  await handle.close();
}

/** `mkdir -p` made `created` and the folders below it down to `folder`: persist their entries. */
async function syncCreatedFolders(created: string, folder: string): Promise<void> {
  const stop = path.dirname(created);
  const parents: string[] = [];
  for (let dir = path.dirname(folder); ; dir = path.dirname(dir)) {
    parents.push(dir);
    if (dir === stop || dir === path.dirname(dir)) break;
  }
  for (const dir of parents) await syncDirectory(dir);
}

/** fsync of a folder persists the names in it. Platforms that cannot (Windows) only skip it. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    if (!['EINVAL', 'EISDIR', 'EPERM', 'ENOTSUP'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    await handle.close();
  }
}
