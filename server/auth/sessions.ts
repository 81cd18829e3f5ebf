/**
 * Server-side sessions. next-auth's JWT cookie only carries a session id (`sid`); the row
 * here is the truth, so signing out (or an admin removing a member) ends the session on
 * the server and an old cookie stops working at once.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { env } from '../env.ts';

export interface TSessionUser {
  id: string;
  email: string;
  name: string;
  sessionId: string;
}

export async function createAuthSession({
  db,
  userId,
  ip,
  userAgent,
}: {
  db: Db;
  userId: string;
  ip?: string;
  userAgent?: string;
}): Promise<{ id: string; expiresAt: Date }> {
  const id = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + env().SWITCHYARD_SESSION_HOURS * 3_600_000);
  await db.authSession.create({ data: { id, userId, expiresAt, ip, userAgent: userAgent?.slice(0, 300) } });
  return { id, expiresAt };
}

export async function revokeAuthSession({ db, sessionId }: { db: Db; sessionId: string }): Promise<void> {
  await db.authSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
}

export async function resolveAuthSession({ db, sessionId }: { db: Db; sessionId: string }): Promise<TSessionUser | null> {
  const session = await db.authSession.findUnique({ where: { id: sessionId }, include: { user: true } });
  if (!session || session.revokedAt || session.expiresAt <= new Date()) return null;
  return { id: session.user.id, email: session.user.email, name: session.user.name, sessionId: session.id };
}
