/** How each delivery setting is named and explained, and a one-line summary of all of them. */
import { formatSeconds } from '../common/format.ts';
import type { TDeliveryTuning } from '../trpc/types.ts';
import type { TDeliveryKey } from './destination-draft.ts';

export interface TDeliveryField {
  key: TDeliveryKey;
  label: string;
  hint: string;
  unit: string;
  format: (value: number) => string;
}

const plain = (value: number) => value.toLocaleString('en-GB');

export const DELIVERY_FIELDS: TDeliveryField[] = [
  { key: 'maxInFlight', label: 'Concurrent requests', hint: 'Requests in flight to this destination at most (1–1000).', unit: 'requests', format: plain },
  { key: 'ratePerSecond', label: 'Rate limit', hint: 'Requests per second at most. Leave empty for no limit.', unit: 'per second', format: plain },
  { key: 'timeoutMs', label: 'Request timeout', hint: 'Time allowed for one request (500–120000 ms).', unit: 'ms', format: (ms) => (ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`) },
  { key: 'retryWindowSeconds', label: 'Retry window', hint: 'How long an event is retried before it is archived.', unit: 'seconds', format: formatSeconds },
  { key: 'minBackoffSeconds', label: 'First retry after', hint: 'Delay before the first retry; later retries back off exponentially.', unit: 'seconds', format: formatSeconds },
  { key: 'maxBackoffSeconds', label: 'Longest retry delay', hint: 'Retries never wait longer than this.', unit: 'seconds', format: formatSeconds },
];

export function formatDeliveryValue(field: TDeliveryField, value: number | null): string {
  if (value === null) return 'No limit';
  return field.format(value);
}

export function summariseDelivery(tuning: TDeliveryTuning): string {
  return [
    `${tuning.maxInFlight} in flight`,
    tuning.ratePerSecond === null ? 'no rate limit' : `${tuning.ratePerSecond}/s`,
    `${formatDeliveryValue(DELIVERY_FIELDS[2], tuning.timeoutMs)} timeout`,
    `retries for ${formatSeconds(tuning.retryWindowSeconds)}`,
  ].join(' · ');
}
