/**
 * Secrets an install needs but nobody should have to invent: the key that encrypts
 * destination secrets at rest, the session-signing secret and the embedded Postgres
 * password. Generated on first start into `<dataDir>/secrets.json` (mode 0600) and reused
 * afterwards, so sessions and encrypted settings survive restarts. Values set in the
 * environment take precedence. A file from an older install is completed (a missing
 * database password is generated) and its mode repaired; each repair is reported.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { generateKeySpec } from '../../server/crypto/secret-box.ts';

export const ZSecrets = z.object({
  encryptionKeys: z.string().min(1),
  authSecret: z.string().min(32),
  /** Password of the embedded Postgres superuser; absent in files written before it existed. */
  databasePassword: z.string().min(24).optional(),
});

export type TSecrets = z.infer<typeof ZSecrets> & { databasePassword: string };

export function secretsPath(dataDir: string): string {
  return path.join(dataDir, 'secrets.json');
}

export function generateDatabasePassword(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Reads `<dataDir>/secrets.json`, creating it on first run. `repairs` says, one sentence
 * each, what was fixed in an existing file (its mode, a missing database password).
 */
export async function ensureSecrets(dataDir: string): Promise<{ secrets: TSecrets; isNew: boolean; repairs: string[] }> {
  const file = secretsPath(dataDir);
  if (!existsSync(file)) {
    const secrets: TSecrets = { encryptionKeys: generateKeySpec(), authSecret: randomBytes(32).toString('base64'), databasePassword: generateDatabasePassword() };
    await writePrivateJson(file, secrets);
    return { secrets, isNew: true, repairs: [] };
  }
  const repairs: string[] = [];
  const modeRepair = await makeOwnerOnly(file);
  if (modeRepair) repairs.push(modeRepair);
  const parsed = ZSecrets.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(`${file} is not valid (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}); restore it from a backup`);
  }
  if (parsed.data.databasePassword) return { secrets: { ...parsed.data, databasePassword: parsed.data.databasePassword }, isNew: false, repairs };
  const secrets: TSecrets = { ...parsed.data, databasePassword: generateDatabasePassword() };
  await replacePrivateJson(file, secrets);
  repairs.push(`generated a database password into ${file} (the embedded Postgres used a fixed one before)`);
  return { secrets, isNew: false, repairs };
}

/** Sets an existing file or directory to owner-only (0600 / 0700, or `mode`); returns a sentence when it had to. */
export async function makeOwnerOnly(target: string, mode?: number): Promise<string | null> {
  const info = await stat(target);
  const wanted = mode ?? (info.isDirectory() ? 0o700 : 0o600);
  const current = info.mode & 0o777;
  if (current === wanted) return null;
  await chmod(target, wanted);
  return `${target} was mode ${current.toString(8).padStart(4, '0')}, now ${wanted.toString(8).padStart(4, '0')}`;
}

/** Writes JSON readable by the owner only; refuses to overwrite an existing file. */
export async function writePrivateJson(file: string, value: unknown): Promise<void> {
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(file, 0o600);
}

/** Replaces a file with owner-only JSON atomically (a crash leaves the old or the new file, whole). */
async function replacePrivateJson(file: string, value: unknown): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, file);
}
