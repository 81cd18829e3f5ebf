import { z } from 'zod';
import {
  createRegulation,
  getRegulation,
  listRegulations,
  ZRegulationCreate,
  ZRegulationPage,
  ZRegulationPageInput,
  ZRegulationView,
} from '../../privacy/regulations.ts';
import { listSuppressions, ZSuppressionPage, ZSuppressionPageInput } from '../../privacy/suppressions.ts';
import { router, workspaceProcedure } from '../trpc.ts';

export const privacyRouter = router({
  /** A GDPR request about up to 5,000 subjects; the worker carries it out target by target. */
  createRegulation: workspaceProcedure('admin')
    .meta({ rest: { method: 'POST', path: '/regulations', tags: ['Privacy'], summary: 'Create a deletion or suppression request (up to 5,000 subjects)', status: 201 } })
    .input(ZRegulationCreate)
    .output(ZRegulationView)
    .mutation(({ ctx, input }) => createRegulation({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, input })),
  regulations: workspaceProcedure('admin')
    .meta({ rest: { method: 'GET', path: '/regulations', tags: ['Privacy'], summary: 'Privacy requests, newest first (pass nextCursor as cursor)' } })
    .input(ZRegulationPageInput)
    .output(ZRegulationPage)
    .query(({ ctx, input }) => listRegulations({ db: ctx.db, workspaceId: ctx.workspace.id, limit: input.limit, cursor: input.cursor })),
  regulation: workspaceProcedure('admin')
    .meta({ rest: { method: 'GET', path: '/regulations/{regulationId}', tags: ['Privacy'], summary: 'One privacy request with each target\'s status and receipt' } })
    .input(z.object({ regulationId: z.uuid() }))
    .output(ZRegulationView)
    .query(({ ctx, input }) => getRegulation({ db: ctx.db, workspaceId: ctx.workspace.id, regulationId: input.regulationId })),
  suppressions: workspaceProcedure('admin')
    .meta({ rest: { method: 'GET', path: '/suppressions', tags: ['Privacy'], summary: 'Suppressed subjects (their events are answered but not stored)' } })
    .input(ZSuppressionPageInput)
    .output(ZSuppressionPage)
    .query(({ ctx, input }) => listSuppressions({ db: ctx.db, workspaceId: ctx.workspace.id, limit: input.limit, subjectType: input.subjectType })),
});
