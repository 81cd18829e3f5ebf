/**
 * API tokens for the public REST API: created by admins, shown once, stored as SHA-256,
 * scoped to one workspace and one role.
 */
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import type { TActor } from '../audit/actor.ts';
import { ZRole, type TRole } from '../auth/roles.ts';
import { recordAudit } from '../audit/audit.ts';
import { hashToken, randomToken } from '../crypto/tokens.ts';
import { notFound } from '../errors/app-error.ts';
import { ZName } from '../lib/names.ts';

export const TOKEN_PREFIX = 'sy_';

export const ZApiTokenView = z.object({
  id: z.string(),
  name: z.string(),
  role: ZRole,
  prefix: z.string(),
  createdAt: z.date(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});
export type TApiTokenView = z.infer<typeof ZApiTokenView>;

export const ZApiTokenCreate = z.object({ name: ZName, role: ZRole });

export interface TTokenPrincipal {
  tokenId: string;
  workspaceId: string;
  role: TRole;
  name: string;
}

const select = { id: true, name: true, role: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const;

export async function listApiTokens({ db, workspaceId }: { db: Db; workspaceId: string }): Promise<TApiTokenView[]> {
  return db.apiToken.findMany({ where: { workspaceId }, select, orderBy: { createdAt: 'desc' } });
}

export async function createApiToken({ db, workspaceId, actor, name, role }: { db: Db; workspaceId: string; actor: TActor; name: string; role: TRole }): Promise<{ token: string; apiToken: TApiTokenView }> {
  const token = randomToken(TOKEN_PREFIX, 32);
  return db.$transaction(async (tx) => {
    const apiToken = await tx.apiToken.create({
      data: { workspaceId, name, role, tokenHash: hashToken(token), prefix: token.slice(0, 10), createdById: actor.type === 'user' ? actor.id : null },
      select,
    });
    await recordAudit({ tx, workspaceId, actor, action: 'api_token.create', targetType: 'api_token', targetId: apiToken.id, after: { name, role, prefix: apiToken.prefix } });
    return { token, apiToken };
  });
}

export async function revokeApiToken({ db, workspaceId, actor, tokenId }: { db: Db; workspaceId: string; actor: TActor; tokenId: string }): Promise<void> {
  const token = await db.apiToken.findFirst({ where: { id: tokenId, workspaceId }, select });
  if (!token) throw notFound('API token');
  if (token.revokedAt) return;
  await db.$transaction(async (tx) => {
    await tx.apiToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } });
    await recordAudit({ tx, workspaceId, actor, action: 'api_token.revoke', targetType: 'api_token', targetId: tokenId, before: { name: token.name, role: token.role, prefix: token.prefix } });
  });
}

/** The principal behind a bearer token, or null when it is unknown or revoked. */
export async function authenticateApiToken({ db, token }: { db: Db; token: string }): Promise<TTokenPrincipal | null> {
  if (!token.startsWith(TOKEN_PREFIX) && token.length < 24) return null;
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!row || row.revokedAt) return null;
  // Last-used is informational: update at most once a minute to keep reads cheap.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return { tokenId: row.id, workspaceId: row.workspaceId, role: row.role, name: row.name };
}
