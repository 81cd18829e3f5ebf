/**
 * A destination type's settings form, generated from the JSON Schema the catalog serves:
 * which fields to show and how (text, secret, choice, multi-line, advanced), the checks
 * the schema states (required, length, pattern, URL, choice), run as the person types,
 * and the payload sent (a secret left empty when editing keeps its stored value).
 */
import type { TFieldErrors } from '../../trpc/errors.ts';

export interface TJsonSchemaField {
  type?: string;
  title?: string;
  description?: string;
  default?: unknown;
  enum?: string[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  placeholder?: string;
  'x-secret'?: boolean;
  'x-advanced'?: boolean;
  'x-labels'?: string[];
  'x-multiline'?: boolean;
}

export interface TSettingsSchema {
  properties?: Record<string, TJsonSchemaField>;
  required?: string[];
}

export interface TFormField {
  name: string;
  label: string;
  help: string | undefined;
  kind: 'text' | 'secret' | 'choice' | 'multiline';
  choices: Array<{ value: string; label: string }>;
  isRequired: boolean;
  isAdvanced: boolean;
  placeholder: string | undefined;
  schema: TJsonSchemaField;
}

const humanize = (name: string) => name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());

export function formFields(schema: TSettingsSchema): TFormField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {})
    .filter(([, field]) => field.type === 'string' || field.enum)
    .map(([name, field]) => ({
      name,
      label: field.title ?? humanize(name),
      help: field.description,
      kind: field.enum ? 'choice' : field['x-secret'] ? 'secret' : field['x-multiline'] ? 'multiline' : 'text',
      choices: (field.enum ?? []).map((value, i) => ({ value, label: field['x-labels']?.[i] ?? value })),
      isRequired: required.has(name),
      isAdvanced: Boolean(field['x-advanced']),
      placeholder: field.placeholder ?? (typeof field.default === 'string' && field.format === 'uri' ? field.default : undefined),
      schema: field,
    }));
}

export type TSettingsDraft = Record<string, string>;

/** A new destination's draft: defaults filled in, secrets empty. */
export function initialDraft(fields: TFormField[]): TSettingsDraft {
  return Object.fromEntries(fields.map((f) => [f.name, typeof f.schema.default === 'string' ? f.schema.default : '']));
}

/** An existing destination's draft: its stored values; secrets empty (empty keeps the stored secret). */
export function draftFromSettings(fields: TFormField[], settings: Record<string, unknown>): TSettingsDraft {
  return Object.fromEntries(fields.map((f) => [f.name, f.kind === 'secret' ? '' : typeof settings[f.name] === 'string' ? (settings[f.name] as string) : typeof f.schema.default === 'string' ? f.schema.default : '']));
}

function checkField(field: TFormField, raw: string, hasStoredSecret: boolean): string | undefined {
  const value = raw.trim();
  if (value === '') {
    if (field.kind === 'secret' && hasStoredSecret) return undefined;
    return field.isRequired ? `${field.label} is required` : undefined;
  }
  const { schema } = field;
  if (schema.enum && !schema.enum.includes(value)) return `Choose one of ${field.choices.map((c) => c.label).join(', ')}`;
  if (schema.minLength !== undefined && value.length < schema.minLength) return `${field.label} is too short`;
  if (schema.maxLength !== undefined && value.length > schema.maxLength) return `${field.label} is longer than ${schema.maxLength} characters`;
  if (schema.format === 'uri') {
    try {
      const url = new URL(value);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'Use an http:// or https:// URL';
    } catch {
      return 'Enter a full URL, e.g. https://api.example.com';
    }
  }
  if (schema.pattern && !new RegExp(schema.pattern).test(value)) return `${field.label} does not look right`;
  return undefined;
}

/** Field errors under `settings.<name>` (the keys the server uses too). */
export function checkDraft(fields: TFormField[], draft: TSettingsDraft, storedSecrets: ReadonlySet<string> = new Set()): TFieldErrors {
  const errors: TFieldErrors = {};
  for (const field of fields) {
    const message = checkField(field, draft[field.name] ?? '', storedSecrets.has(field.name));
    if (message) errors[`settings.${field.name}`] = message;
  }
  return errors;
}

/**
 * What to send: trimmed values. Empty secrets are left out (on edit: the stored one is
 * kept). Empty other fields are left out when creating, and sent empty when editing, so a
 * person can clear an optional setting.
 */
export function settingsPayload(fields: TFormField[], draft: TSettingsDraft, { isEdit = false } = {}): Record<string, string> {
  const payload: Record<string, string> = {};
  for (const field of fields) {
    const value = (draft[field.name] ?? '').trim();
    if (value !== '') payload[field.name] = field.kind === 'multiline' ? (draft[field.name] ?? '') : value;
    else if (isEdit && field.kind !== 'secret' && !field.isRequired && !field.schema.default) payload[field.name] = '';
  }
  return payload;
}

/** Choosing a region moves the endpoint to that region's host (the person can still change it after). */
export function withRegion(draft: TSettingsDraft, region: string, regions: Record<string, string> | null): TSettingsDraft {
  const next: TSettingsDraft = { ...draft, region };
  if (regions?.[region] && 'endpoint' in draft) next.endpoint = regions[region];
  return next;
}
