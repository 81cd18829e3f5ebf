/**
 * Checks an e-mail and password, with attempts rate-limited per e-mail and per client IP
 * over a sliding window (kept in Postgres so every web process sees the same counts).
 */
import type { Db } from '../db/client.ts';
import { env } from '../env.ts';
import { AppError } from '../errors/app-error.ts';
import { hashPassword, verifyPassword } from './password.ts';

const IP_FACTOR = 5; // an IP may fail for five accounts' worth before it is slowed down too

let dummyHash: Promise<string> | undefined;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function authenticate({
  db,
  email,
  password,
  ip,
  now = new Date(),
}: {
  db: Db;
  email: string;
  password: string;
  ip: string;
  now?: Date;
}): Promise<{ id: string; email: string; name: string }> {
  const address = normaliseEmail(email);
  const { SWITCHYARD_SIGNIN_MAX_FAILURES: maxFailures, SWITCHYARD_SIGNIN_WINDOW_SECONDS: windowSeconds } = env();
  const since = new Date(now.getTime() - windowSeconds * 1000);
  const [byEmail, byIp] = await Promise.all([
    db.signInAttempt.count({ where: { email: address, succeeded: false, at: { gte: since } } }),
    db.signInAttempt.count({ where: { ip, succeeded: false, at: { gte: since } } }),
  ]);
  if (byEmail >= maxFailures || byIp >= maxFailures * IP_FACTOR) {
    throw new AppError('TOO_MANY_REQUESTS', `Too many failed sign-in attempts. Try again in ${Math.ceil(windowSeconds / 60)} minutes.`);
  }
  const user = await db.user.findUnique({ where: { email: address } });
  // Verify against a dummy hash when there is no such user, so timing doesn't reveal accounts.
  dummyHash ??= hashPassword('not-a-real-password');
  const isValid = await verifyPassword(user?.passwordHash ?? (await dummyHash), password);
  await db.signInAttempt.create({ data: { email: address, ip, succeeded: Boolean(user && isValid), at: now } });
  if (!user || !isValid) throw new AppError('UNAUTHORIZED', 'E-mail or password is incorrect.');
  return { id: user.id, email: user.email, name: user.name };
}
