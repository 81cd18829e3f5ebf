'use client';

/**
 * Writing one filter: a title, a condition (visual builder or raw expression: both are the
 * same language), an action, a preview against the source's recent events, and save. The
 * server checks the condition on preview and on save and says where it is wrong.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, EyeOpenIcon, FormField, Heading, Link as EvergreenLink, Pane, SelectField, Text, Textarea, TextInputField, toaster } from 'evergreen-ui';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { MONO_STYLE } from '../common/mono.ts';
import { useFieldId } from '../common/use-field-id.ts';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { errorMessage, fieldErrorsOf } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';
import type { TFilter, TFilterAction } from '../trpc/types.ts';
import { builderToText, EMPTY_ROW, type TBuilderShape } from './builder-model.ts';
import { ConditionBuilder } from './condition-builder.tsx';
import { FilterPreview } from './filter-preview.tsx';

type TActionType = TFilterAction['type'];

interface TDraft {
  title: string;
  mode: 'builder' | 'raw';
  shape: TBuilderShape;
  raw: string;
  actionType: TActionType;
  percent: string;
  samplePath: string;
  paths: string;
}

function draftOf(filter: TFilter | null): TDraft {
  const action = filter?.action;
  return {
    title: filter?.title ?? '',
    mode: filter && !filter.builder ? 'raw' : 'builder',
    shape: (filter?.builder as TBuilderShape | null) ?? { join: 'and', rows: [{ ...EMPTY_ROW }] },
    raw: filter?.if ?? '',
    actionType: action?.type ?? 'drop',
    percent: action?.type === 'sample' ? String(Math.round(action.percent * 10_000) / 100) : '10',
    samplePath: action?.type === 'sample' ? (action.path ?? '') : 'userId',
    paths: action?.type === 'drop_properties' || action?.type === 'allow_properties' ? action.paths.join(', ') : '',
  };
}

function conditionOf(draft: TDraft): string {
  return draft.mode === 'builder' ? builderToText(draft.shape) : draft.raw;
}

function actionOf(draft: TDraft): TFilterAction {
  const paths = draft.paths.split(/[\n,]/).map((p) => p.trim()).filter(Boolean);
  switch (draft.actionType) {
    case 'drop': return { type: 'drop' };
    case 'sample': return { type: 'sample', percent: Math.min(100, Math.max(0, Number(draft.percent) || 0)) / 100, ...(draft.samplePath.trim() ? { path: draft.samplePath.trim() } : {}) };
    case 'drop_properties': return { type: 'drop_properties', paths };
    case 'allow_properties': return { type: 'allow_properties', paths };
  }
}

export function FilterEditor({ destinationId, filter, onDone }: { destinationId: string; filter: TFilter | null; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { workspace } = useWorkspace();
  const fieldId = useFieldId();
  const [draft, setDraft] = useState<TDraft>(() => draftOf(filter));
  const set = (patch: Partial<TDraft>) => setDraft((current) => ({ ...current, ...patch }));
  const condition = conditionOf(draft);

  const preview = useMutation(trpc.filters.preview.mutationOptions());
  const onSaved = async () => {
    toaster.success(filter ? 'Filter saved' : 'Filter added', { description: 'It applies to new events within a few seconds.' });
    await queryClient.invalidateQueries(trpc.filters.list.queryFilter());
    onDone();
  };
  const create = useMutation(trpc.filters.create.mutationOptions({ onSuccess: onSaved }));
  const update = useMutation(trpc.filters.update.mutationOptions({ onSuccess: onSaved }));
  const saveError = create.error ?? update.error;
  const errors = { ...fieldErrorsOf(preview.error), ...fieldErrorsOf(saveError) };
  const isSaving = create.isPending || update.isPending;

  function runPreview() {
    preview.mutate({ workspaceId: workspace.id, destinationId, if: condition, action: actionOf(draft) });
  }

  function save(event: FormEvent) {
    event.preventDefault();
    const body = { workspaceId: workspace.id, title: draft.title, if: condition, action: actionOf(draft) };
    if (filter) update.mutate({ ...body, filterId: filter.id });
    else create.mutate({ ...body, destinationId });
  }

  const conditionError = errors.if;
  const pathErrors = Object.entries(errors).filter(([key]) => key.startsWith('action'));

  return (
    <Pane is="form" onSubmit={save} noValidate background="white" border="1px solid #E6E8F0" borderRadius={8} padding={28} data-testid="filter-editor">
      <Heading is="h2" size={600} marginBottom={20}>{filter ? `Edit “${filter.title}”` : 'New filter'}</Heading>
      <TextInputField
        id={fieldId('title')}
        label="Title"
        description="Say what it is for; it shows in traces and the debugger."
        placeholder="Drop internal test traffic"
        value={draft.title}
        onChange={(e: ChangeEvent<HTMLInputElement>) => set({ title: e.target.value })}
        isInvalid={Boolean(errors.title)}
        validationMessage={errors.title}
        maxWidth={520}
      />
      <FormField
        label="When"
        description={draft.mode === 'builder' ? 'Build the condition, or edit it as an expression.' : 'A filter expression, e.g. event = "Order Completed" and properties.total > 100.'}
        marginBottom={24}
      >
        {draft.mode === 'builder' ? (
          <>
            <ConditionBuilder shape={draft.shape} onChange={(shape) => set({ shape })} />
            {conditionError && (
              <Text display="block" marginTop={8} size={300} color="danger" data-testid="condition-error">{conditionError}</Text>
            )}
            <Pane marginTop={12} display="flex" alignItems="baseline" gap={8} flexWrap="wrap">
              <Text size={300} color="muted">Expression:</Text>
              <Text size={300} fontFamily="mono" data-testid="builder-expression" style={{ overflowWrap: 'anywhere' }}>{condition}</Text>
              <EvergreenLink is="button" type="button" size={300} cursor="pointer" border="none" background="none" onClick={() => set({ mode: 'raw', raw: condition })}>
                Edit as expression
              </EvergreenLink>
            </Pane>
          </>
        ) : (
          <>
            <Textarea
              id={fieldId('if')}
              aria-label="Expression"
              style={MONO_STYLE}
              value={draft.raw}
              isInvalid={Boolean(conditionError)}
              onChange={(e: ChangeEvent<HTMLTextAreaElement>) => set({ raw: e.target.value })}
              minHeight={72}
              maxWidth={720}
              data-testid="raw-expression"
            />
            {conditionError && (
              <Text display="block" marginY={6} size={300} color="danger" data-testid="condition-error">{conditionError}</Text>
            )}
            {filter?.builder === null && draft.raw === filter.if ? null : (
              <EvergreenLink is="button" type="button" size={300} cursor="pointer" border="none" background="none" padding={0} onClick={() => set({ mode: 'builder' })}>
                Back to the builder (discards expression edits)
              </EvergreenLink>
            )}
          </>
        )}
      </FormField>
      <Pane display="flex" gap={16} flexWrap="wrap" alignItems="flex-start">
        <SelectField
          id={fieldId('action')}
          label="Then"
          width={280}
          value={draft.actionType}
          onChange={(e: ChangeEvent<HTMLSelectElement>) => set({ actionType: e.target.value as TActionType })}
        >
          <option value="drop">Drop the event</option>
          <option value="sample">Keep only a sample</option>
          <option value="drop_properties">Remove properties</option>
          <option value="allow_properties">Keep only these properties</option>
        </SelectField>
        {draft.actionType === 'sample' && (
          <>
            <TextInputField id={fieldId('percent')} label="Keep (%)" type="number" min={0} max={100} width={120} value={draft.percent} onChange={(e: ChangeEvent<HTMLInputElement>) => set({ percent: e.target.value })} />
            <TextInputField
              id={fieldId('samplePath')}
              label="Sample by"
              description="The same value is always in or always out."
              width={240}
              fontFamily="mono"
              value={draft.samplePath}
              placeholder="messageId"
              onChange={(e: ChangeEvent<HTMLInputElement>) => set({ samplePath: e.target.value })}
            />
          </>
        )}
        {(draft.actionType === 'drop_properties' || draft.actionType === 'allow_properties') && (
          <TextInputField
            id={fieldId('paths')}
            label={draft.actionType === 'drop_properties' ? 'Properties to remove' : 'Properties to keep'}
            description="Comma-separated paths, e.g. properties.email, context.ip"
            width={420}
            fontFamily="mono"
            value={draft.paths}
            onChange={(e: ChangeEvent<HTMLInputElement>) => set({ paths: e.target.value })}
          />
        )}
      </Pane>
      {pathErrors.length > 0 && (
        <Alert intent="danger" title="Please check the action" marginBottom={16}>
          {pathErrors.map(([key, message]) => <div key={key}>{message}</div>)}
        </Alert>
      )}
      {saveError && !conditionError && pathErrors.length === 0 && (
        <Alert intent="danger" title="The filter could not be saved" marginBottom={16}>{errorMessage(saveError)}</Alert>
      )}
      <Pane display="flex" gap={8} marginTop={8}>
        <Button type="button" iconBefore={EyeOpenIcon} onClick={runPreview} isLoading={preview.isPending}>
          Preview on recent events
        </Button>
        <Button type="submit" appearance="primary" isLoading={isSaving}>
          {filter ? 'Save filter' : 'Add filter'}
        </Button>
        <Button type="button" appearance="minimal" onClick={onDone}>Cancel</Button>
      </Pane>
      {preview.data && !preview.isPending && (
        <Pane marginTop={20}>
          <FilterPreview preview={preview.data} />
        </Pane>
      )}
    </Pane>
  );
}
