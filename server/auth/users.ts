/** Accounts. People join through invite links; there is no open sign-up. */
import type { Db } from '../db/client.ts';
import { AppError } from '../errors/app-error.ts';
import { assertStrongPassword } from './change-password.ts';
import { hashPassword } from './password.ts';
import { normaliseEmail } from './sign-in.ts';

export async function createUser({ db, email, name, password }: { db: Db; email: string; name: string; password: string }): Promise<{ id: string; email: string; name: string }> {
  assertStrongPassword(password, { email, name }, 'password');
  const address = normaliseEmail(email);
  const existing = await db.user.findUnique({ where: { email: address }, select: { id: true } });
  if (existing) {
    throw new AppError('CONFLICT', 'An account with this e-mail exists already. Sign in to accept the invite.', { issues: { email: 'already has an account' } });
  }
  const user = await db.user.create({ data: { email: address, name: name.trim(), passwordHash: await hashPassword(password) } });
  return { id: user.id, email: user.email, name: user.name };
}
