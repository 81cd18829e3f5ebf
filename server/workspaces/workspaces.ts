/** Workspaces a person belongs to, and creating a new one (its creator becomes its admin). */
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import type { TActor } from '../audit/actor.ts';
import { ZRole, type TRole } from '../auth/roles.ts';
import { recordAudit } from '../audit/audit.ts';
import { uniqueSlug } from '../lib/slug.ts';

export const ZWorkspaceView = z.object({ id: z.string(), name: z.string(), slug: z.string(), role: ZRole });
export type TWorkspaceView = z.infer<typeof ZWorkspaceView>;

/** The workspace an API token belongs to, and the token itself (null for a signed-in person). */
export const ZWorkspaceInfo = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  token: z.object({ name: z.string(), role: ZRole }).nullable(),
});

export async function getWorkspaceInfo({ db, workspaceId, token }: { db: Db; workspaceId: string; token: { name: string; role: TRole } | null }): Promise<z.infer<typeof ZWorkspaceInfo>> {
  const workspace = await db.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
  return { id: workspace.id, name: workspace.name, slug: workspace.slug, token };
}

export async function listMyWorkspaces({ db, userId }: { db: Db; userId: string }): Promise<TWorkspaceView[]> {
  const memberships = await db.membership.findMany({
    where: { userId },
    include: { workspace: true },
    orderBy: { workspace: { name: 'asc' } },
  });
  return memberships.map((m) => ({ id: m.workspace.id, name: m.workspace.name, slug: m.workspace.slug, role: m.role }));
}

export async function createWorkspace({ db, actor, userId, name }: { db: Db; actor: TActor; userId: string; name: string }): Promise<TWorkspaceView> {
  const slug = await uniqueSlug(name, async (candidate) => Boolean(await db.workspace.findUnique({ where: { slug: candidate }, select: { id: true } })));
  return db.$transaction(async (tx) => {
    const workspace = await tx.workspace.create({ data: { name, slug, memberships: { create: { userId, role: 'admin' } } } });
    await recordAudit({ tx, workspaceId: workspace.id, actor: { ...actor, role: 'admin' }, action: 'workspace.create', targetType: 'workspace', targetId: workspace.id, after: { name, slug } });
    return { id: workspace.id, name: workspace.name, slug: workspace.slug, role: 'admin' };
  });
}

export async function renameWorkspace({ db, workspaceId, actor, name }: { db: Db; workspaceId: string; actor: TActor; name: string }): Promise<void> {
  const before = await db.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
  await db.$transaction(async (tx) => {
    await tx.workspace.update({ where: { id: workspaceId }, data: { name } });
    await recordAudit({ tx, workspaceId, actor, action: 'workspace.rename', targetType: 'workspace', targetId: workspaceId, before: { name: before.name }, after: { name } });
  });
}
