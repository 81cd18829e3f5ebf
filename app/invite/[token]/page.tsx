import type { Metadata } from 'next';
import { AcceptInvite } from '@/components/invite/accept-invite.tsx';
import { TRPCError } from '@trpc/server';
import { currentUser, pageCaller } from '../../_server/page-session.ts';

const INVALID = 'This invite link is not valid any more. Ask an admin for a new one.';

export const metadata: Metadata = { title: 'Join a workspace' };

async function loadInvite(token: string) {
  try {
    return { invite: await (await pageCaller()).members.describeInvite({ token }), problem: null };
  } catch (error) {
    // A token of the wrong shape (BAD_REQUEST) is as invalid as an unknown one.
    if (error instanceof TRPCError && error.code === 'NOT_FOUND') return { invite: null, problem: error.message };
    if (error instanceof TRPCError && error.code === 'BAD_REQUEST') return { invite: null, problem: INVALID };
    throw error;
  }
}

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [user, { invite, problem }] = await Promise.all([currentUser(), loadInvite(token)]);
  return <AcceptInvite token={token} invite={invite} problem={problem} user={user ? { name: user.name, email: user.email } : null} />;
}
