/** The signed-in person's own account (change password) and the sign-in reset links admins hand out. */
import { z } from 'zod';
import { changeOwnPassword } from '../../auth/change-password.ts';
import { MAX_PASSWORD_LENGTH } from '../../auth/password-rules.ts';
import { completeSignInReset, describeSignInReset } from '../../auth/sign-in-resets.ts';
import { publicProcedure, router, signedInProcedure } from '../trpc.ts';

const ZPassword = z.string().min(1, 'Enter a password').max(MAX_PASSWORD_LENGTH);
const ZResetToken = z.object({ token: z.string().min(8).max(200) });

export const accountRouter = router({
  /** Ends every other session of the caller; this one stays signed in. */
  changePassword: signedInProcedure
    .input(z.object({ currentPassword: ZPassword, newPassword: ZPassword }))
    .output(z.object({ sessionsEnded: z.number() }))
    .mutation(({ ctx, input }) =>
      changeOwnPassword({ db: ctx.db, user: ctx.user, sessionId: ctx.user.sessionId, currentPassword: input.currentPassword, newPassword: input.newPassword, ip: ctx.ip }),
    ),
  /** What a sign-in reset link is for, for the page that uses it. */
  describeReset: publicProcedure
    .input(ZResetToken)
    .output(z.object({ email: z.string(), expiresAt: z.date() }))
    .query(({ ctx, input }) => describeSignInReset({ db: ctx.db, token: input.token })),
  /** Sets the new password from a reset link; the page then signs in with it. */
  completeReset: publicProcedure
    .input(ZResetToken.extend({ newPassword: ZPassword }))
    .output(z.object({ email: z.string() }))
    .mutation(({ ctx, input }) => completeSignInReset({ db: ctx.db, token: input.token, newPassword: input.newPassword, ip: ctx.ip })),
});
