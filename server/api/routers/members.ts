import { z } from 'zod';
import { ZRole } from '../../auth/roles.ts';
import { createSignInReset } from '../../auth/sign-in-resets.ts';
import { publicUrl } from '../../env.ts';
import {
  acceptInvite,
  changeMemberRole,
  createInvite,
  describeInvite,
  joinWithNewAccount,
  listInvites,
  listMembers,
  removeMember,
  revokeInvite,
  ZInviteOffer,
  ZInviteView,
  ZMemberView,
} from '../../workspaces/members.ts';
import { publicProcedure, router, signedInProcedure, workspaceProcedure } from '../trpc.ts';

const ZToken = z.object({ token: z.string().min(8).max(200) });

export const membersRouter = router({
  list: workspaceProcedure('support')
    .meta({ rest: { method: 'GET', path: '/members', summary: 'List the workspace\'s members and their roles', tags: ['Members'] } })
    .output(z.array(ZMemberView))
    .query(({ ctx }) => listMembers({ db: ctx.db, workspaceId: ctx.workspace.id })),
  changeRole: workspaceProcedure('admin')
    .meta({ rest: { method: 'PATCH', path: '/members/{userId}', summary: 'Change a member\'s role (a workspace keeps at least one admin)', tags: ['Members'] } })
    .input(z.object({ userId: z.uuid(), role: ZRole }))
    .output(ZMemberView)
    .mutation(({ ctx, input }) => changeMemberRole({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, userId: input.userId, role: input.role })),
  remove: workspaceProcedure('admin')
    .meta({ rest: { method: 'DELETE', path: '/members/{userId}', summary: 'Remove a member from the workspace (their account stays)', tags: ['Members'], status: 204 } })
    .input(z.object({ userId: z.uuid() }))
    .mutation(({ ctx, input }) => removeMember({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, userId: input.userId })),
  /** A one-time link where the member chooses a new password; shown once (stored hashed). */
  resetSignIn: workspaceProcedure('admin')
    .input(z.object({ userId: z.uuid() }))
    .output(z.object({ email: z.string(), url: z.string(), expiresAt: z.date() }))
    .mutation(async ({ ctx, input }) => {
      const { token, email, expiresAt } = await createSignInReset({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, userId: input.userId });
      return { email, url: `${publicUrl()}/reset/${token}`, expiresAt };
    }),
  invites: workspaceProcedure('admin')
    .meta({ rest: { method: 'GET', path: '/invites', summary: 'List pending invites (not used, revoked or expired)', tags: ['Members'] } })
    .output(z.array(ZInviteView))
    .query(({ ctx }) => listInvites({ db: ctx.db, workspaceId: ctx.workspace.id })),
  /** Returns the invite link; it is shown once (the token is stored hashed). */
  invite: workspaceProcedure('admin')
    .meta({ rest: { method: 'POST', path: '/invites', summary: 'Create an invite link with a role; the link is returned by this response only', tags: ['Members'], status: 201 } })
    .input(z.object({ role: ZRole, email: z.email().optional().nullable() }))
    .output(z.object({ invite: ZInviteView, url: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const { invite, token } = await createInvite({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, role: input.role, email: input.email });
      return { invite, url: `${publicUrl()}/invite/${token}` };
    }),
  revokeInvite: workspaceProcedure('admin')
    .meta({ rest: { method: 'DELETE', path: '/invites/{inviteId}', summary: 'Revoke a pending invite', tags: ['Members'], status: 204 } })
    .input(z.object({ inviteId: z.uuid() }))
    .mutation(({ ctx, input }) => revokeInvite({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, inviteId: input.inviteId })),
  /** What an invite link offers, for the page that accepts it. */
  describeInvite: publicProcedure
    .input(ZToken)
    .output(ZInviteOffer)
    .query(({ ctx, input }) => describeInvite({ db: ctx.db, token: input.token })),
  acceptInvite: signedInProcedure
    .input(ZToken)
    .output(z.object({ slug: z.string() }))
    .mutation(({ ctx, input }) => acceptInvite({ db: ctx.db, token: input.token, userId: ctx.user.id, userEmail: ctx.user.email, ip: ctx.ip })),
  /** Creates an account from an invite link and joins; the page then signs in. */
  acceptInviteAsNewUser: publicProcedure
    .input(ZToken.extend({ name: z.string().trim().min(1).max(80), email: z.email(), password: z.string().min(1).max(200) }))
    .output(z.object({ slug: z.string() }))
    .mutation(({ ctx, input }) => joinWithNewAccount({ db: ctx.db, ...input, ip: ctx.ip })),
});
