import { z } from 'zod';
import { listAuditEntries } from '../../audit/audit.ts';
import { router, workspaceProcedure } from '../trpc.ts';

export const auditRouter = router({
  list: workspaceProcedure('admin')
    .input(z.object({ limit: z.number().int().min(1).max(200).default(50), cursor: z.string().regex(/^\d+$/).nullish(), action: z.string().max(80).optional() }))
    .output(
      z.object({
        entries: z.array(
          z.object({
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
          }),
        ),
        nextCursor: z.string().nullable(),
      }),
    )
    .query(({ ctx, input }) => listAuditEntries({ db: ctx.db, workspaceId: ctx.workspace.id, limit: input.limit, cursor: input.cursor, action: input.action })),
});
