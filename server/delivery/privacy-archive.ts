/**
 * Deleting a subject from the local archive (server/delivery/archive.ts): every finished
 * archive file is read, and one that holds the subject's events is rewritten without them
 * the way the archive writer writes (a `.tmp` file, fsync, rename over the old name, fsync
 * of the folder), or removed when nothing else is left in it. A file an uploader has
 * claimed (`.uploading`) is waited for: the loop comes back to it. Running it again finds
 * nothing to remove, so a resumed attempt is safe.
 */
import { open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ARCHIVE_FILE_SUFFIX, syncDirectory } from './archive.ts';
import type { TIdentities } from '../privacy/identities.ts';
import { emailsOf } from '../privacy/suppression-rules.ts';

export interface TArchiveReceipt {
  filesScanned: number;
  filesRewritten: number;
  filesRemoved: number;
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
    const lines = gunzipSync(data).toString('utf8').split('\n').filter(Boolean);
    const kept = lines.filter((line) => !isSubjectLine(line, identities, sets));
    const removed = lines.length - kept.length;
    if (removed === 0) {
      await onFile({ filesScanned: 1 });
      continue;
    }
    const folder = path.dirname(file);
    if (kept.length === 0) {
      await unlink(file);
      await syncDirectory(folder);
      await onFile({ filesScanned: 1, filesRemoved: 1, eventsRemoved: removed });
      continue;
    }
    const temp = `${file}.privacy.tmp`;
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(gzipSync(`${kept.join('\n')}\n`));
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
