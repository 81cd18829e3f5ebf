/** Time ranges the support screens offer, and their bounds. */
export const RANGE_OPTIONS = [
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { value: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
] as const;

export type TRangeValue = (typeof RANGE_OPTIONS)[number]['value'];

export function isRange(value: string | null): value is TRangeValue {
  return RANGE_OPTIONS.some((option) => option.value === value);
}

export function rangeLabel(value: TRangeValue): string {
  return RANGE_OPTIONS.find((option) => option.value === value)!.label;
}

export function rangeMs(value: TRangeValue): number {
  return RANGE_OPTIONS.find((option) => option.value === value)!.ms;
}
