'use client';

/** Rename, enable/disable and delete a source. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Pane, Paragraph, Strong, Switch, Text, toaster } from 'evergreen-ui';
import { useRouter } from 'next/navigation';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { Card } from '../common/card.tsx';
import { ConfirmDialog } from '../common/confirm-dialog.tsx';
import { NameField, nameLengthProblem } from '../common/name-field.tsx';
import { SOURCE_NAME_MAX } from './source-name.ts';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { errorMessage, fieldErrorsOf } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';
import type { TSource } from '../trpc/types.ts';
import { useFieldId } from '../common/use-field-id.ts';

export function SourceSettingsCard({ source }: { source: TSource }) {
  const fieldId = useFieldId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const { workspace, canEdit, href } = useWorkspace();
  const [name, setName] = useState(source.name);
  const [isDeleting, setIsDeleting] = useState(false);
  const ids = { workspaceId: workspace.id, sourceId: source.id };

  const update = useMutation(
    trpc.sources.update.mutationOptions({
      onSuccess: async (updated, input) => {
        toaster.success(input.enabled === undefined ? 'Source renamed' : updated.enabled ? 'Source enabled' : 'Source disabled');
        setName(updated.name);
        await queryClient.invalidateQueries(trpc.sources.pathFilter());
      },
      onError: (error) => {
        if (!fieldErrorsOf(error).name) toaster.danger('The source could not be saved', { description: errorMessage(error) });
      },
    }),
  );
  const remove = useMutation(
    trpc.sources.delete.mutationOptions({
      onSuccess: async () => {
        toaster.success(`Source “${source.name}” deleted`);
        await queryClient.invalidateQueries(trpc.sources.pathFilter());
        await queryClient.invalidateQueries(trpc.destinations.pathFilter());
        router.push(href('sources'));
      },
      onError: (error) => toaster.danger('The source could not be deleted', { description: errorMessage(error) }),
    }),
  );

  function onRename(event: FormEvent) {
    event.preventDefault();
    update.mutate({ ...ids, name: name.trim() });
  }

  const nameError = fieldErrorsOf(update.error).name;
  const isRenamed = name.trim() !== source.name && name.trim().length > 0 && !nameLengthProblem(name, SOURCE_NAME_MAX);

  return (
    <>
      <Card title="Settings" testId="source-settings">
        <form onSubmit={onRename}>
          <Pane display="flex" alignItems="flex-start" gap={12} maxWidth={560}>
            <NameField
              id={fieldId('f1')}
              flex={1}
              value={name}
              max={SOURCE_NAME_MAX}
              isDisabled={!canEdit}
              onChange={(value) => {
                setName(value);
                if (update.isError) update.reset();
              }}
              serverError={nameError}
            />
            {canEdit && (
              <Button type="submit" marginTop={24} disabled={!isRenamed} isLoading={update.isPending && update.variables?.name !== undefined}>
                Rename
              </Button>
            )}
          </Pane>
        </form>
        <Pane display="flex" alignItems="center" gap={12} marginTop={24}>
          <Switch
            checked={source.enabled}
            disabled={!canEdit || update.isPending}
            onChange={(e: ChangeEvent<HTMLInputElement>) => update.mutate({ ...ids, enabled: e.target.checked })}
            id={fieldId('enabled')}
            data-testid="source-enabled"
          />
          <Pane>
            <Text is="label" htmlFor={fieldId('enabled')} fontWeight={500} display="block">
              Accept events
            </Text>
            <Text size={300} color="muted">
              While a source is disabled, Switchyard rejects events sent with its write keys.
            </Text>
          </Pane>
        </Pane>
      </Card>
      {canEdit && (
        <Card title="Delete source" intent="danger" description="Deletes the source, its write keys and its destinations. Apps still sending with its keys get errors.">
          <Button intent="danger" onClick={() => setIsDeleting(true)}>
            Delete source…
          </Button>
        </Card>
      )}
      <ConfirmDialog
        isShown={isDeleting}
        title={`Delete “${source.name}”?`}
        confirmLabel="Delete source"
        isConfirming={remove.isPending}
        onClose={() => setIsDeleting(false)}
        onConfirm={() => remove.mutate(ids)}
      >
        <Paragraph marginBottom={8}>
          This deletes <Strong>{source.name}</Strong>, its {source.writeKeys.filter((k) => !k.revokedAt).length} active write key(s) and its{' '}
          {source.destinationCount} destination(s).
        </Paragraph>
        <Paragraph>Events sent with its write keys will be rejected. This cannot be undone.</Paragraph>
      </ConfirmDialog>
    </>
  );
}
