'use client';

/** The webhook destination form, used to create and to edit. Server field errors appear next to their fields. */
import { Alert, Button, Heading, Pane, SelectField, TextInputField } from 'evergreen-ui';
import type { ChangeEvent, FormEvent } from 'react';
import type { TFieldErrors } from '../trpc/errors.ts';
import type { TDeliveryTuning } from '../trpc/types.ts';
import { DeliverySettings } from './delivery-settings.tsx';
import type { TDestinationDraft } from './destination-draft.ts';
import { HeadersEditor } from './headers-editor.tsx';
import { useFieldId } from '../common/use-field-id.ts';

const KNOWN_FIELDS = /^(name|sourceId|settings\.url|settings\.headers(\..*)?|delivery(\..*)?)$/;

export function DestinationForm({
  draft,
  onChange,
  errors,
  defaults,
  sources,
  submitLabel,
  isSubmitting,
  onSubmit,
  onCancel,
  title,
}: {
  draft: TDestinationDraft;
  onChange: (draft: TDestinationDraft) => void;
  errors: TFieldErrors;
  defaults: TDeliveryTuning;
  /** Offered when creating; an existing destination stays with its source. */
  sources?: { id: string; name: string }[];
  submitLabel: string;
  isSubmitting: boolean;
  onSubmit: () => void;
  onCancel: () => void;
  title?: string;
}) {
  const fieldId = useFieldId();
  const set = (patch: Partial<TDestinationDraft>) => onChange({ ...draft, ...patch });
  const otherErrors = Object.entries(errors).filter(([key]) => !KNOWN_FIELDS.test(key));

  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit();
  }

  return (
    <Pane is="form" onSubmit={submit} noValidate background="white" border="1px solid #E6E8F0" borderRadius={8} padding={28} data-testid="destination-form">
      {title && (
        <Heading is="h2" size={600} marginBottom={20}>
          {title}
        </Heading>
      )}
      {otherErrors.length > 0 && (
        <Alert intent="danger" title="Please check these settings" marginBottom={20}>
          {otherErrors.map(([key, message]) => (
            <div key={key}>{`${key}: ${message}`}</div>
          ))}
        </Alert>
      )}
      {sources && (
        <SelectField id={fieldId('f1')}
          label="Source"
          description="Events from this source are delivered to the destination."
          value={draft.sourceId}
          onChange={(e: ChangeEvent<HTMLSelectElement>) => set({ sourceId: e.target.value })}
          isInvalid={Boolean(errors.sourceId)}
          validationMessage={errors.sourceId}
          maxWidth={420}
        >
          {sources.map((source) => (
            <option key={source.id} value={source.id}>
              {source.name}
            </option>
          ))}
        </SelectField>
      )}
      <TextInputField id={fieldId('f2')}
        label="Name"
        placeholder="e.g. Data warehouse webhook"
        maxLength={80}
        value={draft.name}
        onChange={(e: ChangeEvent<HTMLInputElement>) => set({ name: e.target.value })}
        isInvalid={Boolean(errors.name)}
        validationMessage={errors.name}
        maxWidth={420}
      />
      <TextInputField id={fieldId('f3')}
        maxWidth={720}
        label="Webhook URL"
        description="Switchyard POSTs each event as JSON to this address, signed the Standard Webhooks way."
        placeholder="https://example.com/hooks/switchyard"
        type="url"
        value={draft.url}
        onChange={(e: ChangeEvent<HTMLInputElement>) => set({ url: e.target.value })}
        isInvalid={Boolean(errors['settings.url'])}
        validationMessage={errors['settings.url']}
      />
      <Pane maxWidth={720}>
        <HeadersEditor rows={draft.headers} onChange={(headers) => set({ headers })} errors={errors} />
        <DeliverySettings draft={draft.delivery} defaults={defaults} onChange={(delivery) => set({ delivery })} errors={errors} />
      </Pane>
      <Pane display="flex" gap={8} borderTop="1px solid #EDEFF5" paddingTop={20}>
        <Button type="submit" appearance="primary" isLoading={isSubmitting}>
          {submitLabel}
        </Button>
        <Button type="button" onClick={onCancel} disabled={isSubmitting}>
          Cancel
        </Button>
      </Pane>
    </Pane>
  );
}
