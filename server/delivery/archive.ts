/**
 * Undelivered events are archived, never silently dropped: gzip NDJSON files under
 * `<dataDir>/archive/<destinationId>/<YYYY-MM-DD>/`, one file per worker flush, each line a
 * job with its event. Replays read the events from the event store; the archive keeps them
 * past the store's retention.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';

const gzipAsync = promisify(gzip);

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

export class FileArchive {
  private sequence = 0;

  constructor(private readonly dir: string, private readonly workerId: string) {}

  /** Writes the jobs (grouped per destination and day) and resolves when they are on disk. */
  async write(jobs: TArchivedJob[]): Promise<string[]> {
    const groups = new Map<string, TArchivedJob[]>();
    for (const job of jobs) {
      const key = path.join(job.destinationId, job.archivedAt.slice(0, 10));
      groups.set(key, [...(groups.get(key) ?? []), job]);
    }
    const files: string[] = [];
    for (const [key, group] of groups) {
      const folder = path.join(this.dir, key);
      await mkdir(folder, { recursive: true });
      const lines = group.map(({ payload, ...job }) => `{${JSON.stringify(job).slice(1, -1)},"event":${payload ?? 'null'}}`).join('\n');
      const file = path.join(folder, `${Date.now()}-${this.workerId.replace(/[^\w.-]/g, '_')}-${this.sequence++}.ndjson.gz`);
      await writeFile(file, await gzipAsync(`${lines}\n`), { flag: 'wx' });
      files.push(file);
    }
    return files;
  }
}
