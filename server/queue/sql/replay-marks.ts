/**
 * A replay or a re-send leaves a mark in the destination's hourly rollups: a `replayed` row
 * (status 0, attempt 0) counting the jobs it queued that hour. The charts and the overview
 * leave `replayed` rows out of their figures. The support search reads the marks as a coarse
 * index of when a destination's old jobs were replayed: a job's own transitions are looked
 * for only up to a week after its window (server/traces/sql/search.ts), so the `replayed`
 * transition of a later replay is found through the hour it left here instead.
 */
import { sqlStates } from '../job-states.ts';

/** A CTE named `name` that marks, per destination, the jobs `rows` yields (a select of destination_id). */
export function replayMarkSql({ name, rows }: { name: string; rows: string }): string {
  return `${name} AS (
  INSERT INTO delivery_rollups_hourly AS r (destination_id, hour, outcome, status_code, error_code, attempt, count, latency_sum_ms, latency_max_ms)
  SELECT m.destination_id, date_trunc('hour', now()), ${sqlStates('replayed')}, 0, '', 0, count(*), 0, 0
    FROM (${rows}) m
   GROUP BY m.destination_id
  ON CONFLICT (destination_id, hour, outcome, status_code, error_code, attempt) DO UPDATE SET count = r.count + excluded.count
  RETURNING 1
)`;
}
