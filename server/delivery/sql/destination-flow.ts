/**
 * The statements behind `destination_flow` (see flow.ts): each worker updates a
 * destination's row under its row lock (so two workers' outcomes add up, never overwrite),
 * and the claim statement reads it.
 */

/** $1 destination ids: make sure each existing destination has a row (never waits on others). */
export const ENSURE_FLOWS = /* sql */ `
INSERT INTO destination_flow (destination_id, window_started_at, recent_started_at, updated_at)
SELECT d.id, now(), now(), now() FROM destinations d WHERE d.id = ANY($1::uuid[])
ON CONFLICT (destination_id) DO NOTHING
`;

/** $1 destination ids, sorted (a fixed lock order: two workers never deadlock). Also Postgres' clock. */
export const LOCK_FLOWS = /* sql */ `
SELECT f.*, clock_timestamp() AS db_now FROM destination_flow f
 WHERE f.destination_id = ANY($1::uuid[])
 ORDER BY f.destination_id
   FOR UPDATE
`;

/** The state's columns (TFlowState in server/queue/flow-state.ts, in snake case) and their types. */
export const FLOW_COLUMNS = [
  ['concurrency', 'float8'], ['rate', 'float8'], ['rate_step', 'float8'], ['limit_reason', 'text'], ['limit_changed_at', 'timestamptz'],
  ['last_decrease_at', 'timestamptz'], ['last_increase_at', 'timestamptz'], ['last_throttled_at', 'timestamptz'],
  ['paused_until', 'timestamptz'], ['pause_reason', 'text'],
  ['window_started_at', 'timestamptz'], ['window_attempts', 'int'], ['window_failures', 'int'], ['window_successes', 'int'], ['previous_attempts', 'int'], ['previous_failures', 'int'], ['previous_successes', 'int'],
  ['recent_started_at', 'timestamptz'], ['recent_attempts', 'int'], ['recent_rate', 'float8'],
  ['breaker_opened_at', 'timestamptz'], ['breaker_reason', 'text'], ['next_probe_at', 'timestamptz'], ['probe_delay_ms', 'int'], ['probe_claimed_at', 'timestamptz'],
  ['held_code', 'text'], ['held_reason', 'text'], ['held_at', 'timestamptz'], ['held_settings_at', 'timestamptz'],
  ['load_sample_started_at', 'timestamptz'], ['load_sample_attempts', 'int'], ['load_sample_overloaded', 'int'],
] as const;

/** $1 a JSON array of rows (flow-store.ts `toRow`): writes each destination's new state. */
export const WRITE_FLOWS = /* sql */ `
UPDATE destination_flow f
   SET ${FLOW_COLUMNS.map(([name]) => `${name} = x.${name}`).join(', ')}, updated_at = now()
  FROM jsonb_to_recordset($1::jsonb) AS x(destination_id uuid, ${FLOW_COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ')})
 WHERE f.destination_id = x.destination_id
`;
