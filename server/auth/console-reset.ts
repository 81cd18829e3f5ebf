/**
 * The way back in for a locked-out admin (the only admin forgot their password): a command
 * run on the server's console (`npm run reset-admin`), which only someone with access to
 * the database credentials can run. It gives the account a new generated password, ends its
 * sessions, clears its failed sign-in attempts and says so in the audit trail.
 */
import type { TActor } from '../audit/actor.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../errors/app-error.ts';
import { replacePassword } from './change-password.ts';
import { generatePassword, hashPassword } from './password.ts';
import { normaliseEmail } from './sign-in.ts';

const CONSOLE: TActor = { type: 'system', id: null, label: 'server console (npm run reset-admin)', role: null, ip: null };

export interface TAdminAccount {
  email: string;
  workspaces: string[];
}

/** Every account that is an admin of at least one workspace. */
export async function listAdmins({ db }: { db: Db }): Promise<TAdminAccount[]> {
  const rows = await db.membership.findMany({ where: { role: 'admin' }, include: { user: true, workspace: true }, orderBy: { createdAt: 'asc' } });
  const byEmail = new Map<string, string[]>();
  for (const row of rows) byEmail.set(row.user.email, [...(byEmail.get(row.user.email) ?? []), row.workspace.name]);
  return [...byEmail].map(([email, workspaces]) => ({ email, workspaces }));
}

/** Resets `email`'s password to a generated one, returned once. Only admins' accounts; `email` may be omitted when there is exactly one. */
export async function resetAdminFromConsole({ db, email }: { db: Db; email?: string }): Promise<{ email: string; password: string; sessionsEnded: number }> {
  const admins = await listAdmins({ db });
  const list = admins.map((a) => `${a.email} (${a.workspaces.join(', ')})`).join('; ');
  let address: string;
  if (email) {
    address = normaliseEmail(email);
    if (!admins.some((a) => a.email === address)) throw new AppError('NOT_FOUND', `${address} is not an admin of any workspace. Admins: ${list || 'none'}.`);
  } else {
    if (admins.length !== 1) throw new AppError('BAD_REQUEST', `There are ${admins.length} admins; name one with --email. Admins: ${list || 'none'}.`);
    address = admins[0].email;
  }
  const user = await db.user.findUniqueOrThrow({ where: { email: address } });
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  const sessionsEnded = await db.$transaction(async (tx) => {
    await tx.signInReset.updateMany({ where: { userId: user.id, usedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
    await tx.signInAttempt.deleteMany({ where: { email: address, succeeded: false } });
    return replacePassword({ tx, userId: user.id, passwordHash, actor: CONSOLE, action: 'user.password_reset_console' });
  });
  return { email: address, password, sessionsEnded };
}
