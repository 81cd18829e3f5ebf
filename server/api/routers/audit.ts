import { listAuditEntries, ZAuditPage, ZAuditPageInput } from '../../audit/audit.ts';
import { router, workspaceProcedure } from '../trpc.ts';

export const auditRouter = router({
  list: workspaceProcedure('admin')
    .meta({ rest: { method: 'GET', path: '/audit-entries', tags: ['Audit'], summary: 'The audit trail, newest first (keyset pagination)' } })
    .input(ZAuditPageInput)
    .output(ZAuditPage)
    .query(({ ctx, input }) => listAuditEntries({ db: ctx.db, workspaceId: ctx.workspace.id, limit: input.limit, cursor: input.cursor, action: input.action })),
});
