/**
 * Ships the archive's files (archive.ts) to an S3-compatible bucket in the background and
 * removes each local file only after the bucket confirmed it. It runs in the worker
 * process: on start, every 10 s, and a second after a write. Delivery and outcome
 * recording never wait for it; the local write is what makes an archived job safe.
 *
 * Failure: when an upload fails (bucket down, 5xx, refused credentials) the file stays
 * local under its own name, the pass ends, and the next one waits with capped, jittered
 * exponential backoff. The first failure of a streak is logged, and the recovery; the
 * attempts between are not.
 *
 * Sharing: several workers may share one data directory. An uploader claims a file by
 * renaming it to `<file>.<claimedAtMs>-<uploader>.uploading` (a rename succeeds for exactly
 * one of them), uploads it, then deletes it; a failed upload renames it back. A claim older
 * than `staleClaimMs` (its uploader died) is claimed again by whoever sees it. Object keys
 * come from file names, which carry the writing worker's id, so workers on other machines
 * never overwrite each other; a rare duplicate upload (a stalled uploader's claim taken
 * over) writes the same bytes to the same key.
 */
import { readdir, readFile, rename, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { ARCHIVE_FILE_SUFFIX } from './archive.ts';
import type { TArchiveStore } from './s3-archive-store.ts';

const CLAIM = /^(.+\.ndjson\.gz)\.(\d+)-([\w.-]+)\.uploading$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 24 * 3600_000;

export interface TArchiveUploaderOptions {
  /** The archive's folder (`<dataDir>/archive`). */
  dir: string;
  store: TArchiveStore;
  /** Names this uploader's claims; the worker id. */
  uploaderId: string;
  log: (line: string) => void;
  intervalMs?: number;
  /** How soon after a write (a nudge) a pass starts. */
  nudgeDelayMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** A claim this old belongs to an uploader that died: it may be taken over. Far above putTimeoutMs. */
  staleClaimMs?: number;
  /** The most one upload (with the SDK's own retries) may take. */
  putTimeoutMs?: number;
}

interface TCandidate {
  /** The file as found: a finished archive file or a stale claim. */
  path: string;
  folder: string;
  /** The archive file's own name, and its path relative to the archive folder (the object key's tail). */
  name: string;
  relativePath: string;
}

export class ArchiveUploader {
  readonly stats = { uploaded: 0, failedAttempts: 0 };
  private readonly tag: string;
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private dueAt = Infinity;
  private running: Promise<void> | null = null;
  private isStarted = false;
  private isStopping = false;
  private isNudged = false;
  private failureStreak = 0;
  private retryAt = 0;

  constructor(private readonly options: TArchiveUploaderOptions) {
    this.tag = options.uploaderId.replace(/[^\w.-]/g, '_');
  }

  start(): void {
    this.isStarted = true;
    this.schedule(0);
  }

  /** Files were written: upload them soon (not sooner than a backoff allows). */
  nudge(): void {
    if (this.running) this.isNudged = true;
    else if (this.isStarted) this.schedule(this.options.nudgeDelayMs ?? 1_000);
  }

  /** One pass over the folder now (joins the pass already running). */
  runOnce(): Promise<void> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
      if (!this.isStarted) return;
      const delay = this.isNudged ? (this.options.nudgeDelayMs ?? 1_000) : (this.options.intervalMs ?? 10_000);
      this.isNudged = false;
      this.schedule(delay);
    });
    return this.running;
  }

  /** Lets the upload in progress finish within `boundMs`, then aborts it (the file stays local). */
  async stop(boundMs = 2_000): Promise<void> {
    this.isStopping = true;
    this.isStarted = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.running) {
      const timer = setTimeout(() => this.abort.abort(new Error('the worker is stopping')), boundMs);
      await this.running;
      clearTimeout(timer);
    }
    this.options.store.close();
  }

  private schedule(delayMs: number): void {
    if (this.isStopping) return;
    const at = Math.max(Date.now() + delayMs, this.retryAt);
    if (this.timer && this.dueAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.dueAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.dueAt = Infinity;
      void this.runOnce();
    }, at - Date.now());
    this.timer.unref();
  }

  private async pass(): Promise<void> {
    try {
      for (const candidate of await this.scan()) {
        if (this.isStopping) return;
        if (await this.upload(candidate)) this.succeeded();
      }
    } catch (error) {
      this.failed(error);
    }
  }

  /** Uploads one file and removes it; false when another uploader had it first. Throws when the upload failed. */
  private async upload(candidate: TCandidate): Promise<boolean> {
    const claimed = path.join(candidate.folder, `${candidate.name}.${Date.now()}-${this.tag}.uploading`);
    if (!(await renameIfPresent(candidate.path, claimed))) return false;
    try {
      const body = await readFile(claimed);
      const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.options.putTimeoutMs ?? 120_000)]);
      await this.options.store.put({ relativePath: candidate.relativePath, body, signal });
    } catch (error) {
      // Give it back under its own name (unless a stale-claim takeover already moved it).
      await renameIfPresent(claimed, path.join(candidate.folder, candidate.name));
      throw error;
    }
    await unlink(claimed).catch(ignoreMissing);
    return true;
  }

  private succeeded(): void {
    this.stats.uploaded++;
    if (this.failureStreak > 0) {
      this.options.log(`archive uploads to ${this.options.store.description} resumed after ${this.failureStreak} failed attempt${this.failureStreak === 1 ? '' : 's'}`);
    }
    this.failureStreak = 0;
    this.retryAt = 0;
  }

  private failed(error: unknown): void {
    if (this.isStopping && this.abort.signal.aborted) return;
    this.stats.failedAttempts++;
    this.failureStreak++;
    if (this.failureStreak === 1) {
      this.options.log(
        `archive upload to ${this.options.store.description} failed (${describeError(error)}); the files stay in ${this.options.dir} and are retried with backoff (next log line when uploads resume)`,
      );
    }
    const min = this.options.minBackoffMs ?? 1_000;
    const cap = Math.min(this.options.maxBackoffMs ?? 5 * 60_000, min * 2 ** Math.min(this.failureStreak - 1, 30));
    this.retryAt = Date.now() + cap / 2 + Math.random() * (cap / 2);
  }

  /** Finished files and stale claims, oldest first; prunes folders of past days that uploads emptied. */
  private async scan(): Promise<TCandidate[]> {
    const found: TCandidate[] = [];
    const now = Date.now();
    const oldDay = new Date(now - 2 * DAY_MS).toISOString().slice(0, 10);
    for (const destination of await subfolders(this.options.dir)) {
      const destinationFolder = path.join(this.options.dir, destination);
      const days = await subfolders(destinationFolder);
      for (const day of days) {
        const folder = path.join(destinationFolder, day);
        const names = await readdir(folder).catch(emptyIfMissing);
        for (const name of names) {
          const claim = CLAIM.exec(name);
          const own = name.endsWith(ARCHIVE_FILE_SUFFIX) ? name : claim && now - Number(claim[2]) > (this.options.staleClaimMs ?? 10 * 60_000) ? claim[1] : null;
          if (own) found.push({ path: path.join(folder, name), folder, name: own, relativePath: `${destination}/${day}/${own}` });
        }
        // A writer that finds its folder gone makes it again (archive.ts).
        if (names.length === 0 && DAY.test(day) && day < oldDay) await rmdir(folder).catch(() => undefined);
      }
      if (days.length === 0) await rmdir(destinationFolder).catch(() => undefined);
    }
    return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

async function subfolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(emptyIfMissing);
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
}

async function renameIfPresent(from: string, to: string): Promise<boolean> {
  try {
    await rename(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

function emptyIfMissing(error: NodeJS.ErrnoException): never[] {
  if (error.code === 'ENOENT') return [];
  throw error;
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}

function describeError(error: unknown): string {
  const { name, message, $metadata } = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = $metadata?.httpStatusCode;
  return `${name ?? 'Error'}${status ? `, HTTP ${status}` : ''}: ${message ?? String(error)}`;
}
