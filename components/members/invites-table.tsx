'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Pane, Table, Text, toaster } from 'evergreen-ui';
import { useState } from 'react';
import { ConfirmDialog } from '../common/confirm-dialog.tsx';
import { formatDateTime, formatRelative } from '../common/format.ts';
import { RoleBadge } from '../common/roles.tsx';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { errorMessage } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';
import type { TInvite } from '../trpc/types.ts';

export function InvitesTable({ invites }: { invites: TInvite[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { workspace } = useWorkspace();
  const [revoking, setRevoking] = useState<TInvite | null>(null);
  const revoke = useMutation(
    trpc.members.revokeInvite.mutationOptions({
      onSuccess: async () => {
        toaster.success('Invite revoked', { description: 'The link no longer works.' });
        setRevoking(null);
        await queryClient.invalidateQueries(trpc.members.invites.queryFilter());
      },
      onError: (error) => toaster.danger('The invite could not be revoked', { description: errorMessage(error) }),
    }),
  );

  if (invites.length === 0) {
    return (
      <Pane paddingY={20} textAlign="center" background="#F9FAFC" borderRadius={6}>
        <Text color="muted">No pending invites. Use “Invite member” to create a link.</Text>
      </Pane>
    );
  }

  return (
    <Table data-testid="invites-table">
      <Table.Head height={40} background="#F9FAFC">
        <Table.TextHeaderCell flexBasis={130} flexGrow={0}>Role</Table.TextHeaderCell>
        <Table.TextHeaderCell flexGrow={2}>For</Table.TextHeaderCell>
        <Table.TextHeaderCell>Created</Table.TextHeaderCell>
        <Table.TextHeaderCell>Expires</Table.TextHeaderCell>
        <Table.TextHeaderCell flexBasis={110} flexGrow={0} aria-label="Actions" />
      </Table.Head>
      <Table.Body>
        {invites.map((invite) => (
          <Table.Row key={invite.id} height={52} data-testid="invite-row">
            <Table.Cell flexBasis={130} flexGrow={0}>
              <RoleBadge role={invite.role} />
            </Table.Cell>
            <Table.TextCell flexGrow={2}>{invite.email ?? 'Anyone with the link'}</Table.TextCell>
            <Table.TextCell>
              <span title={formatDateTime(invite.createdAt)}>{formatRelative(invite.createdAt)}</span>
            </Table.TextCell>
            <Table.TextCell>
              <span title={formatDateTime(invite.expiresAt)}>{formatRelative(invite.expiresAt)}</span>
            </Table.TextCell>
            <Table.Cell flexBasis={110} flexGrow={0} justifyContent="flex-end">
              <Button size="small" intent="danger" appearance="minimal" onClick={() => setRevoking(invite)}>Revoke</Button>
            </Table.Cell>
          </Table.Row>
        ))}
      </Table.Body>
      <ConfirmDialog
        isShown={revoking !== null}
        title="Revoke this invite?"
        confirmLabel="Revoke invite"
        isConfirming={revoke.isPending}
        onClose={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate({ workspaceId: workspace.id, inviteId: revoking.id })}
      >
        {`The ${revoking?.role ?? ''} invite link${revoking?.email ? ` for ${revoking.email}` : ''} stops working at once. Whoever has it will be told to ask for a new one.`}
      </ConfirmDialog>
    </Table>
  );
}
