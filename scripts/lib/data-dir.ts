/**
 * The data directory holds the secrets file, first-run credentials, the embedded cluster and
 * archives: owner-only (0700). As root with embedded Postgres, the `postgres` user must pass
 * through it to its cluster, so it belongs to the postgres group with mode 0710 (enter, not
 * list or read). Files that hold secrets are 0600. Looser modes left by an older install are
 * repaired; each repair is returned as a sentence for the start-up log.
 */
import { existsSync } from 'node:fs';
import { chown, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ensurePostgresAccount, isRoot } from '../../server/db/embedded-access.ts';
import { makeOwnerOnly } from './secrets.ts';

const PRIVATE_FILES = ['first-run-credentials.json', 'postgres.log'];

export async function prepareDataDir(dir: string, { isEmbedded }: { isEmbedded: boolean }): Promise<string[]> {
  const isNew = !existsSync(dir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const repairs: string[] = [];
  let mode = 0o700;
  if (isEmbedded && isRoot()) {
    const account = ensurePostgresAccount();
    const info = await stat(dir);
    if (info.gid !== account.gid) await chown(dir, info.uid, account.gid);
    mode = 0o710;
  }
  const dirRepair = await makeOwnerOnly(dir, mode);
  if (dirRepair && !isNew) repairs.push(dirRepair);
  for (const name of PRIVATE_FILES) {
    const file = path.join(dir, name);
    if (!existsSync(file)) continue;
    const repair = await makeOwnerOnly(file);
    if (repair) repairs.push(repair);
  }
  return repairs;
}
