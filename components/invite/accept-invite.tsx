'use client';

/** Opening an invite link: join as the signed-in person, or create an account and join. */
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Link as EvergreenLink, Paragraph, Strong, Text } from 'evergreen-ui';
import { signOut } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import type { MouseEvent } from 'react';
import { AuthCard } from '../auth/auth-card.tsx';
import { RoleBadge } from '../common/roles.tsx';
import type { TRole } from '../shell/workspace-context.tsx';
import { errorMessage } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';
import { JoinWithNewAccount } from './join-with-new-account.tsx';

export interface TInviteSummary {
  workspaceName: string;
  role: TRole;
  email: string | null;
}

export function AcceptInvite({ token, invite, problem, user }: { token: string; invite: TInviteSummary | null; problem: string | null; user: { name: string; email: string } | null }) {
  const invitePath = `/invite/${encodeURIComponent(token)}`;
  if (!invite) {
    return (
      <AuthCard title="This invite link doesn't work" description={problem ?? 'This invite link is not valid any more.'}>
        <Paragraph size={300} color="muted" marginBottom={20}>
          Invite links work once and expire after 7 days; an admin may also have revoked this one.
        </Paragraph>
        <Button is="a" href="/" width="100%" size="large">
          Go to Switchyard
        </Button>
      </AuthCard>
    );
  }
  const summary = (
    <>
      You&apos;re invited to <Strong>{invite.workspaceName}</Strong> as <RoleBadge role={invite.role} />.
    </>
  );
  if (user) {
    return (
      <AuthCard
        title={`Join ${invite.workspaceName}`}
        description={summary}
        footer={
          <Text size={300} color="muted">
            Signed in as {user.email}. Not you?{' '}
            <EvergreenLink size={300} href="#" onClick={(e: MouseEvent) => { e.preventDefault(); void signOut({ callbackUrl: invitePath }); }}>
              Sign out
            </EvergreenLink>
          </Text>
        }
      >
        {invite.email && invite.email !== user.email.toLowerCase() && (
          <Alert intent="warning" title={`This invite is for ${invite.email}`} marginBottom={20}>
            Sign out and sign in with that address to accept it.
          </Alert>
        )}
        <JoinAsSignedIn token={token} invite={invite} isBlocked={Boolean(invite.email && invite.email !== user.email.toLowerCase())} />
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title={`Join ${invite.workspaceName}`}
      description={<>{summary} Create your account to join.</>}
      footer={
        <Text size={300} color="muted">
          Already have an account?{' '}
          <EvergreenLink size={300} href={`/signin?callbackUrl=${encodeURIComponent(invitePath)}`}>
            Sign in first
          </EvergreenLink>{' '}
          and you&apos;ll come back here.
        </Text>
      }
    >
      <JoinWithNewAccount token={token} invite={invite} />
    </AuthCard>
  );
}

function JoinAsSignedIn({ token, invite, isBlocked }: { token: string; invite: TInviteSummary; isBlocked: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const accept = useMutation(
    trpc.members.acceptInvite.mutationOptions({
      onSuccess: ({ slug }) => {
        router.replace(`/w/${encodeURIComponent(slug)}`);
        router.refresh();
      },
    }),
  );
  return (
    <>
      {accept.isError && <Alert intent="danger" title={errorMessage(accept.error)} marginBottom={20} />}
      <Button appearance="primary" size="large" width="100%" isLoading={accept.isPending || accept.isSuccess} disabled={isBlocked} onClick={() => accept.mutate({ token })}>
        {`Join ${invite.workspaceName} as ${invite.role}`}
      </Button>
    </>
  );
}
