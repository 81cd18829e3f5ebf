'use client';

/** A row of toggle buttons for a time range ("1 h · 24 h · 7 d · 30 d", optionally "Custom"). */
import { Button, Group } from 'evergreen-ui';
import { RANGE_OPTIONS, type TRangeValue } from './range.ts';

const SHORT: Record<TRangeValue, string> = { '1h': '1 h', '24h': '24 h', '7d': '7 d', '30d': '30 d' };

export function RangePicker<T extends TRangeValue | 'custom'>({ value, onChange, hasCustom = false, label = 'Time range' }: { value: T; onChange: (value: T) => void; hasCustom?: boolean; label?: string }) {
  const options = [...RANGE_OPTIONS.map((o) => ({ value: o.value as T, label: SHORT[o.value], title: o.label })), ...(hasCustom ? [{ value: 'custom' as T, label: 'Custom', title: 'A range you choose' }] : [])];
  return (
    <Group aria-label={label} role="group">
      {options.map((option) => (
        <Button
          key={option.value}
          type="button"
          height={32}
          title={option.title}
          appearance={option.value === value ? 'primary' : 'default'}
          aria-pressed={option.value === value}
          onClick={() => onChange(option.value)}
          data-testid={`range-${option.value}`}
        >
          {option.label}
        </Button>
      ))}
    </Group>
  );
}
