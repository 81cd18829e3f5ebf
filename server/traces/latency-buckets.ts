/**
 * The latency histogram the rollups keep per row: counts per bucket, so charts compute
 * p50 / p95 / p99 from rollups without reading attempts. Bucket i holds latencies in
 * [BOUNDS[i-1], BOUNDS[i]) ms (bucket 0 below 5 ms, the last one 30 s and above), which is
 * exactly what Postgres's width_bucket(latency, BOUNDS) numbers them.
 */
export const LATENCY_BOUNDS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000] as const;
export const LATENCY_BUCKETS = LATENCY_BOUNDS_MS.length + 1;

/** The bucket of one latency, as Postgres's width_bucket(latency, BOUNDS) numbers it: how many bounds are at or below it. */
export function latencyBucket(ms: number): number {
  let bucket = 0;
  while (bucket < LATENCY_BOUNDS_MS.length && ms >= LATENCY_BOUNDS_MS[bucket]) bucket++;
  return bucket;
}

/** SQL for an int[] histogram of `column` over the rows of a GROUP BY (one count per bucket). */
export function histogramSql(column: string): string {
  const bounds = `ARRAY[${LATENCY_BOUNDS_MS.join(',')}]`;
  const parts = Array.from({ length: LATENCY_BUCKETS }, (_, i) => `count(*) FILTER (WHERE width_bucket(${column}, ${bounds}) = ${i})::int`);
  return `ARRAY[${parts.join(', ')}]`;
}

/** SQL adding two histograms element by element (either may be empty, from rows written before histograms existed). */
export function addHistogramsSql(a: string, b: string): string {
  return `ARRAY(SELECT COALESCE(x, 0) + COALESCE(y, 0) FROM unnest(${a}, ${b}) AS h(x, y))`;
}

/** Adds histogram b into a (in place); arrays shorter than LATENCY_BUCKETS count as zeros. */
export function addHistograms(a: number[], b: readonly number[]): number[] {
  for (let i = 0; i < LATENCY_BUCKETS; i++) a[i] = (a[i] ?? 0) + (b[i] ?? 0);
  return a;
}

/**
 * The latency below which `quantile` of the counted requests fall, interpolated linearly
 * inside its bucket (the last bucket reports its lower bound). Null when nothing was counted.
 */
export function percentileMs(histogram: readonly number[], quantile: number): number | null {
  const total = histogram.reduce((sum, n) => sum + (n ?? 0), 0);
  if (total === 0) return null;
  const rank = quantile * total;
  let seen = 0;
  for (let i = 0; i < LATENCY_BUCKETS; i++) {
    const n = histogram[i] ?? 0;
    if (n > 0 && seen + n >= rank) {
      const low = i === 0 ? 0 : LATENCY_BOUNDS_MS[i - 1];
      if (i === LATENCY_BUCKETS - 1) return low;
      const high = LATENCY_BOUNDS_MS[i];
      return Math.round(low + ((rank - seen) / n) * (high - low));
    }
    seen += n;
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1];
}
