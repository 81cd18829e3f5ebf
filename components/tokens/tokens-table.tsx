'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Pane, Table, Text, toaster } from 'evergreen-ui';
import { useState } from 'react';
import { ConfirmDialog } from '../common/confirm-dialog.tsx';
import { formatDate, formatDateTime, formatRelative } from '../common/format.ts';
import { RoleBadge } from '../common/roles.tsx';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { errorMessage } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';
import type { TApiToken } from '../trpc/types.ts';

export function TokensTable({ tokens }: { tokens: TApiToken[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { workspace } = useWorkspace();
  const [revoking, setRevoking] = useState<TApiToken | null>(null);
  const revoke = useMutation(
    trpc.tokens.revoke.mutationOptions({
      onSuccess: async () => {
        toaster.success(`Token “${revoking?.name ?? ''}” revoked`, { description: 'Requests with it are refused from now on.' });
        setRevoking(null);
        await queryClient.invalidateQueries(trpc.tokens.list.queryFilter());
      },
      onError: (error) => toaster.danger('The token could not be revoked', { description: errorMessage(error) }),
    }),
  );

  return (
    <Pane border="1px solid #E6E8F0" borderRadius={8} overflow="hidden" background="white">
      <Table data-testid="tokens-table">
        <Table.Head height={40} background="#F9FAFC">
          <Table.TextHeaderCell flexGrow={2}>Name</Table.TextHeaderCell>
          <Table.TextHeaderCell>Prefix</Table.TextHeaderCell>
          <Table.TextHeaderCell flexBasis={110} flexGrow={0}>Role</Table.TextHeaderCell>
          <Table.TextHeaderCell>Created</Table.TextHeaderCell>
          <Table.TextHeaderCell>Last used</Table.TextHeaderCell>
          <Table.TextHeaderCell flexBasis={120} flexGrow={0} aria-label="Status" />
        </Table.Head>
        <Table.Body>
          {tokens.map((token) => (
            <Table.Row key={token.id} height={52} data-testid="token-row" opacity={token.revokedAt ? 0.6 : 1}>
              <Table.TextCell flexGrow={2} textProps={{ fontWeight: 500 }}>{token.name}</Table.TextCell>
              <Table.Cell>
                <Text size={300} fontFamily="mono">{`${token.prefix}…`}</Text>
              </Table.Cell>
              <Table.Cell flexBasis={110} flexGrow={0}>
                <RoleBadge role={token.role} />
              </Table.Cell>
              <Table.TextCell>{formatDate(token.createdAt)}</Table.TextCell>
              <Table.TextCell>
                {token.lastUsedAt ? <span title={formatDateTime(token.lastUsedAt)}>{formatRelative(token.lastUsedAt)}</span> : 'Never'}
              </Table.TextCell>
              <Table.Cell flexBasis={120} flexGrow={0} justifyContent="flex-end">
                {token.revokedAt ? (
                  <Badge color="red" title={`Revoked ${formatDateTime(token.revokedAt)}`}>Revoked</Badge>
                ) : (
                  <Button size="small" intent="danger" appearance="minimal" onClick={() => setRevoking(token)}>Revoke</Button>
                )}
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
      <ConfirmDialog
        isShown={revoking !== null}
        title={`Revoke “${revoking?.name ?? ''}”?`}
        confirmLabel="Revoke token"
        isConfirming={revoke.isPending}
        onClose={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate({ workspaceId: workspace.id, tokenId: revoking.id })}
      >
        {`Scripts using ${revoking?.prefix ?? ''}… get 401 errors from now on. This cannot be undone.`}
      </ConfirmDialog>
    </Pane>
  );
}
