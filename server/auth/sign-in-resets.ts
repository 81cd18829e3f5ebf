/**
 * An admin's "reset sign-in" for a member who cannot sign in: a one-time link, shown once
 * (stored hashed, like invites), valid for RESET_HOURS, where the member chooses a new
 * password. Using it ends all of the member's sessions. A newer link replaces older ones.
 *
 * An admin of one workspace must not take over an account that also acts elsewhere, so a
 * member who belongs to another workspace where the admin is not an admin too is refused
 * (the console command `npm run reset-admin` remains for the server's operator).
 */
import type { TActor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.ts';
import { hashToken, randomToken } from '../crypto/tokens.ts';
import type { Db } from '../db/client.ts';
import { AppError, notFound } from '../errors/app-error.ts';
import { assertStrongPassword, replacePassword } from './change-password.ts';
import { hashPassword } from './password.ts';

export const RESET_HOURS = 24;

const INVALID = 'This sign-in reset link is not valid any more. Ask an admin of your workspace for a new one.';

/** Returns the secret token (only now); the link is `/reset/<token>`. */
export async function createSignInReset({ db, workspaceId, actor, userId }: { db: Db; workspaceId: string; actor: TActor; userId: string }): Promise<{ token: string; email: string; expiresAt: Date }> {
  const member = await db.membership.findUnique({ where: { workspaceId_userId: { workspaceId, userId } }, include: { user: { include: { memberships: true } } } });
  if (!member) throw notFound('member');
  if (actor.type === 'user' && actor.id === userId) {
    throw new AppError('BAD_REQUEST', 'To change your own password, use Change password in your account menu.');
  }
  const elsewhere = member.user.memberships.filter((m) => m.workspaceId !== workspaceId).map((m) => m.workspaceId);
  if (elsewhere.length > 0) {
    const adminOf = actor.type === 'user' && actor.id
      ? await db.membership.count({ where: { userId: actor.id, role: 'admin', workspaceId: { in: elsewhere } } })
      : 0;
    if (adminOf < elsewhere.length) {
      throw new AppError('FORBIDDEN', `${member.user.email} is also a member of workspaces you do not administer, so only they (Change password) or the server's operator (npm run reset-admin) can reset their sign-in.`);
    }
  }
  const token = randomToken('rst_', 24);
  const expiresAt = new Date(Date.now() + RESET_HOURS * 3_600_000);
  await db.$transaction(async (tx) => {
    await tx.signInReset.updateMany({ where: { userId, usedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
    const row = await tx.signInReset.create({
      data: { userId, workspaceId, tokenHash: hashToken(token), createdById: actor.type === 'user' ? actor.id : null, expiresAt },
    });
    await recordAudit({ tx, workspaceId, actor, action: 'member.reset_sign_in', targetType: 'member', targetId: userId, after: { email: member.user.email, resetId: row.id, expiresAt } });
  });
  return { token, email: member.user.email, expiresAt };
}

async function findValid(db: Db, token: string) {
  const reset = await db.signInReset.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!reset || reset.usedAt || reset.revokedAt || reset.expiresAt <= new Date()) throw new AppError('NOT_FOUND', INVALID);
  return reset;
}

/** What the reset page shows before the new password is chosen. */
export async function describeSignInReset({ db, token }: { db: Db; token: string }): Promise<{ email: string; expiresAt: Date }> {
  const reset = await findValid(db, token);
  return { email: reset.user.email, expiresAt: reset.expiresAt };
}

/** Sets the new password, uses up the link and ends every session of the member. */
export async function completeSignInReset({ db, token, newPassword, ip }: { db: Db; token: string; newPassword: string; ip: string | null }): Promise<{ email: string }> {
  const reset = await findValid(db, token);
  assertStrongPassword(newPassword, reset.user);
  const passwordHash = await hashPassword(newPassword);
  await db.$transaction(async (tx) => {
    const claimed = await tx.signInReset.updateMany({ where: { id: reset.id, usedAt: null, revokedAt: null }, data: { usedAt: new Date() } });
    if (claimed.count === 0) throw new AppError('NOT_FOUND', INVALID);
    const actor: TActor = { type: 'user', id: reset.userId, label: reset.user.email, role: null, ip };
    await replacePassword({ tx, userId: reset.userId, passwordHash, actor, action: 'user.password_reset' });
    await tx.signInAttempt.deleteMany({ where: { email: reset.user.email, succeeded: false } });
  });
  return { email: reset.user.email };
}
