'use client';

/** The fields of a type's settings form, generated from its schema; advanced ones fold away. */
import { Button, ChevronDownIcon, ChevronRightIcon, Pane, SelectField, TextInputField, TextareaField } from 'evergreen-ui';
import { useState, type ChangeEvent } from 'react';
import { useFieldId } from '../../common/use-field-id.ts';
import type { TFieldErrors } from '../../trpc/errors.ts';
import type { TFormField, TSettingsDraft } from './schema-form.ts';

function Field({
  field,
  value,
  error,
  maskedValue,
  onChange,
  id,
}: {
  field: TFormField;
  value: string;
  error: string | undefined;
  maskedValue: string | undefined;
  onChange: (value: string) => void;
  id: string;
}) {
  const common = { id, label: field.label, required: field.isRequired && !maskedValue, isInvalid: Boolean(error), validationMessage: error, 'data-testid': `setting-${field.name}` };
  if (field.kind === 'choice') {
    return (
      <SelectField {...common} description={field.help} value={value} onChange={(e: ChangeEvent<HTMLSelectElement>) => onChange(e.target.value)} maxWidth={420}>
        {field.choices.map((choice) => (
          <option key={choice.value} value={choice.value}>{choice.label}</option>
        ))}
      </SelectField>
    );
  }
  if (field.kind === 'multiline') {
    return (
      <TextareaField {...common} description={field.help} value={value} placeholder={field.placeholder} onChange={(e: ChangeEvent<HTMLTextAreaElement>) => onChange(e.target.value)} fontFamily="mono" maxWidth={720} />
    );
  }
  const help = field.kind === 'secret' && maskedValue ? `${field.help ?? ''} Stored: ${maskedValue}. Leave empty to keep it.`.trim() : field.help;
  return (
    <TextInputField
      {...common}
      description={help}
      type={field.kind === 'secret' ? 'password' : 'text'}
      autoComplete={field.kind === 'secret' ? 'new-password' : 'off'}
      spellCheck={false}
      placeholder={field.kind === 'secret' && maskedValue ? 'Leave empty to keep the stored value' : field.placeholder}
      value={value}
      onChange={(e: ChangeEvent<HTMLInputElement>) => onChange(e.target.value)}
      maxWidth={field.kind === 'secret' || field.name === 'endpoint' ? 560 : 420}
    />
  );
}

export function SettingsFields({
  fields,
  draft,
  errors,
  masked = {},
  onChange,
}: {
  fields: TFormField[];
  draft: TSettingsDraft;
  errors: TFieldErrors;
  /** Secret field → its masked stored value (editing). */
  masked?: Record<string, string>;
  onChange: (name: string, value: string) => void;
}) {
  const fieldId = useFieldId();
  const advanced = fields.filter((f) => f.isAdvanced);
  const hasAdvancedError = advanced.some((f) => errors[`settings.${f.name}`]);
  const [isAdvancedShown, setIsAdvancedShown] = useState(false);
  const render = (field: TFormField) => (
    <Field
      key={field.name}
      id={fieldId(`setting-${field.name}`)}
      field={field}
      value={draft[field.name] ?? ''}
      error={errors[`settings.${field.name}`]}
      maskedValue={masked[field.name]}
      onChange={(value) => onChange(field.name, value)}
    />
  );
  return (
    <>
      {fields.filter((f) => !f.isAdvanced).map(render)}
      {advanced.length > 0 && (
        <Pane marginBottom={24}>
          <Button type="button" appearance="minimal" paddingX={4} iconBefore={isAdvancedShown || hasAdvancedError ? ChevronDownIcon : ChevronRightIcon} onClick={() => setIsAdvancedShown(!isAdvancedShown)}>
            Advanced settings
          </Button>
          {(isAdvancedShown || hasAdvancedError) && (
            <Pane marginTop={12} paddingLeft={16} borderLeft="2px solid #E6E8F0">
              {advanced.map(render)}
            </Pane>
          )}
        </Pane>
      )}
    </>
  );
}
