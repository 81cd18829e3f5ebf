/**
 * Sources and their write keys. A source has several active write keys so a key can be
 * rotated without downtime: add a new one, deploy it, revoke the old one. Every read and
 * write is scoped to the caller's workspace; a source elsewhere is NOT_FOUND.
 */
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import type { Prisma } from '../db/generated/client.ts';
import type { TActor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.ts';
import { randomToken } from '../crypto/tokens.ts';
import { AppError, notFound } from '../errors/app-error.ts';
import { NAME_MAX, ZName } from '../lib/names.ts';
import { uniqueSlug } from '../lib/slug.ts';

export const ZWriteKeyView = z.object({ id: z.string(), key: z.string(), createdAt: z.date(), revokedAt: z.date().nullable() });
export type TWriteKeyView = z.infer<typeof ZWriteKeyView>;

export const ZSourceView = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  enabled: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
  writeKeys: z.array(ZWriteKeyView),
  destinationCount: z.number().int(),
});
export type TSourceView = z.infer<typeof ZSourceView>;

export const ZSourceId = z.object({ sourceId: z.uuid() });
export const ZSourceCreate = z.object({ name: ZName });
export const ZSourceUpdate = z.object({ name: ZName.optional(), enabled: z.boolean().optional() });

export const newWriteKey = () => randomToken('wk_', 24);

export const SOURCE_NAME_MAX = NAME_MAX;

/**
 * A source's name, trimmed, or BAD_REQUEST / CONFLICT on `name`: too long (never cut, the
 * person sees why) or already taken in the workspace, ignoring case and surrounding spaces
 * (two "Mobile App" sources cannot be told apart in the destination form's source picker).
 * Run inside the transaction that writes the name, after lockSourceNames.
 */
async function checkSourceName(tx: Prisma.TransactionClient, workspaceId: string, name: string, exceptId?: string): Promise<string> {
  const trimmed = name.trim();
  if (!trimmed) throw new AppError('BAD_REQUEST', 'Name is required', { issues: { name: 'Name is required' } });
  if (trimmed.length > SOURCE_NAME_MAX) {
    const message = `Use at most ${SOURCE_NAME_MAX} characters; this name has ${trimmed.length}.`;
    throw new AppError('BAD_REQUEST', message, { issues: { name: message } });
  }
  const taken = await tx.source.findFirst({
    where: { workspaceId, name: { equals: trimmed, mode: 'insensitive' }, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { name: true },
  });
  if (taken) {
    const message = `Another source in this workspace is already called “${taken.name}”. Choose a name that tells them apart.`;
    throw new AppError('CONFLICT', message, { issues: { name: message } });
  }
  return trimmed;
}

/** Serialises name changes of one workspace's sources, so two saves cannot both take a free name. */
async function lockSourceNames(tx: Prisma.TransactionClient, workspaceId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`source-names:${workspaceId}`}))`;
}

const include = {
  writeKeys: { orderBy: { createdAt: 'asc' as const } },
  _count: { select: { destinations: true } },
};

type TSourceRow = {
  id: string;
  name: string;
  slug: string;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
  writeKeys: TWriteKeyView[];
  _count: { destinations: number };
};

function toView(row: TSourceRow): TSourceView {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    enabled: row.enabled,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    writeKeys: row.writeKeys.map(({ id, key, createdAt, revokedAt }) => ({ id, key, createdAt, revokedAt })),
    destinationCount: row._count.destinations,
  };
}

/** What the audit trail keeps of a source (key values shortened). */
function auditView(source: TSourceView) {
  return {
    name: source.name,
    slug: source.slug,
    enabled: source.enabled,
    writeKeys: source.writeKeys.filter((k) => !k.revokedAt).map((k) => `${k.key.slice(0, 7)}…`),
  };
}

export async function listSources({ db, workspaceId }: { db: Db; workspaceId: string }): Promise<TSourceView[]> {
  const rows = await db.source.findMany({ where: { workspaceId }, include, orderBy: { createdAt: 'asc' } });
  return rows.map(toView);
}

export async function getSource({ db, workspaceId, sourceId }: { db: Db; workspaceId: string; sourceId: string }): Promise<TSourceView> {
  const row = await db.source.findFirst({ where: { id: sourceId, workspaceId }, include });
  if (!row) throw notFound('source');
  return toView(row);
}

export async function createSource({
  db,
  workspaceId,
  actor,
  name,
}: {
  db: Db;
  workspaceId: string;
  actor: TActor;
  name: string;
}): Promise<TSourceView> {
  const slug = await uniqueSlug(name, async (candidate) =>
    Boolean(await db.source.findFirst({ where: { workspaceId, slug: candidate }, select: { id: true } })),
  );
  return db.$transaction(async (tx) => {
    await lockSourceNames(tx, workspaceId);
    const checked = await checkSourceName(tx, workspaceId, name);
    const row = await tx.source.create({
      data: { workspaceId, name: checked, slug, writeKeys: { create: { key: newWriteKey() } } },
      include,
    });
    const view = toView(row);
    await recordAudit({ tx, workspaceId, actor, action: 'source.create', targetType: 'source', targetId: row.id, after: auditView(view) });
    return view;
  });
}

export async function updateSource({
  db,
  workspaceId,
  actor,
  sourceId,
  name,
  enabled,
}: {
  db: Db;
  workspaceId: string;
  actor: TActor;
  sourceId: string;
  name?: string;
  enabled?: boolean;
}): Promise<TSourceView> {
  const before = await getSource({ db, workspaceId, sourceId });
  return db.$transaction(async (tx) => {
    let checked: string | undefined;
    if (name !== undefined) {
      await lockSourceNames(tx, workspaceId);
      checked = await checkSourceName(tx, workspaceId, name, sourceId);
    }
    const row = await tx.source.update({ where: { id: sourceId }, data: { name: checked, enabled }, include });
    const after = toView(row);
    await recordAudit({ tx, workspaceId, actor, action: 'source.update', targetType: 'source', targetId: sourceId, before: auditView(before), after: auditView(after) });
    return after;
  });
}

export async function deleteSource({ db, workspaceId, actor, sourceId }: { db: Db; workspaceId: string; actor: TActor; sourceId: string }): Promise<void> {
  const before = await getSource({ db, workspaceId, sourceId });
  await db.$transaction(async (tx) => {
    await tx.source.delete({ where: { id: sourceId } });
    await recordAudit({ tx, workspaceId, actor, action: 'source.delete', targetType: 'source', targetId: sourceId, before: auditView(before) });
  });
}

export async function addWriteKey({ db, workspaceId, actor, sourceId }: { db: Db; workspaceId: string; actor: TActor; sourceId: string }): Promise<TWriteKeyView> {
  await getSource({ db, workspaceId, sourceId });
  return db.$transaction(async (tx) => {
    const key = await tx.writeKey.create({ data: { sourceId, key: newWriteKey() } });
    await recordAudit({ tx, workspaceId, actor, action: 'source.write_key.add', targetType: 'source', targetId: sourceId, after: { writeKey: `${key.key.slice(0, 7)}…` } });
    return { id: key.id, key: key.key, createdAt: key.createdAt, revokedAt: key.revokedAt };
  });
}

/** Revokes a key given by its id or its value. The last active key cannot be revoked. */
export async function revokeWriteKey({
  db,
  workspaceId,
  actor,
  sourceId,
  keyIdOrValue,
}: {
  db: Db;
  workspaceId: string;
  actor: TActor;
  sourceId: string;
  keyIdOrValue: string;
}): Promise<TWriteKeyView> {
  const source = await getSource({ db, workspaceId, sourceId });
  const key = source.writeKeys.find((k) => k.id === keyIdOrValue || k.key === keyIdOrValue);
  if (!key) throw notFound('write key');
  if (key.revokedAt) return key;
  if (source.writeKeys.filter((k) => !k.revokedAt).length <= 1) {
    throw new AppError('CONFLICT', 'This is the source\'s only active write key. Add a new key before revoking this one.');
  }
  return db.$transaction(async (tx) => {
    const row = await tx.writeKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
    await recordAudit({ tx, workspaceId, actor, action: 'source.write_key.revoke', targetType: 'source', targetId: sourceId, before: { writeKey: `${key.key.slice(0, 7)}…` } });
    return { id: row.id, key: row.key, createdAt: row.createdAt, revokedAt: row.revokedAt };
  });
}
