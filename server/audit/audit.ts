/**
 * The audit trail: every change a person or token makes is one row (who, in which role,
 * what, on which target, before/after, from which IP, when). Callers pass their transaction
 * so the entry commits with the change it describes. Secrets never reach it: callers pass
 * the redacted views they would show to a person.
 */
import { z } from 'zod';
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

export const ZAuditEntry = z.object({
  id: z.string(),
  at: z.date(),
  actorType: z.string(),
  actorLabel: z.string(),
  role: z.string().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  ip: z.string().nullable(),
});
export type TAuditEntryView = z.infer<typeof ZAuditEntry>;

/** A page of the audit trail, newest first; `cursor` is the last entry's id of the page before. */
export const ZAuditPageInput = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().regex(/^\d+$/).nullish(),
  action: z.string().max(80).optional().describe('Only actions starting with this, e.g. source.'),
});
export const ZAuditPage = z.object({ data: z.array(ZAuditEntry), nextCursor: z.string().nullable() });

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
}): Promise<z.infer<typeof ZAuditPage>> {
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
    data: page.map((row) => ({
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
