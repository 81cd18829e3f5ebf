/**
 * The one job insert. Ingest (server/ingest/sql/insert-events.ts, inside its one-statement
 * flush), replays and re-sends all place these CTEs in their statement: an immutable `jobs`
 * row plus its due-work `job_queue` row, due at once. The columns are listed once here, for
 * the INSERT, for the JSON rows a blocked-event replay sends (`jobRowJson`) and for the
 * `jsonb_to_recordset` that reads them back (`jobRecordset`). The tracking API's flush sends
 * no job rows: it makes them in SQL from each event's destinations.
 */

/** A job's columns and their SQL types, in the order of the INSERT and of the `rows` SELECT. */
export const JOB_COLUMNS = [
  ['id', 'uuid'], ['created_at', 'timestamptz'], ['workspace_id', 'uuid'], ['source_id', 'uuid'], ['destination_id', 'uuid'],
  ['event_id', 'uuid'], ['event_received_at', 'timestamptz'], ['expire_at', 'timestamptz'], ['payload', 'jsonb'],
] as const;

/** One row of `jobRowJson`'s JSON (what `jobRecordset` reads): timestamps as ISO text, the payload as JSON. */
export interface TJobRow {
  id: string;
  created_at: string;
  workspace_id: string;
  source_id: string;
  destination_id: string;
  event_id: string;
  event_received_at: string;
  expire_at: string;
  payload: unknown;
}

/** `jsonb_to_recordset(<json>) AS <alias>(…)`: reads an array of `TJobRow`s. */
export function jobRecordset(json: string, alias: string): string {
  return `jsonb_to_recordset(${json}) AS ${alias}(${JOB_COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ')})`;
}

/**
 * Two CTEs: `<name>` inserts the jobs `rows` selects (a SELECT of JOB_COLUMNS, in order) and
 * returns (id, created_at, destination_id, source_id); `<name>_queued` puts each into
 * job_queue, due now, and returns job_id.
 */
export function insertJobsSql({ name, rows }: { name: string; rows: string }): string {
  return `${name} AS (
  INSERT INTO jobs (${JOB_COLUMNS.map(([column]) => column).join(', ')})
  ${rows.trim()}
  RETURNING id, created_at, destination_id, source_id
),
${name}_queued AS (
  INSERT INTO job_queue (job_id, job_created_at, destination_id, source_id, run_at)
  SELECT id, created_at, destination_id, source_id, created_at FROM ${name}
  RETURNING job_id
)`;
}

/** One job as JSON text (a TJobRow), built by hand. `payloadJson` is JSON text already, or null. */
export function jobRowJson(job: { id: string; createdAt: Date; workspaceId: string; sourceId: string; destinationId: string; eventId: string; eventReceivedAt: Date; expireAt: Date; payloadJson: string | null }): string {
  return `{"id":"${job.id}","created_at":"${job.createdAt.toISOString()}","workspace_id":"${job.workspaceId}","source_id":"${job.sourceId}","destination_id":"${job.destinationId}","event_id":"${job.eventId}","event_received_at":"${job.eventReceivedAt.toISOString()}","expire_at":"${job.expireAt.toISOString()}","payload":${job.payloadJson ?? 'null'}}`;
}
