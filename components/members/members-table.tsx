'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Avatar, Badge, Button, Pane, Select, Table, Text, toaster } from 'evergreen-ui';
import { useState, type ChangeEvent } from 'react';
import { ConfirmDialog } from '../common/confirm-dialog.tsx';
import { formatDate } from '../common/format.ts';
import { RoleBadge } from '../common/roles.tsx';
import { useWorkspace, type TRole } from '../shell/workspace-context.tsx';
import { errorMessage } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';
import type { TMember } from '../trpc/types.ts';
import { ResetSignInDialog } from './reset-sign-in-dialog.tsx';

export const ROLES: TRole[] = ['admin', 'editor', 'support'];

export function MembersTable({ members, currentUserId }: { members: TMember[]; currentUserId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { workspace, isAdmin } = useWorkspace();
  const [removing, setRemoving] = useState<TMember | null>(null);
  const [resetting, setResetting] = useState<TMember | null>(null);
  const refresh = () => queryClient.invalidateQueries(trpc.members.list.queryFilter());
  const changeRole = useMutation(
    trpc.members.changeRole.mutationOptions({
      onSuccess: async (member) => {
        toaster.success(`${member.name} is now ${/^[aeiou]/.test(member.role) ? 'an' : 'a'} ${member.role}`);
        await refresh();
      },
      onError: (error) => toaster.danger('The role could not be changed', { description: errorMessage(error) }),
    }),
  );
  const remove = useMutation(
    trpc.members.remove.mutationOptions({
      onSuccess: async () => {
        toaster.success(`${removing?.name ?? 'The member'} was removed from ${workspace.name}`);
        setRemoving(null);
        await refresh();
      },
      onError: (error) => toaster.danger('The member could not be removed', { description: errorMessage(error) }),
    }),
  );

  return (
    <Table data-testid="members-table">
      <Table.Head height={40} background="#F9FAFC">
        <Table.TextHeaderCell flexGrow={2}>Name</Table.TextHeaderCell>
        <Table.TextHeaderCell flexGrow={2}>E-mail</Table.TextHeaderCell>
        <Table.TextHeaderCell flexBasis={150} flexGrow={0}>Role</Table.TextHeaderCell>
        <Table.TextHeaderCell flexBasis={130} flexGrow={0}>Joined</Table.TextHeaderCell>
        {isAdmin && <Table.TextHeaderCell flexBasis={220} flexGrow={0} aria-label="Actions" />}
      </Table.Head>
      <Table.Body>
        {members.map((member) => (
          <Table.Row key={member.userId} height={56} data-testid="member-row">
            <Table.Cell flexGrow={2}>
              <Pane display="flex" alignItems="center" gap={10} minWidth={0}>
                <Avatar name={member.name} size={28} />
                <Text fontWeight={500}>{member.name}</Text>
                {member.userId === currentUserId && <Badge color="neutral">you</Badge>}
              </Pane>
            </Table.Cell>
            <Table.TextCell flexGrow={2}>{member.email}</Table.TextCell>
            <Table.Cell flexBasis={150} flexGrow={0}>
              {isAdmin ? (
                <Select
                  value={member.role}
                  aria-label={`Role of ${member.email}`}
                  disabled={changeRole.isPending}
                  onChange={(e: ChangeEvent<HTMLSelectElement>) => changeRole.mutate({ workspaceId: workspace.id, userId: member.userId, role: e.target.value as TRole })}
                >
                  {ROLES.map((role) => (
                    <option key={role} value={role}>{role}</option>
                  ))}
                </Select>
              ) : (
                <RoleBadge role={member.role} />
              )}
            </Table.Cell>
            <Table.TextCell flexBasis={130} flexGrow={0}>{formatDate(member.joinedAt)}</Table.TextCell>
            {isAdmin && (
              <Table.Cell flexBasis={220} flexGrow={0} justifyContent="flex-end" gap={4}>
                {member.userId !== currentUserId && (
                  <Button size="small" appearance="minimal" onClick={() => setResetting(member)} aria-label={`Reset sign-in for ${member.email}`}>Reset sign-in</Button>
                )}
                <Button size="small" intent="danger" appearance="minimal" onClick={() => setRemoving(member)}>Remove</Button>
              </Table.Cell>
            )}
          </Table.Row>
        ))}
      </Table.Body>
      <ConfirmDialog
        isShown={removing !== null}
        title={`Remove ${removing?.name ?? 'member'}?`}
        confirmLabel="Remove member"
        isConfirming={remove.isPending}
        onClose={() => setRemoving(null)}
        onConfirm={() => removing && remove.mutate({ workspaceId: workspace.id, userId: removing.userId })}
      >
        {`${removing?.email ?? ''} loses access to ${workspace.name} at once. Their account stays; you can invite them again later.`}
      </ConfirmDialog>
      <ResetSignInDialog member={resetting} onClose={() => setResetting(null)} />
    </Table>
  );
}
