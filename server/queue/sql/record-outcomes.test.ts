/**
 * The rollups the record statement writes from groups made in JS (rollupGroups) are exactly
 * what a GROUP BY over the recorded transitions gives: counts, latency sums and maxima, and
 * the histogram with Postgres's own width_bucket, per minute and per hour.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../../db/test-db.ts';
import { histogramSql } from '../../traces/latency-buckets.ts';
import { recordOutcomes, type TOutcomeRow } from './record-outcomes.ts';

let testDb: TTestDb;
let pool: pg.Pool;

beforeAll(async () => {
  testDb = await createTestDb();
  pool = new pg.Pool({ connectionString: testDb.url, max: 2 });
});

afterAll(async () => {
  await pool?.end();
  await testDb?.drop();
});

/** 400 outcomes over two destinations and three minutes of the current hour, with latencies on and around every bucket bound. */
function outcomes(destinations: string[]): TOutcomeRow[] {
  const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
  const latencies = [null, 0, 4, 5, 9, 10, 24, 25, 99, 100, 250, 999, 1000, 4999, 5000, 29_999, 30_000, 45_000];
  const kinds = [
    { state: 'succeeded', status_code: 200, error_code: null },
    { state: 'awaiting_retry', status_code: 503, error_code: null },
    { state: 'awaiting_retry', status_code: null, error_code: 'ECONNREFUSED' },
    { state: 'skipped', status_code: null, error_code: 'SKIPPED' },
  ] as const;
  return Array.from({ length: 400 }, (_, i) => {
    const kind = kinds[i % kinds.length];
    return {
      job_id: randomUUID(),
      job_created_at: new Date(hour).toISOString(),
      destination_id: destinations[i % 2],
      source_id: destinations[2],
      attempt: 1 + (i % 5),
      state: kind.state,
      at: new Date(hour + [0, 61_000, 58 * 60_000 + 999][i % 3] + (i % 7) * 1000).toISOString(),
      status_code: kind.status_code,
      error_code: kind.error_code,
      latency_ms: latencies[i % latencies.length],
      response_excerpt: null,
      retry_at: kind.state === 'awaiting_retry' ? new Date(hour + 3_600_000).toISOString() : null,
      worker_id: 'w-test',
      explanation: null,
      request: null,
    };
  });
}

describe('recordOutcomes rollups', () => {
  it('equal a GROUP BY over the recorded transitions, per minute and per hour', async () => {
    const destinations = [randomUUID(), randomUUID(), randomUUID()];
    const rows = outcomes(destinations);
    // Two batches, so the second one adds to rows the first one wrote.
    await recordOutcomes(pool, rows.slice(0, 150));
    await recordOutcomes(pool, rows.slice(150));
    const expected = (bucket: 'minute' | 'hour') => /* sql */ `
      SELECT destination_id, date_trunc('${bucket}', at) AS at, state AS outcome, COALESCE(status_code, 0) AS status_code, COALESCE(error_code, '') AS error_code, attempt,
             count(*)::int AS count, COALESCE(sum(latency_ms), 0)::bigint AS latency_sum_ms, COALESCE(max(latency_ms), 0) AS latency_max_ms, ${histogramSql('latency_ms')} AS latency_buckets
        FROM job_transitions WHERE destination_id = ANY($1::uuid[])
       GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6`;
    const written = (table: string, bucket: 'minute' | 'hour') => /* sql */ `
      SELECT destination_id, ${bucket} AS at, outcome, status_code, error_code, attempt, count, latency_sum_ms, latency_max_ms, latency_buckets
        FROM ${table} WHERE destination_id = ANY($1::uuid[]) ORDER BY 1, 2, 3, 4, 5, 6`;
    const transitions = await pool.query('SELECT count(*)::int AS n FROM job_transitions WHERE destination_id = ANY($1::uuid[])', [destinations]);
    expect(transitions.rows[0].n).toBe(400);
    for (const [table, bucket] of [['delivery_rollups', 'minute'], ['delivery_rollups_hourly', 'hour']] as const) {
      const want = (await pool.query(expected(bucket), [destinations])).rows;
      const got = (await pool.query(written(table, bucket), [destinations])).rows;
      expect(want.length).toBeGreaterThanOrEqual(bucket === 'minute' ? 60 : 20);
      expect(got).toEqual(want);
    }
  });
});
