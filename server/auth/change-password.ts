/**
 * Changing one's own password: the current one proves it is really them (failures count
 * towards the same sign-in rate limit), the new one meets the strength rules, and every
 * other session of theirs ends, so a stolen session does not survive the change.
 */
import type { TActor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Db } from '../db/client.ts';
import type { Prisma } from '../db/generated/client.ts';
import { AppError } from '../errors/app-error.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { passwordWeakness } from './password-rules.ts';
import { authenticate } from './sign-in.ts';

/** Throws BAD_REQUEST on `field` when the password is too weak. */
export function assertStrongPassword(password: string, account: { email: string; name?: string }, field = 'newPassword'): void {
  const weakness = passwordWeakness(password, account);
  if (weakness) throw new AppError('BAD_REQUEST', weakness, { issues: { [field]: weakness } });
}

/**
 * Stores a user's new password hash and ends their sessions (all of them, or all but `keepSessionId`);
 * writes `action` into the audit trail of every workspace they belong to. Returns how many sessions ended.
 */
export async function replacePassword({
  tx,
  userId,
  passwordHash,
  keepSessionId,
  actor,
  action,
}: {
  tx: Prisma.TransactionClient;
  userId: string;
  /** From hashPassword, computed before the transaction (Argon2 takes a while). */
  passwordHash: string;
  keepSessionId?: string;
  actor: TActor;
  action: string;
}): Promise<number> {
  const user = await tx.user.update({ where: { id: userId }, data: { passwordHash }, include: { memberships: true } });
  const ended = await tx.authSession.updateMany({
    where: { userId, revokedAt: null, expiresAt: { gt: new Date() }, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) },
    data: { revokedAt: new Date() },
  });
  for (const membership of user.memberships) {
    await recordAudit({
      tx,
      workspaceId: membership.workspaceId,
      actor: { ...actor, role: actor.type === 'user' && actor.id === userId ? membership.role : actor.role },
      action,
      targetType: 'member',
      targetId: userId,
      after: { email: user.email, sessionsEnded: ended.count },
    });
  }
  return ended.count;
}

export async function changeOwnPassword({
  db,
  user,
  sessionId,
  currentPassword,
  newPassword,
  ip,
}: {
  db: Db;
  user: { id: string; email: string; name: string };
  sessionId: string;
  currentPassword: string;
  newPassword: string;
  ip: string | null;
}): Promise<{ sessionsEnded: number }> {
  try {
    await authenticate({ db, email: user.email, password: currentPassword, ip: ip ?? 'unknown' });
  } catch (error) {
    if (error instanceof AppError && error.code === 'UNAUTHORIZED') {
      throw new AppError('BAD_REQUEST', 'Your current password is not right.', { issues: { currentPassword: 'is not right' } });
    }
    throw error;
  }
  assertStrongPassword(newPassword, user);
  const stored = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
  if (await verifyPassword(stored.passwordHash, newPassword)) {
    throw new AppError('BAD_REQUEST', 'Choose a password different from the current one.', { issues: { newPassword: 'is the same as the current one' } });
  }
  const actor: TActor = { type: 'user', id: user.id, label: user.email, role: null, ip };
  const passwordHash = await hashPassword(newPassword);
  const sessionsEnded = await db.$transaction((tx) => replacePassword({ tx, userId: user.id, passwordHash, keepSessionId: sessionId, actor, action: 'user.password_change' }));
  return { sessionsEnded };
}
