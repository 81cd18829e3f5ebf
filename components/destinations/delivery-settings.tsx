'use client';

/** "Advanced delivery settings": the destination's delivery tuning, folded away until needed. */
import { ChevronDownIcon, ChevronRightIcon, Pane, Text, TextInputField } from 'evergreen-ui';
import { useState, type ChangeEvent } from 'react';
import type { TFieldErrors } from '../trpc/errors.ts';
import type { TDeliveryTuning } from '../trpc/types.ts';
import { DELIVERY_FIELDS, formatDeliveryValue } from './delivery-fields.ts';
import type { TDeliveryDraft } from './destination-draft.ts';
import { useFieldId } from '../common/use-field-id.ts';

export function DeliverySettings({
  draft,
  defaults,
  onChange,
  errors,
  isDisabled,
}: {
  draft: TDeliveryDraft;
  defaults: TDeliveryTuning;
  onChange: (draft: TDeliveryDraft) => void;
  errors: TFieldErrors;
  isDisabled?: boolean;
}) {
  const fieldId = useFieldId();
  const hasErrors = DELIVERY_FIELDS.some((f) => errors[`delivery.${f.key}`]) || Boolean(errors.delivery);
  const [isOpen, setIsOpen] = useState(false);
  const isShown = isOpen || hasErrors;
  const Chevron = isShown ? ChevronDownIcon : ChevronRightIcon;
  return (
    <Pane border="1px solid #E6E8F0" borderRadius={6} marginBottom={24} data-testid="delivery-settings">
      <Pane is="button" type="button" width="100%" display="flex" alignItems="center" gap={8} padding={12} background="#F9FAFC" border="none" borderRadius={6} cursor="pointer" onClick={() => setIsOpen(!isShown)} aria-expanded={isShown}>
        <Chevron size={14} color="muted" />
        <Text fontWeight={600}>Advanced delivery settings</Text>
        <Text size={300} color="muted">
          concurrency, rate limit, timeout and retries
        </Text>
      </Pane>
      {isShown && (
        <Pane padding={16} paddingBottom={0} display="grid" gridTemplateColumns="repeat(auto-fill, minmax(240px, 1fr))" columnGap={24}>
          {DELIVERY_FIELDS.map((field) => {
            const error = errors[`delivery.${field.key}`];
            return (
              <TextInputField id={fieldId(field.key)}
                key={field.key}
                label={`${field.label} (${field.unit})`}
                description={field.hint}
                hint={`Default: ${formatDeliveryValue(field, defaults[field.key])}`}
                inputMode="decimal"
                placeholder={field.key === 'ratePerSecond' ? 'No limit' : undefined}
                value={draft[field.key]}
                disabled={isDisabled}
                isInvalid={Boolean(error)}
                validationMessage={error}
                onChange={(e: ChangeEvent<HTMLInputElement>) => onChange({ ...draft, [field.key]: e.target.value })}
              />
            );
          })}
          {errors.delivery && (
            <Text size={300} color="danger" marginBottom={16} role="alert">
              {errors.delivery}
            </Text>
          )}
        </Pane>
      )}
    </Pane>
  );
}
