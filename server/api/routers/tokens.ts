import { z } from 'zod';
import { createApiToken, listApiTokens, revokeApiToken } from '../../tokens/api-tokens.ts';
import { router, workspaceProcedure } from '../trpc.ts';

const ZRole = z.enum(['admin', 'editor', 'support']);
const ZApiTokenView = z.object({
  id: z.string(),
  name: z.string(),
  role: ZRole,
  prefix: z.string(),
  createdAt: z.date(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});

export const tokensRouter = router({
  list: workspaceProcedure('admin')
    .output(z.array(ZApiTokenView))
    .query(({ ctx }) => listApiTokens({ db: ctx.db, workspaceId: ctx.workspace.id })),
  /** Returns the token itself: shown once, stored hashed. */
  create: workspaceProcedure('admin')
    .input(z.object({ name: z.string().trim().min(1).max(80), role: ZRole }))
    .output(z.object({ token: z.string(), apiToken: ZApiTokenView }))
    .mutation(({ ctx, input }) => createApiToken({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, name: input.name, role: input.role })),
  revoke: workspaceProcedure('admin')
    .input(z.object({ tokenId: z.uuid() }))
    .mutation(({ ctx, input }) => revokeApiToken({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, tokenId: input.tokenId })),
});
