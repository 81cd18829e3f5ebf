'use client';

/** A source's write keys: copy, add a second key, revoke an old one (rotation without downtime). */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Pane, PlusIcon, Text, toaster, Tooltip } from 'evergreen-ui';
import { useState } from 'react';
import { Card } from '../common/card.tsx';
import { ConfirmDialog } from '../common/confirm-dialog.tsx';
import { CopyField } from '../common/copy-field.tsx';
import { formatDateTime, formatRelative } from '../common/format.ts';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { errorMessage } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';
import type { TSource, TWriteKey } from '../trpc/types.ts';
import { RevokedKeys } from './revoked-keys.tsx';

export function WriteKeysCard({ source }: { source: TSource }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { workspace, canEdit } = useWorkspace();
  const [revoking, setRevoking] = useState<TWriteKey | null>(null);
  const active = source.writeKeys.filter((k) => !k.revokedAt);
  const revoked = source.writeKeys.filter((k) => k.revokedAt);
  const refresh = () => queryClient.invalidateQueries(trpc.sources.pathFilter());

  const add = useMutation(
    trpc.sources.addWriteKey.mutationOptions({
      onSuccess: async () => {
        toaster.success('New write key added', { description: 'Both keys work now. Revoke the old one once your apps use the new key.' });
        await refresh();
      },
      onError: (error) => toaster.danger('The key could not be added', { description: errorMessage(error) }),
    }),
  );
  const revoke = useMutation(
    trpc.sources.revokeWriteKey.mutationOptions({
      onSuccess: async () => {
        toaster.success('Write key revoked', { description: 'Events sent with it are now rejected.' });
        setRevoking(null);
        await refresh();
      },
      onError: (error) => toaster.danger('The key could not be revoked', { description: errorMessage(error) }),
    }),
  );

  return (
    <Card
      title="Write keys"
      testId="write-keys"
      description="Your code sends events with a write key. To rotate without downtime, add a second key, deploy it, then revoke the old one — both work in between."
      actions={
        canEdit ? (
          <Button iconBefore={PlusIcon} onClick={() => add.mutate({ workspaceId: workspace.id, sourceId: source.id })} isLoading={add.isPending}>
            Add a key
          </Button>
        ) : null
      }
    >
      <Pane display="flex" flexDirection="column" gap={12}>
        {active.map((key) => (
          <Pane key={key.id} data-testid="write-key-row" display="flex" alignItems="center" gap={16} flexWrap="wrap">
            <Pane flex="1 1 360px" minWidth={0}>
              <CopyField value={key.key} testId="write-key" />
            </Pane>
            <Text size={300} color="muted" width={150} title={formatDateTime(key.createdAt)}>
              Added {formatRelative(key.createdAt)}
            </Text>
            {canEdit && (
              <Tooltip content={active.length <= 1 ? 'A source needs one active key. Add another key first.' : 'Stop accepting events sent with this key'}>
                <Pane>
                  <Button intent="danger" appearance="minimal" disabled={active.length <= 1} onClick={() => setRevoking(key)}>
                    Revoke
                  </Button>
                </Pane>
              </Tooltip>
            )}
          </Pane>
        ))}
      </Pane>
      {revoked.length > 0 && <RevokedKeys keys={revoked} />}
      <ConfirmDialog
        isShown={revoking !== null}
        title="Revoke this write key?"
        confirmLabel="Revoke key"
        isConfirming={revoke.isPending}
        onClose={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate({ workspaceId: workspace.id, sourceId: source.id, writeKeyId: revoking.id })}
      >
        {`Events sent with ${revoking ? `${revoking.key.slice(0, 12)}…` : 'this key'} will be rejected from now on. Make sure every app of “${source.name}” uses another key. This cannot be undone.`}
      </ConfirmDialog>
    </Card>
  );
}
