'use client';

/** Editing a partner destination: its settings form filled in; a secret left empty keeps its stored value. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Heading, Pane, TextInputField, toaster } from 'evergreen-ui';
import { useMemo, useState, type ChangeEvent, type FormEvent } from 'react';
import { useFieldId } from '../common/use-field-id.ts';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { errorMessage, fieldErrorsOf } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';
import type { TDestination, TDestinationTypeInfo } from '../trpc/types.ts';
import { checkDraft, draftFromSettings, formFields, settingsPayload, withRegion, type TSettingsSchema } from './catalog/schema-form.ts';
import { SettingsFields } from './catalog/settings-fields.tsx';

export function PartnerEdit({ destination, info, onDone }: { destination: TDestination; info: TDestinationTypeInfo; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { workspace } = useWorkspace();
  const fieldId = useFieldId();
  const fields = useMemo(() => formFields(info.settingsSchema as TSettingsSchema), [info]);
  const masked = useMemo(
    () => Object.fromEntries(fields.filter((f) => f.kind === 'secret' && typeof destination.settings[f.name] === 'string').map((f) => [f.name, destination.settings[f.name] as string])),
    [fields, destination.settings],
  );
  const [name, setName] = useState(destination.name);
  const [draft, setDraft] = useState(() => draftFromSettings(fields, destination.settings));
  const [isSubmitted, setIsSubmitted] = useState(false);
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
  const checks = checkDraft(fields, draft, new Set(Object.keys(masked)));
  if (!name.trim()) checks.name = 'Name is required';
  const errors = { ...(isSubmitted ? checks : Object.fromEntries(Object.entries(checks).filter(([k]) => (k === 'name' ? name !== destination.name : (draft[k.slice(9)] ?? '') !== '')))), ...fieldErrorsOf(update.error) };

  function submit(event: FormEvent) {
    event.preventDefault();
    setIsSubmitted(true);
    if (Object.keys(checks).length > 0) return;
    update.mutate({ ...ids, ...(name.trim() !== destination.name ? { name: name.trim() } : {}), settings: settingsPayload(fields, draft, { isEdit: true }) });
  }

  return (
    <Pane is="form" onSubmit={submit} noValidate background="white" border="1px solid #E6E8F0" borderRadius={8} padding={28} data-testid="destination-form">
      <Heading is="h2" size={600} marginBottom={20}>{`Edit ${info.name} settings`}</Heading>
      <TextInputField id={fieldId('name')} label="Name" maxLength={80} value={name} onChange={(e: ChangeEvent<HTMLInputElement>) => setName(e.target.value)} isInvalid={Boolean(errors.name)} validationMessage={errors.name} maxWidth={420} />
      <SettingsFields
        fields={fields}
        draft={draft}
        errors={errors}
        masked={masked}
        onChange={(field, value) => {
          update.reset();
          setDraft((d) => (field === 'region' ? withRegion(d, value, info.regions) : { ...d, [field]: value }));
        }}
      />
      <Pane display="flex" gap={8} borderTop="1px solid #EDEFF5" paddingTop={20}>
        <Button type="submit" appearance="primary" isLoading={update.isPending}>Save changes</Button>
        <Button type="button" onClick={onDone} disabled={update.isPending}>Cancel</Button>
      </Pane>
    </Pane>
  );
}
