'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Dialog, Paragraph, toaster } from 'evergreen-ui';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { NameField, nameLengthProblem } from '../common/name-field.tsx';
import { SOURCE_NAME_MAX } from './source-name.ts';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { errorMessage, fieldErrorsOf } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';
import { useFieldId } from '../common/use-field-id.ts';

export function CreateSourceDialog({ isShown, onClose }: { isShown: boolean; onClose: () => void }) {
  const fieldId = useFieldId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const { workspace, href } = useWorkspace();
  const [name, setName] = useState('');
  const create = useMutation(
    trpc.sources.create.mutationOptions({
      onSuccess: async (source) => {
        toaster.success(`Source “${source.name}” created`, { description: 'Its write key is ready to copy.' });
        await queryClient.invalidateQueries(trpc.sources.list.queryFilter());
        setName('');
        onClose();
        router.push(href('sources', source.id));
      },
      onError: (error) => {
        if (!fieldErrorsOf(error).name) toaster.danger('The source could not be created', { description: errorMessage(error) });
      },
    }),
  );

  function onSubmit(event?: FormEvent) {
    event?.preventDefault();
    if (!name.trim() || nameLengthProblem(name, SOURCE_NAME_MAX)) return;
    create.mutate({ workspaceId: workspace.id, name: name.trim() });
  }

  return (
    <Dialog
      isShown={isShown}
      title="Create source"
      confirmLabel="Create source"
      isConfirmLoading={create.isPending}
      isConfirmDisabled={!name.trim() || Boolean(nameLengthProblem(name, SOURCE_NAME_MAX))}
      onConfirm={() => onSubmit()}
      onCloseComplete={() => {
        create.reset();
        onClose();
      }}
    >
      <form onSubmit={onSubmit}>
        <Paragraph color="muted" marginBottom={16}>
          Name it after where the events come from, for example “Website” or “iOS app”. You get a write key right away.
        </Paragraph>
        <NameField
          id={fieldId('f1')}
          placeholder="Website"
          autoFocus
          value={name}
          max={SOURCE_NAME_MAX}
          onChange={(value) => {
            setName(value);
            if (create.isError) create.reset();
          }}
          serverError={fieldErrorsOf(create.error).name}
        />
      </form>
    </Dialog>
  );
}
