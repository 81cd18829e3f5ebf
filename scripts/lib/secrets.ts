/**
 * Secrets an install needs but nobody should have to invent: the key that encrypts
 * destination secrets at rest and the session-signing secret. Generated on first start into
 * `<dataDir>/secrets.json` (mode 0600) and reused afterwards, so sessions and encrypted
 * settings survive restarts. Values set in the environment take precedence.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { generateKeySpec } from '../../server/crypto/secret-box.ts';

export const ZSecrets = z.object({
  encryptionKeys: z.string().min(1),
  authSecret: z.string().min(32),
});

export type TSecrets = z.infer<typeof ZSecrets>;

export function secretsPath(dataDir: string): string {
  return path.join(dataDir, 'secrets.json');
}

/** Reads `<dataDir>/secrets.json`, creating it on first run. */
export async function ensureSecrets(dataDir: string): Promise<{ secrets: TSecrets; isNew: boolean }> {
  const file = secretsPath(dataDir);
  if (existsSync(file)) {
    const parsed = ZSecrets.safeParse(JSON.parse(await readFile(file, 'utf8')));
    if (!parsed.success) {
      throw new Error(`${file} is not valid (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}); restore it from a backup`);
    }
    return { secrets: parsed.data, isNew: false };
  }
  const secrets: TSecrets = { encryptionKeys: generateKeySpec(), authSecret: randomBytes(32).toString('base64') };
  await writePrivateJson(file, secrets);
  return { secrets, isNew: true };
}

/** Writes JSON readable by the owner only; refuses to overwrite an existing file. */
export async function writePrivateJson(file: string, value: unknown): Promise<void> {
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(file, 0o600);
}
