/**
 * First-run data, applied by `npm start` after migrating:
 *
 * * `seedIfEmpty`: on a database without users, a "Demo" workspace, its admin
 *   (admin@switchyard.local, generated password, returned once so the supervisor can show
 *   it) and a "Website" source with one write key, all in one transaction.
 * * `ensureBootstrapToken`: with SWITCHYARD_BOOTSTRAP_TOKEN set, an admin API token with
 *   exactly that value in the first workspace, so automation can configure a fresh install.
 */
import type { TActor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.ts';
import { generatePassword, hashPassword } from '../auth/password.ts';
import { hashToken, randomToken } from '../crypto/tokens.ts';
import type { Db } from '../db/client.ts';

export const SEED_ADMIN_EMAIL = 'admin@switchyard.local';
export const SEED_WORKSPACE_SLUG = 'demo';
export const SEED_SOURCE_SLUG = 'website';

export interface TSeedCredentials {
  email: string;
  password: string;
}

/** Returns the admin's credentials when it created them, undefined when users existed. */
export async function seedIfEmpty({ db }: { db: Db }): Promise<TSeedCredentials | undefined> {
  if ((await db.user.count()) > 0) return undefined;
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  const isCreated = await db.$transaction(async (tx) => {
    // Serialises concurrent first starts: the loser sees the winner's user and stops.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(7347002)`;
    if ((await tx.user.count()) > 0) return false;
    const workspace = await tx.workspace.create({ data: { name: 'Demo', slug: SEED_WORKSPACE_SLUG } });
    const user = await tx.user.create({ data: { email: SEED_ADMIN_EMAIL, name: 'Admin', passwordHash } });
    await tx.membership.create({ data: { workspaceId: workspace.id, userId: user.id, role: 'admin' } });
    await tx.source.create({
      data: {
        workspaceId: workspace.id,
        name: 'Website',
        slug: SEED_SOURCE_SLUG,
        writeKeys: { create: { key: randomToken('wk_', 24) } },
      },
    });
    return true;
  });
  return isCreated ? { email: SEED_ADMIN_EMAIL, password } : undefined;
}

const BOOTSTRAP_ACTOR: TActor = { type: 'system', id: null, label: 'bootstrap', role: null, ip: null };

/**
 * Creates the bootstrap admin token unless a token with this value exists already.
 * Returns true when it created one; throws when there is no workspace to put it in.
 */
export async function ensureBootstrapToken({ db, token }: { db: Db; token: string }): Promise<boolean> {
  const tokenHash = hashToken(token);
  if (await db.apiToken.findUnique({ where: { tokenHash }, select: { id: true } })) return false;
  const workspace = await db.workspace.findFirst({ orderBy: { createdAt: 'asc' }, select: { id: true } });
  if (!workspace) throw new Error('SWITCHYARD_BOOTSTRAP_TOKEN is set but there is no workspace to create it in');
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(7347003)`;
    if (await tx.apiToken.findUnique({ where: { tokenHash }, select: { id: true } })) return false;
    const apiToken = await tx.apiToken.create({
      data: { workspaceId: workspace.id, name: 'bootstrap', role: 'admin', tokenHash, prefix: token.slice(0, 8) },
    });
    await recordAudit({
      tx,
      workspaceId: workspace.id,
      actor: BOOTSTRAP_ACTOR,
      action: 'api_token.create',
      targetType: 'api_token',
      targetId: apiToken.id,
      after: { name: apiToken.name, role: apiToken.role, prefix: apiToken.prefix },
    });
    return true;
  });
}
