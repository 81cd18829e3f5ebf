import type { Metadata } from 'next';
import { TRPCError } from '@trpc/server';
import { ResetPassword } from '@/components/auth/reset-password.tsx';
import { pageCaller } from '../../_server/page-session.ts';

const INVALID = 'This sign-in reset link is not valid any more. Ask an admin of your workspace for a new one.';

export const metadata: Metadata = { title: 'Choose a new password' };

async function loadReset(token: string) {
  try {
    return { reset: await (await pageCaller()).account.describeReset({ token }), problem: null };
  } catch (error) {
    // A token of the wrong shape (BAD_REQUEST) is as invalid as an unknown one.
    if (error instanceof TRPCError && error.code === 'NOT_FOUND') return { reset: null, problem: error.message };
    if (error instanceof TRPCError && error.code === 'BAD_REQUEST') return { reset: null, problem: INVALID };
    throw error;
  }
}

export default async function ResetPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const { reset, problem } = await loadReset(token);
  return <ResetPassword token={token} reset={reset ? { email: reset.email } : null} problem={problem} />;
}
