/**
 * Deleting a subject from the archive: the local folder, then the S3-compatible bucket.
 *
 * Local (server/delivery/archive.ts): every finished
 * archive file is read, and one that holds the subject's events is rewritten without them
 * the way the archive writer writes (a `.tmp` file, fsync, rename over the old name, fsync
 * of the folder), or removed when nothing else is left in it. A file an uploader has
 * claimed (`.uploading`) is waited for: the loop comes back to it. Running it again finds
 * nothing to remove, so a resumed attempt is safe.
 *
 * Bucket (s3-archive-store.ts; only when one is configured): the objects already shipped
 * are listed page by page in key order, each is read, and one that holds the subject's
 * events is replaced by the same gzip NDJSON without them (a conditional PutObject: if
 * another deletion rewrote it meanwhile, it is read again) or deleted when nothing else is
 * left; in a versioned bucket the earlier versions (and delete markers) of those objects
 * are deleted too. The runner keeps the last key done in the receipt, so a resumed attempt
 * goes on from there (and cleans up the versions of the object it may have been rewriting). The local pass comes first and waits for claimed files, so a file that was
 * being uploaded when the deletion started is in the bucket by the time it is listed.
 */
import { open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ARCHIVE_FILE_SUFFIX, syncDirectory } from './archive.ts';
import type { TIdentities } from '../privacy/identities.ts';
import type { TArchiveStore } from './s3-archive-store.ts';
import { emailsOf } from '../privacy/suppression-rules.ts';

export interface TArchiveReceipt {
  filesScanned: number;
  filesRewritten: number;
  filesRemoved: number;
  objectsScanned: number;
  objectsRewritten: number;
  objectsRemoved: number;
  /** Earlier versions of rewritten or removed objects deleted (versioned buckets). */
  olderVersionsDeleted: number;
  /** Objects whose earlier versions the store may not list or delete (missing permissions). */
  olderVersionsNotDeleted: number;
  eventsRemoved: number;
}

async function* archiveFiles(dir: string): AsyncGenerator<string> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* archiveFiles(full);
    else if (entry.name.endsWith(ARCHIVE_FILE_SUFFIX) || entry.name.endsWith('.uploading')) yield full;
  }
}

/** Whether one archived line (a job with its event) is about the subject. */
export function isSubjectLine(line: string, identities: TIdentities, sets = toSets(identities)): boolean {
  let parsed: { event?: Record<string, unknown> | null };
  try {
    parsed = JSON.parse(line) as typeof parsed;
  } catch {
    return false;
  }
  const event = parsed.event;
  if (!event) return false;
  if (typeof event.userId === 'string' && sets.userIds.has(event.userId)) return true;
  if (typeof event.anonymousId === 'string' && sets.anonymousIds.has(event.anonymousId)) return true;
  if (typeof event.previousId === 'string' && (sets.userIds.has(event.previousId) || sets.anonymousIds.has(event.previousId))) return true;
  return sets.emails.size > 0 && emailsOf(event).some((email) => sets.emails.has(email));
}

const toSets = (identities: TIdentities) => ({ userIds: new Set(identities.userIds), anonymousIds: new Set(identities.anonymousIds), emails: new Set(identities.emails) });

/**
 * Rewrites the archive without the subject. `onFile` is called after each file changed on
 * disk (the runner adds it to the receipt and extends its lease). Resolves with the number
 * of claimed files it had to skip (the runner retries until none are left).
 */
export async function removeFromArchive({ dir, identities, onFile }: { dir: string; identities: TIdentities; onFile: (change: Partial<TArchiveReceipt>) => Promise<void> }): Promise<{ skippedClaimed: number }> {
  const sets = toSets(identities);
  let skippedClaimed = 0;
  for await (const file of archiveFiles(dir)) {
    if (file.endsWith('.uploading')) {
      skippedClaimed++;
      continue;
    }
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // uploaded and removed meanwhile
      throw error;
    }
    const { kept, removed } = withoutSubject(data, identities, sets);
    if (removed === 0) {
      await onFile({ filesScanned: 1 });
      continue;
    }
    const folder = path.dirname(file);
    if (kept === null) {
      await unlink(file);
      await syncDirectory(folder);
      await onFile({ filesScanned: 1, filesRemoved: 1, eventsRemoved: removed });
      continue;
    }
    const temp = `${file}.privacy.tmp`;
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(kept);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
    await syncDirectory(folder);
    await onFile({ filesScanned: 1, filesRewritten: 1, eventsRemoved: removed });
  }
  return { skippedClaimed };
}

/** The archive file without the subject's lines (gzip NDJSON again), or null when nothing else is left. */
function withoutSubject(gzipped: Buffer, identities: TIdentities, sets: ReturnType<typeof toSets>): { kept: Buffer | null; removed: number } {
  const lines = gunzipSync(gzipped).toString('utf8').split('\n').filter(Boolean);
  const kept = lines.filter((line) => !isSubjectLine(line, identities, sets));
  const removed = lines.length - kept.length;
  return { kept: kept.length === 0 ? null : removed === 0 ? gzipped : gzipSync(`${kept.join('\n')}\n`), removed };
}

/**
 * Rewrites the bucket's objects without the subject, from the key after `after` on.
 * `onObject` is called after each object (the change and the key done: the runner saves
 * both in the receipt and extends its lease).
 */
export async function removeFromBucket({
  store,
  identities,
  after,
  onObject,
  signal,
}: {
  store: TArchiveStore;
  identities: TIdentities;
  after?: string;
  onObject: (change: Partial<TArchiveReceipt>, relativePath: string) => Promise<void>;
  signal: AbortSignal;
}): Promise<void> {
  const sets = toSets(identities);
  let cursor = after;
  // A resumed pass may have rewritten the next object without finishing its version clean-up: that one is cleaned up regardless.
  let isResumedObject = after !== undefined;
  for (;;) {
    const page = await store.list({ after: cursor, signal }).catch(bucketFailure(store, 'listing'));
    for (const object of page.objects) {
      if (!object.relativePath.endsWith(ARCHIVE_FILE_SUFFIX)) continue;
      const change = await rewriteObject(store, object.relativePath, identities, sets, signal, isResumedObject).catch(bucketFailure(store, 'rewriting an object'));
      isResumedObject = false;
      await onObject(change, object.relativePath);
    }
    if (page.next === null) return;
    cursor = page.next;
  }
}

/** An S3 error in words for the target's error column (the SDK's own message is often only the server's). */
const bucketFailure = (store: TArchiveStore, doing: string) => (error: unknown): never => {
  const { name, message, $metadata } = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = $metadata?.httpStatusCode;
  throw new Error(`${store.description} failed while ${doing} (${name ?? 'Error'}${status ? `, HTTP ${status}` : ''}: ${message ?? String(error)}); will retry`);
};

async function rewriteObject(store: TArchiveStore, relativePath: string, identities: TIdentities, sets: ReturnType<typeof toSets>, signal: AbortSignal, isResumed: boolean): Promise<Partial<TArchiveReceipt>> {
  for (;;) {
    const object = await store.get({ relativePath, signal });
    if (!object) return { objectsScanned: 1, ...(isResumed ? await versionsPurged(store, relativePath, true, signal) : {}) }; // removed meanwhile (or by the attempt before)
    const { kept, removed } = withoutSubject(object.body, identities, sets);
    if (removed === 0) return { objectsScanned: 1, ...(isResumed ? await versionsPurged(store, relativePath, false, signal) : {}) };
    if (kept === null) {
      await store.remove({ relativePath, signal });
      return { objectsScanned: 1, objectsRemoved: 1, eventsRemoved: removed, ...(await versionsPurged(store, relativePath, true, signal)) };
    }
    if ((await store.replace({ relativePath, body: kept, ifMatch: object.etag, signal })) === 'replaced') {
      return { objectsScanned: 1, objectsRewritten: 1, eventsRemoved: removed, ...(await versionsPurged(store, relativePath, false, signal)) };
    }
    // Another deletion rewrote it between our read and our write: read it again.
  }
}

/** A versioned bucket keeps what was replaced or deleted: those versions go too. */
async function versionsPurged(store: TArchiveStore, relativePath: string, isRemoved: boolean, signal: AbortSignal): Promise<Partial<TArchiveReceipt>> {
  const deleted = await store.purgeOlderVersions({ relativePath, isRemoved, signal });
  if (deleted === null) return { olderVersionsNotDeleted: 1 };
  return deleted > 0 ? { olderVersionsDeleted: deleted } : {};
}
