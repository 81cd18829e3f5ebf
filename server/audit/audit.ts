/**
 * The audit trail: every change a person or token makes is one row (who, in which role,
 * what, on which target, before/after, from which IP, when). Callers pass their transaction
 * so the entry commits with the change it describes. Secrets never reach it: callers pass
 * the redacted views they would show to a person.
 */
import type { Prisma } from '../db/generated/client.ts';
import type { Db } from '../db/client.ts';
import type { TActor } from './actor.ts';

type TTx = Prisma.TransactionClient | Db;

export async function recordAudit({
  tx,
  workspaceId,
  actor,
  action,
  targetType,
  targetId,
  before,
  after,
}: {
  tx: TTx;
  workspaceId: string;
  actor: TActor;
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
}): Promise<void> {
  await tx.auditEntry.create({
    data: {
      workspaceId,
      actorType: actor.type,
      actorId: actor.id,
      actorLabel: actor.label,
      role: actor.role,
      action,
      targetType,
      targetId: targetId ?? null,
      before: toJson(before),
      after: toJson(after),
      ip: actor.ip,
    },
  });
}

function toJson(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}

export interface TAuditEntryView {
  id: string;
  at: Date;
  actorType: string;
  actorLabel: string;
  role: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
}

export async function listAuditEntries({
  db,
  workspaceId,
  limit = 50,
  cursor,
  action,
}: {
  db: Db;
  workspaceId: string;
  limit?: number;
  cursor?: string | null;
  action?: string;
}): Promise<{ entries: TAuditEntryView[]; nextCursor: string | null }> {
  const rows = await db.auditEntry.findMany({
    where: {
      workspaceId,
      ...(cursor ? { id: { lt: BigInt(cursor) } } : {}),
      ...(action ? { action: { startsWith: action } } : {}),
    },
    orderBy: { id: 'desc' },
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return {
    entries: page.map((row) => ({
      id: row.id.toString(),
      at: row.at,
      actorType: row.actorType,
      actorLabel: row.actorLabel,
      role: row.role,
      action: row.action,
      targetType: row.targetType,
      targetId: row.targetId,
      before: row.before,
      after: row.after,
      ip: row.ip,
    })),
    nextCursor: rows.length > limit ? page[page.length - 1].id.toString() : null,
  };
}
