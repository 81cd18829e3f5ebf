'use client';

/** Counts over time as a row of small bars (oldest left); the title says what the bars span. */
export function Sparkline({ values, title, width = 112, height = 24, color = '#D14343' }: { values: number[]; title: string; width?: number; height?: number; color?: string }) {
  const max = Math.max(1, ...values);
  const step = width / Math.max(1, values.length);
  const bar = Math.max(1, step - 1);
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} data-testid="sparkline">
      <title>{title}</title>
      <line x1={0} y1={height - 0.5} x2={width} y2={height - 0.5} stroke="#E6E8F0" />
      {values.map((value, i) =>
        value === 0 ? null : (
          <rect key={i} x={i * step} y={height - Math.max(2, (value / max) * height)} width={bar} height={Math.max(2, (value / max) * height)} fill={color} rx={1} />
        ),
      )}
    </svg>
  );
}
