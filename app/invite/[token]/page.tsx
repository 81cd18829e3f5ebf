import type { Metadata } from 'next';
import { AcceptInvite } from '@/components/invite/accept-invite.tsx';
import { db } from '@/server/db/client.ts';
import { AppError } from '@/server/errors/app-error.ts';
import { describeInvite } from '@/server/workspaces/members.ts';
import { currentUser } from '../../_server/page-session.ts';

export const metadata: Metadata = { title: 'Join a workspace' };

async function loadInvite(token: string) {
  try {
    return { invite: await describeInvite({ db: db(), token }), problem: null };
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') return { invite: null, problem: error.message };
    throw error;
  }
}

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [user, { invite, problem }] = await Promise.all([currentUser(), loadInvite(token)]);
  return <AcceptInvite token={token} invite={invite} problem={problem} user={user ? { name: user.name, email: user.email } : null} />;
}
