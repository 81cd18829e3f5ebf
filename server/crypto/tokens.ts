/** Random credentials and their storage form. High-entropy tokens are stored as SHA-256. */
import { createHash, randomBytes } from 'node:crypto';

export function randomToken(prefix: string, bytes = 24): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
