'use client';

/** Members and pending invites of the workspace. Admins invite, change roles, remove and revoke. */
import { useQuery } from '@tanstack/react-query';
import { Button, Pane, PlusIcon } from 'evergreen-ui';
import { useState } from 'react';
import { Card } from '../common/card.tsx';
import { PageHeader } from '../common/page-header.tsx';
import { ReadOnlyHint } from '../common/roles.tsx';
import { Loading, QueryError } from '../common/states.tsx';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { useTRPC } from '../trpc/provider.tsx';
import { InviteDialog } from './invite-dialog.tsx';
import { InvitesTable } from './invites-table.tsx';
import { MembersTable } from './members-table.tsx';

export function MembersScreen({ currentUserId }: { currentUserId: string }) {
  const trpc = useTRPC();
  const { workspace, isAdmin } = useWorkspace();
  const [isInviting, setIsInviting] = useState(false);
  const members = useQuery(trpc.members.list.queryOptions({ workspaceId: workspace.id }));
  const invites = useQuery({ ...trpc.members.invites.queryOptions({ workspaceId: workspace.id }), enabled: isAdmin });

  return (
    <>
      <PageHeader
        title="Members"
        description={`People who can use ${workspace.name}. Admins manage members, tokens and the audit log; editors change sources and destinations; support can look but not change.`}
        actions={
          isAdmin ? (
            <Button appearance="primary" iconBefore={PlusIcon} onClick={() => setIsInviting(true)}>
              Invite member
            </Button>
          ) : null
        }
      />
      <ReadOnlyHint what="members" isAllowed={isAdmin} />
      <Card title="Members" testId="members">
        {members.isPending ? (
          <Loading label="Loading members…" />
        ) : members.isError ? (
          <QueryError error={members.error} onRetry={() => members.refetch()} />
        ) : (
          <MembersTable members={members.data} currentUserId={currentUserId} />
        )}
      </Card>
      {isAdmin && (
        <Pane marginTop={20}>
          <Card title="Pending invites" description="Invite links that have not been used yet. Each works once, for 7 days." testId="invites">
            {invites.isPending ? (
              <Loading label="Loading invites…" />
            ) : invites.isError ? (
              <QueryError error={invites.error} onRetry={() => invites.refetch()} />
            ) : (
              <InvitesTable invites={invites.data} />
            )}
          </Card>
        </Pane>
      )}
      {isAdmin && <InviteDialog isShown={isInviting} onClose={() => setIsInviting(false)} />}
    </>
  );
}
