'use client';

/** Editing a destination: sends only what changed; empty header values keep their stored secret. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { toaster } from 'evergreen-ui';
import { useState } from 'react';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { errorMessage, fieldErrorsOf, type TFieldErrors } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';
import type { TDeliveryTuning, TDestination } from '../trpc/types.ts';
import { buildPayload, deliveryDraft, draftFromDestination } from './destination-draft.ts';
import { DestinationForm } from './destination-form.tsx';

export function DestinationEdit({ destination, defaults, onDone }: { destination: TDestination; defaults: TDeliveryTuning; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { workspace } = useWorkspace();
  const [initial] = useState(() => draftFromDestination(destination));
  const [draft, setDraft] = useState(initial);
  const [localErrors, setLocalErrors] = useState<TFieldErrors | null>(null);
  const ids = { workspaceId: workspace.id, destinationId: destination.id };
  const update = useMutation(
    trpc.destinations.update.mutationOptions({
      onSuccess: async (updated) => {
        toaster.success('Destination saved');
        queryClient.setQueryData(trpc.destinations.get.queryKey(ids), updated);
        await queryClient.invalidateQueries(trpc.destinations.list.queryFilter());
        onDone();
      },
      onError: (error) => toaster.danger('The destination could not be saved', { description: errorMessage(error) }),
    }),
  );

  function onSubmit() {
    const payload = buildPayload(draft, deliveryDraft(destination.delivery));
    if (payload.errors) return setLocalErrors(payload.errors);
    setLocalErrors(null);
    const isSettingsChanged =
      payload.settings.url !== initial.url ||
      draft.headers.length !== initial.headers.length ||
      draft.headers.some((row) => row.value !== '' || row.name.trim() !== row.storedName);
    const name = draft.name.trim();
    const patch = {
      ...(name !== destination.name ? { name } : {}),
      ...(isSettingsChanged ? { settings: payload.settings } : {}),
      ...(Object.keys(payload.delivery).length > 0 ? { delivery: payload.delivery } : {}),
    };
    if (Object.keys(patch).length === 0) {
      toaster.notify('Nothing changed');
      return onDone();
    }
    update.mutate({ ...ids, ...patch });
  }

  return (
    <DestinationForm
      draft={draft}
      onChange={setDraft}
      errors={localErrors ?? fieldErrorsOf(update.error)}
      defaults={defaults}
      title="Edit destination"
      submitLabel="Save changes"
      isSubmitting={update.isPending}
      onSubmit={onSubmit}
      onCancel={onDone}
    />
  );
}
