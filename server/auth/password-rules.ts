/**
 * The strength rules every new password meets (joining, changing, resetting): long enough,
 * not one of the passwords every attacker tries first, not the account's own e-mail or name.
 * The message is written to be shown next to the password field.
 */
import { MIN_PASSWORD_LENGTH } from './password.ts';

export const MAX_PASSWORD_LENGTH = 200;

/** The most common passwords of at least MIN_PASSWORD_LENGTH characters (public breach lists), lower-cased. */
const COMMON = new Set([
  '1234567890', '12345678910', '0123456789', '1111111111', '0987654321', '1q2w3e4r5t', 'qwertyuiop', 'qwerty1234',
  '1qaz2wsx3edc', 'password12', 'password123', 'password1234', 'passw0rd123', 'iloveyou123', 'abcdefghij', 'abc1234567',
  'qwertyuiop123', 'asdfghjkl1', 'letmein123', 'welcome123', 'changeme123', 'administrator', 'switchyard', 'switchyard1',
  'switchyard123', 'football123', 'baseball123', 'superman123', 'trustno1234', 'monkey12345', 'dragon12345', 'sunshine123',
]);

/** Why `password` is too weak for this account, or null when it is fine. */
export function passwordWeakness(password: string, account: { email: string; name?: string }): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  const lower = password.toLowerCase();
  if (new Set(lower).size < 4) return 'Use more different characters.';
  if (COMMON.has(lower)) return 'This is one of the most common passwords; choose another.';
  const email = account.email.trim().toLowerCase();
  const local = email.split('@')[0];
  if (lower.includes(email) || (local.length >= 4 && lower.includes(local))) return 'Do not use your e-mail address in your password.';
  const name = account.name?.trim().toLowerCase() ?? '';
  if (name.length >= 4 && lower.includes(name)) return 'Do not use your name in your password.';
  return null;
}
