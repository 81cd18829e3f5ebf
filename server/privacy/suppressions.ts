/**
 * Suppressions: who must not be stored. Written by regulations.ts (the request's own
 * identifiers, at once) and the worker's suppression target (identifiers linked to them),
 * read at ingest through SuppressionCache (suppression-cache.ts) and listed for admins.
 */
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import type { Prisma } from '../db/generated/client.ts';
import { ZSubjectType } from './subject-types.ts';

type TTx = Prisma.TransactionClient | Db;

/** Every change to a workspace's suppressions bumps its version in the same transaction. */
export async function bumpSuppressionVersion(tx: TTx, workspaceId: string): Promise<void> {
  await tx.$executeRaw`INSERT INTO suppression_versions (workspace_id, version) VALUES (${workspaceId}::uuid, 1)
    ON CONFLICT (workspace_id) DO UPDATE SET version = suppression_versions.version + 1`;
}

export const ZSuppressionView = z.object({
  subjectType: ZSubjectType,
  subjectId: z.string(),
  regulationId: z.string(),
  createdAt: z.date(),
});
export const ZSuppressionPageInput = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  subjectType: ZSubjectType.optional(),
});
export const ZSuppressionPage = z.object({
  data: z.array(ZSuppressionView),
  /** Events answered but not stored because their subject is suppressed, over the last 30 days. */
  suppressedEvents: z.number().int(),
});

export async function listSuppressions({ db, workspaceId, limit, subjectType }: { db: Db; workspaceId: string; limit: number; subjectType?: z.infer<typeof ZSubjectType> }) {
  const rows = await db.suppression.findMany({
    where: { workspaceId, ...(subjectType ? { subjectType } : {}) },
    orderBy: { createdAt: 'desc' },
    take: limit,
    select: { subjectType: true, subjectId: true, regulationId: true, createdAt: true },
  });
  const since = new Date(Date.now() - 30 * 24 * 3600_000);
  const counted = await db.suppressedEventCount.aggregate({ where: { workspaceId, day: { gte: since } }, _sum: { count: true } });
  return {
    data: rows.map((r) => ({ ...r, subjectType: r.subjectType as z.infer<typeof ZSubjectType> })),
    suppressedEvents: Number(counted._sum.count ?? 0),
  };
}
