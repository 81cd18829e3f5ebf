/**
 * Members and invites. An admin creates an invite link with a role (no e-mail server
 * needed: the link is shown once in the UI); whoever opens it signs in or creates an
 * account and joins. Admins change roles and remove members; a workspace always keeps at
 * least one admin.
 */
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import type { TActor } from '../audit/actor.ts';
import { ZRole, type TRole } from '../auth/roles.ts';
import { recordAudit } from '../audit/audit.ts';
import { hashToken, randomToken } from '../crypto/tokens.ts';
import { AppError, notFound } from '../errors/app-error.ts';
import { createUser } from '../auth/users.ts';

const INVITE_DAYS = 7;

export const ZMemberView = z.object({ userId: z.string(), email: z.string(), name: z.string(), role: ZRole, joinedAt: z.date() });
export type TMemberView = z.infer<typeof ZMemberView>;

export const ZInviteView = z.object({ id: z.string(), role: ZRole, email: z.string().nullable(), createdAt: z.date(), expiresAt: z.date() });
export type TInviteView = z.infer<typeof ZInviteView>;

/** What an invite link offers, for the page that accepts it. */
export const ZInviteOffer = z.object({ workspaceName: z.string(), role: ZRole, email: z.string().nullable() });

export async function listMembers({ db, workspaceId }: { db: Db; workspaceId: string }): Promise<TMemberView[]> {
  const rows = await db.membership.findMany({ where: { workspaceId }, include: { user: true }, orderBy: { createdAt: 'asc' } });
  return rows.map((m) => ({ userId: m.userId, email: m.user.email, name: m.user.name, role: m.role, joinedAt: m.createdAt }));
}

async function assertKeepsAnAdmin(db: Db, workspaceId: string, userId: string): Promise<void> {
  const admins = await db.membership.count({ where: { workspaceId, role: 'admin', userId: { not: userId } } });
  if (admins === 0) throw new AppError('CONFLICT', 'A workspace needs at least one admin. Make someone else an admin first.');
}

export async function changeMemberRole({ db, workspaceId, actor, userId, role }: { db: Db; workspaceId: string; actor: TActor; userId: string; role: TRole }): Promise<TMemberView> {
  const member = await db.membership.findUnique({ where: { workspaceId_userId: { workspaceId, userId } }, include: { user: true } });
  if (!member) throw notFound('member');
  if (member.role === 'admin' && role !== 'admin') await assertKeepsAnAdmin(db, workspaceId, userId);
  await db.$transaction(async (tx) => {
    await tx.membership.update({ where: { workspaceId_userId: { workspaceId, userId } }, data: { role } });
    await recordAudit({ tx, workspaceId, actor, action: 'member.role_change', targetType: 'member', targetId: userId, before: { email: member.user.email, role: member.role }, after: { email: member.user.email, role } });
  });
  return { userId, email: member.user.email, name: member.user.name, role, joinedAt: member.createdAt };
}

export async function removeMember({ db, workspaceId, actor, userId }: { db: Db; workspaceId: string; actor: TActor; userId: string }): Promise<void> {
  const member = await db.membership.findUnique({ where: { workspaceId_userId: { workspaceId, userId } }, include: { user: true } });
  if (!member) throw notFound('member');
  if (member.role === 'admin') await assertKeepsAnAdmin(db, workspaceId, userId);
  await db.$transaction(async (tx) => {
    await tx.membership.delete({ where: { workspaceId_userId: { workspaceId, userId } } });
    await recordAudit({ tx, workspaceId, actor, action: 'member.remove', targetType: 'member', targetId: userId, before: { email: member.user.email, role: member.role } });
  });
}

export async function listInvites({ db, workspaceId }: { db: Db; workspaceId: string }): Promise<TInviteView[]> {
  const rows = await db.invite.findMany({
    where: { workspaceId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: 'desc' },
  });
  return rows.map(({ id, role, email, createdAt, expiresAt }) => ({ id, role, email, createdAt, expiresAt }));
}

/** Returns the invite with its secret token (only now; it is stored hashed). */
export async function createInvite({ db, workspaceId, actor, role, email }: { db: Db; workspaceId: string; actor: TActor; role: TRole; email?: string | null }): Promise<{ invite: TInviteView; token: string }> {
  const token = randomToken('inv_', 24);
  return db.$transaction(async (tx) => {
    const row = await tx.invite.create({
      data: {
        workspaceId,
        role,
        email: email ? email.trim().toLowerCase() : null,
        tokenHash: hashToken(token),
        createdById: actor.type === 'user' ? actor.id : null,
        expiresAt: new Date(Date.now() + INVITE_DAYS * 86_400_000),
      },
    });
    await recordAudit({ tx, workspaceId, actor, action: 'invite.create', targetType: 'invite', targetId: row.id, after: { role, email: row.email, expiresAt: row.expiresAt } });
    return { invite: { id: row.id, role, email: row.email, createdAt: row.createdAt, expiresAt: row.expiresAt }, token };
  });
}

export async function revokeInvite({ db, workspaceId, actor, inviteId }: { db: Db; workspaceId: string; actor: TActor; inviteId: string }): Promise<void> {
  const invite = await db.invite.findFirst({ where: { id: inviteId, workspaceId, acceptedAt: null, revokedAt: null } });
  if (!invite) throw notFound('invite');
  await db.$transaction(async (tx) => {
    await tx.invite.update({ where: { id: inviteId }, data: { revokedAt: new Date() } });
    await recordAudit({ tx, workspaceId, actor, action: 'invite.revoke', targetType: 'invite', targetId: inviteId, before: { role: invite.role, email: invite.email } });
  });
}

/** What someone opening an invite link sees before accepting it. */
export async function describeInvite({ db, token }: { db: Db; token: string }): Promise<z.infer<typeof ZInviteOffer>> {
  const invite = await db.invite.findUnique({ where: { tokenHash: hashToken(token) }, include: { workspace: true } });
  if (!invite || invite.revokedAt || invite.acceptedAt || invite.expiresAt <= new Date()) {
    throw new AppError('NOT_FOUND', 'This invite link is not valid any more. Ask an admin for a new one.');
  }
  return { workspaceName: invite.workspace.name, role: invite.role, email: invite.email };
}

/** Joins the invite's workspace as `userId`. Returns the workspace slug. */
export async function acceptInvite({ db, token, userId, userEmail, ip }: { db: Db; token: string; userId: string; userEmail: string; ip: string | null }): Promise<{ slug: string }> {
  return db.$transaction(async (tx) => {
    const invite = await tx.invite.findUnique({ where: { tokenHash: hashToken(token) }, include: { workspace: true } });
    if (!invite || invite.revokedAt || invite.acceptedAt || invite.expiresAt <= new Date()) {
      throw new AppError('NOT_FOUND', 'This invite link is not valid any more. Ask an admin for a new one.');
    }
    if (invite.email && invite.email !== userEmail.toLowerCase()) {
      throw new AppError('FORBIDDEN', `This invite is for ${invite.email}. Sign in with that address to accept it.`);
    }
    const claimed = await tx.invite.updateMany({ where: { id: invite.id, acceptedAt: null }, data: { acceptedAt: new Date(), acceptedById: userId } });
    if (claimed.count === 0) throw new AppError('CONFLICT', 'This invite was just used.');
    const existing = await tx.membership.findUnique({ where: { workspaceId_userId: { workspaceId: invite.workspaceId, userId } } });
    if (!existing) {
      await tx.membership.create({ data: { workspaceId: invite.workspaceId, userId, role: invite.role } });
    }
    await recordAudit({
      tx,
      workspaceId: invite.workspaceId,
      actor: { type: 'user', id: userId, label: userEmail, role: existing?.role ?? invite.role, ip },
      action: 'member.join',
      targetType: 'member',
      targetId: userId,
      after: { email: userEmail, role: existing?.role ?? invite.role, inviteId: invite.id },
    });
    return { slug: invite.workspace.slug };
  });
}

/** Creates an account from an invite link and joins its workspace. */
export async function joinWithNewAccount({ db, token, name, email, password, ip }: { db: Db; token: string; name: string; email: string; password: string; ip: string | null }): Promise<{ slug: string }> {
  const invite = await describeInvite({ db, token });
  if (invite.email && invite.email !== email.trim().toLowerCase()) {
    throw new AppError('FORBIDDEN', `This invite is for ${invite.email}.`, { issues: { email: `must be ${invite.email}` } });
  }
  const user = await createUser({ db, email, name, password });
  return acceptInvite({ db, token, userId: user.id, userEmail: user.email, ip });
}
