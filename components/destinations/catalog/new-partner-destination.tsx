'use client';

/** Step two of "Add destination": what the tool does, its settings form, the sources it listens to. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Checkbox, FormField, Heading, Link as EvergreenLink, Pane, Paragraph, Text, TextInputField, toaster } from 'evergreen-ui';
import { useRouter } from 'next/navigation';
import { useMemo, useState, type ChangeEvent, type FormEvent } from 'react';
import { useFieldId } from '../../common/use-field-id.ts';
import { useWorkspace } from '../../shell/workspace-context.tsx';
import { errorMessage, fieldErrorsOf, type TFieldErrors } from '../../trpc/errors.ts';
import { useTRPC } from '../../trpc/provider.tsx';
import type { TDestinationTypeInfo } from '../../trpc/types.ts';
import { CallBadges, TypeLogo } from './catalog-browser.tsx';
import { checkDraft, formFields, initialDraft, settingsPayload, withRegion, type TSettingsSchema } from './schema-form.ts';
import { SettingsFields } from './settings-fields.tsx';

export function TypeIntro({ info }: { info: TDestinationTypeInfo }) {
  return (
    <Pane display="flex" gap={20} background="white" border="1px solid #E6E8F0" borderRadius={8} padding={24} marginBottom={20} data-testid="type-intro">
      <TypeLogo info={info} size={56} />
      <Pane minWidth={0}>
        <Heading size={600} marginBottom={6}>{info.name}</Heading>
        <Paragraph color="#474d66" marginBottom={12} maxWidth={760}>{info.about}</Paragraph>
        <Pane display="flex" alignItems="center" gap={8} flexWrap="wrap">
          <Text size={300} color="muted">Takes these calls:</Text>
          <CallBadges supports={info.supports} />
          {info.docsUrl && (
            <EvergreenLink href={info.docsUrl} target="_blank" rel="noreferrer" size={300} marginLeft={8}>
              {`${info.name} documentation`}
            </EvergreenLink>
          )}
        </Pane>
      </Pane>
    </Pane>
  );
}

export function NewPartnerDestination({ info, sources, initialSourceId, onBack }: { info: TDestinationTypeInfo; sources: { id: string; name: string }[]; initialSourceId: string | null; onBack: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { workspace, href } = useWorkspace();
  const fieldId = useFieldId();
  const fields = useMemo(() => formFields(info.settingsSchema as TSettingsSchema), [info]);
  const [name, setName] = useState(info.name);
  const [draft, setDraft] = useState(() => initialDraft(fields));
  const [sourceIds, setSourceIds] = useState<string[]>(() => [initialSourceId && sources.some((s) => s.id === initialSourceId) ? initialSourceId : sources[0].id]);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [isSubmitted, setIsSubmitted] = useState(false);
  const create = useMutation(trpc.destinations.create.mutationOptions());
  const [isSaving, setIsSaving] = useState(false);

  const checks = checkDraft(fields, draft);
  if (!name.trim()) checks.name = 'Name is required';
  if (sourceIds.length === 0) checks.sourceId = 'Choose at least one source';
  const shownErrors: TFieldErrors = {
    ...Object.fromEntries(Object.entries(checks).filter(([key]) => isSubmitted || touched.has(key))),
    ...fieldErrorsOf(create.error),
  };
  const otherErrors = Object.entries(fieldErrorsOf(create.error)).filter(([key]) => !key.startsWith('settings.') && key !== 'name' && key !== 'sourceId');

  function change(field: string, value: string) {
    setTouched((t) => new Set(t).add(`settings.${field}`));
    create.reset();
    setDraft((d) => (field === 'region' ? withRegion(d, value, info.regions) : { ...d, [field]: value }));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setIsSubmitted(true);
    if (Object.keys(checks).length > 0) return;
    setIsSaving(true);
    const created: string[] = [];
    try {
      for (const sourceId of sourceIds) {
        const result = await create.mutateAsync({ workspaceId: workspace.id, sourceId, type: info.type, name: name.trim(), settings: settingsPayload(fields, draft) });
        created.push(result.id);
      }
      toaster.success(sourceIds.length > 1 ? `${info.name} added to ${sourceIds.length} sources` : `${info.name} added`, { description: 'Send a test event to check the settings.' });
      await queryClient.invalidateQueries(trpc.destinations.pathFilter());
      await queryClient.invalidateQueries(trpc.sources.pathFilter());
      router.push(created.length === 1 ? `${href('destinations', created[0])}?test=1` : href('destinations'));
    } catch (error) {
      toaster.danger(`${info.name} could not be added`, { description: errorMessage(error) });
    } finally {
      setIsSaving(false);
    }
  }

  return (
    <>
      <TypeIntro info={info} />
      <Pane is="form" onSubmit={submit} noValidate background="white" border="1px solid #E6E8F0" borderRadius={8} padding={28} data-testid="destination-form">
        <Heading is="h2" size={600} marginBottom={20}>{`Connect ${info.name}`}</Heading>
        {otherErrors.length > 0 && (
          <Alert intent="danger" title="Please check these settings" marginBottom={20}>
            {otherErrors.map(([key, message]) => <div key={key}>{`${key}: ${message}`}</div>)}
          </Alert>
        )}
        <FormField label="Sources" description="Events from each source you tick are delivered to this destination." isInvalid={Boolean(shownErrors.sourceId)} validationMessage={shownErrors.sourceId} marginBottom={24}>
          {sources.map((source) => (
            <Checkbox
              key={source.id}
              label={source.name}
              checked={sourceIds.includes(source.id)}
              onChange={(e: ChangeEvent<HTMLInputElement>) => {
                setTouched((t) => new Set(t).add('sourceId'));
                setSourceIds((ids) => (e.target.checked ? [...ids, source.id] : ids.filter((id) => id !== source.id)));
              }}
              marginY={6}
            />
          ))}
        </FormField>
        <TextInputField
          id={fieldId('name')}
          label="Name"
          description="How this destination is listed in Switchyard."
          maxLength={80}
          value={name}
          onChange={(e: ChangeEvent<HTMLInputElement>) => {
            setTouched((t) => new Set(t).add('name'));
            setName(e.target.value);
          }}
          isInvalid={Boolean(shownErrors.name)}
          validationMessage={shownErrors.name}
          maxWidth={420}
        />
        <SettingsFields fields={fields} draft={draft} errors={shownErrors} onChange={change} />
        <Pane display="flex" gap={8} borderTop="1px solid #EDEFF5" paddingTop={20}>
          <Button type="submit" appearance="primary" isLoading={isSaving}>Save destination</Button>
          <Button type="button" onClick={onBack} disabled={isSaving}>Back to the catalog</Button>
        </Pane>
      </Pane>
    </>
  );
}
