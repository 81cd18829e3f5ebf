'use client';

/**
 * "Rotate signing secret": after a confirmation that explains the 24-hour overlap, a new
 * secret is generated and shown once, in the same dialog as after creating the destination.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, KeyIcon, Pane, Paragraph, Strong, Text, toaster } from 'evergreen-ui';
import { useState } from 'react';
import { ConfirmDialog } from '../common/confirm-dialog.tsx';
import { formatDateTime } from '../common/format.ts';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { errorMessage } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';
import type { TDestination } from '../trpc/types.ts';
import { SigningSecretDialog } from './signing-secret-dialog.tsx';

export function RotateSecret({ destination }: { destination: TDestination }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { workspace, canEdit } = useWorkspace();
  const [isConfirming, setIsConfirming] = useState(false);
  const [rotated, setRotated] = useState<{ secret: string; previousValidUntil: Date } | null>(null);
  const [overlapUntil, setOverlapUntil] = useState<Date | null>(null);
  const ids = { workspaceId: workspace.id, destinationId: destination.id };
  const rotate = useMutation(
    trpc.destinations.rotateSecret.mutationOptions({
      onSuccess: async (result) => {
        setIsConfirming(false);
        setRotated({ secret: result.signingSecret, previousValidUntil: result.previousValidUntil });
        setOverlapUntil(result.previousValidUntil);
        queryClient.setQueryData(trpc.destinations.get.queryKey(ids), result.destination);
        await queryClient.invalidateQueries(trpc.destinations.list.queryFilter());
      },
      onError: (error) => toaster.danger('The signing secret could not be rotated', { description: errorMessage(error) }),
    }),
  );

  if (!canEdit) return null;
  return (
    <Pane display="flex" alignItems="center" gap={12} flexWrap="wrap" marginTop={12}>
      <Button size="small" iconBefore={KeyIcon} onClick={() => setIsConfirming(true)}>
        Rotate signing secret
      </Button>
      {overlapUntil && (
        <Text size={300} color="muted" data-testid="previous-secret-note">
          {`The previous secret also signs until ${formatDateTime(overlapUntil)}.`}
        </Text>
      )}
      <ConfirmDialog
        isShown={isConfirming}
        title={`Rotate the signing secret of “${destination.name}”?`}
        confirmLabel="Rotate secret"
        intent="none"
        isConfirming={rotate.isPending}
        onClose={() => setIsConfirming(false)}
        onConfirm={() => rotate.mutate(ids)}
      >
        <Paragraph marginBottom={12}>
          Switchyard creates a new signing secret and shows it <Strong>once</Strong>. For the next <Strong>24 hours</Strong> every request is signed with both the
          new and the current secret, so your endpoint keeps accepting requests while you deploy the new secret.
        </Paragraph>
        <Paragraph size={300} color="muted">
          After 24 hours only the new secret signs; requests checked against the old one then fail. Rotate again at any time if a secret leaked.
        </Paragraph>
      </ConfirmDialog>
      {rotated && (
        <SigningSecretDialog destinationName={destination.name} secret={rotated.secret} previousValidUntil={rotated.previousValidUntil} onDone={() => setRotated(null)} />
      )}
    </Pane>
  );
}
