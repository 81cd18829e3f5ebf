/**
 * The destination form's state and how it becomes an API payload: header values left
 * empty on edit keep the stored value (sent as null), and only the delivery settings
 * someone changed are sent.
 */
import type { TFieldErrors } from '../trpc/errors.ts';
import type { TDeliveryTuning, TDeliveryTuningInput, TDestination } from '../trpc/types.ts';
import { webhookSettingsOf } from './webhook-view.ts';

export interface THeaderRow {
  id: string;
  name: string;
  value: string;
  /** The header's name when it was loaded; its value is kept when left empty under that name. */
  storedName: string | null;
  maskedValue: string | null;
}

export type TDeliveryKey = keyof TDeliveryTuning;
export type TDeliveryDraft = Record<TDeliveryKey, string>;

export interface TDestinationDraft {
  sourceId: string;
  name: string;
  url: string;
  headers: THeaderRow[];
  delivery: TDeliveryDraft;
}

export const DELIVERY_KEYS: TDeliveryKey[] = ['maxInFlight', 'ratePerSecond', 'timeoutMs', 'retryWindowSeconds', 'minBackoffSeconds', 'maxBackoffSeconds'];

let rowCounter = 0;
export function newHeaderRow(name = '', value = ''): THeaderRow {
  rowCounter += 1;
  return { id: `header-${rowCounter}`, name, value, storedName: null, maskedValue: null };
}

export function deliveryDraft(tuning: TDeliveryTuning): TDeliveryDraft {
  return Object.fromEntries(DELIVERY_KEYS.map((key) => [key, tuning[key] === null ? '' : String(tuning[key])])) as TDeliveryDraft;
}

export function emptyDraft(sourceId: string, defaults: TDeliveryTuning): TDestinationDraft {
  return { sourceId, name: '', url: '', headers: [], delivery: deliveryDraft(defaults) };
}

export function draftFromDestination(destination: TDestination): TDestinationDraft {
  return {
    sourceId: destination.sourceId,
    name: destination.name,
    url: webhookSettingsOf(destination).url,
    headers: Object.entries(webhookSettingsOf(destination).headers).map(([name, masked]) => ({ ...newHeaderRow(name), storedName: name, maskedValue: masked })),
    delivery: deliveryDraft(destination.delivery),
  };
}

export function isStoredHeader(row: THeaderRow): boolean {
  return row.storedName !== null && row.storedName === row.name.trim();
}

/** The ranges the API accepts (it checks them again), so mistakes show before saving. */
const RANGES: Record<TDeliveryKey, [number, number]> = {
  maxInFlight: [1, 1000],
  ratePerSecond: [0.001, 100_000],
  timeoutMs: [500, 120_000],
  retryWindowSeconds: [60, 7 * 86_400],
  minBackoffSeconds: [1, 86_400],
  maxBackoffSeconds: [1, 86_400],
};

function parseDelivery(key: TDeliveryKey, raw: string): { value?: number | null; error?: string } {
  const text = raw.trim();
  if (key === 'ratePerSecond' && text === '') return { value: null };
  if (text === '') return { error: 'Enter a value' };
  const value = Number(text);
  if (!Number.isFinite(value)) return { error: 'Enter a number' };
  if (key !== 'ratePerSecond' && !Number.isInteger(value)) return { error: 'Enter a whole number' };
  const [min, max] = RANGES[key];
  if (value < min || value > max) {
    return { error: key === 'ratePerSecond' ? `Enter more than 0 and at most ${max.toLocaleString('en-GB')}` : `Enter a number from ${min.toLocaleString('en-GB')} to ${max.toLocaleString('en-GB')}` };
  }
  return { value };
}

function checkUrl(raw: string): string | undefined {
  const text = raw.trim();
  if (!text) return 'URL is required';
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'Use an http:// or https:// URL';
  } catch {
    return 'Enter a full URL, e.g. https://example.com/hooks';
  }
  return undefined;
}

/** Builds the payload, or the field errors found before asking the server. */
export function buildPayload(
  draft: TDestinationDraft,
  baseline: TDeliveryDraft,
): { errors: TFieldErrors } | { errors: null; settings: { url: string; headers: Record<string, string | null> }; delivery: TDeliveryTuningInput } {
  const errors: TFieldErrors = {};
  if (!draft.name.trim()) errors.name = 'Name is required';
  const urlError = checkUrl(draft.url);
  if (urlError) errors['settings.url'] = urlError;
  const headers: Record<string, string | null> = {};
  for (const row of draft.headers) {
    const name = row.name.trim();
    if (!name && !row.value) continue;
    if (!name) errors[`settings.headers.${row.id}`] = 'needs a name';
    else if (name in headers) errors[`settings.headers.${name}`] = 'is listed twice';
    else if (row.value === '' && !isStoredHeader(row)) errors[`settings.headers.${name}`] = 'needs a value';
    else headers[name] = row.value === '' ? null : row.value;
  }
  const delivery: TDeliveryTuningInput = {};
  for (const key of DELIVERY_KEYS) {
    if (draft.delivery[key].trim() === baseline[key].trim()) continue;
    const parsed = parseDelivery(key, draft.delivery[key]);
    if (parsed.error) errors[`delivery.${key}`] = parsed.error;
    else Object.assign(delivery, { [key]: parsed.value });
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { errors: null, settings: { url: draft.url.trim(), headers }, delivery };
}

/** The error shown next to a header row (keyed by its name, or by its row id before it has one). */
export function headerError(errors: TFieldErrors, row: THeaderRow): string | undefined {
  return errors[`settings.headers.${row.name.trim()}`] ?? errors[`settings.headers.${row.id}`];
}
