/**
 * Authenticated encryption of secret settings at rest: AES-256-GCM with a random 96-bit
 * nonce, the key id in the envelope (`v1.<keyId>.<iv>.<ciphertext>.<tag>`, base64url) and
 * the key id bound as additional data. Keys come from SWITCHYARD_ENCRYPTION_KEYS (the first
 * encrypts, all decrypt, so keys can be rotated); `npm start` generates one into the data
 * directory when none is configured.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { env } from '../env.ts';

export interface TKey {
  id: string;
  key: Buffer;
}

export function parseKeys(spec: string): TKey[] {
  return spec.split(',').map((entry) => {
    const [id, key] = entry.trim().split(':');
    return { id, key: Buffer.from(key, 'base64') };
  });
}

export function generateKeySpec(): string {
  const id = `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`;
  return `${id}:${randomBytes(32).toString('base64')}`;
}

function keys(): TKey[] {
  const spec = env().SWITCHYARD_ENCRYPTION_KEYS;
  if (!spec) throw new Error('SWITCHYARD_ENCRYPTION_KEYS is not set (npm start generates one into the data directory)');
  return parseKeys(spec);
}

export function seal(plaintext: string, keyring: TKey[] = keys()): string {
  const { id, key } = keyring[0];
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(id));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return ['v1', id, iv.toString('base64url'), body.toString('base64url'), tag.toString('base64url')].join('.');
}

export function open(envelope: string, keyring: TKey[] = keys()): string {
  const [version, id, iv, body, tag] = envelope.split('.');
  if (version !== 'v1' || !id || iv === undefined || body === undefined || tag === undefined) {
    throw new Error('not a secret envelope');
  }
  const entry = keyring.find((candidate) => candidate.id === id);
  if (!entry) throw new Error(`secret was encrypted with key "${id}", which is not configured`);
  const decipher = createDecipheriv('aes-256-gcm', entry.key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(id));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

export function sealJson(value: unknown): string {
  return seal(JSON.stringify(value));
}

export function openJson<T>(envelope: string): T {
  return JSON.parse(open(envelope)) as T;
}

/** What a secret looks like when shown again: its last four characters at most. */
export function mask(secret: string): string {
  return secret.length <= 8 ? '••••' : `••••${secret.slice(-4)}`;
}
