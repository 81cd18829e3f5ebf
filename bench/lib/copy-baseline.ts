/**
 * The ceilings to compare ingest with, 10,000 events a transaction, one connection, rows
 * built before timing:
 *  - `eventsPerSecond`: a raw COPY of the same rows ingest writes (event, its identity rows,
 *    dedupe entry, 2 jobs, 2 due-work rows per event) into the same tables;
 *  - `eventOnlyPerSecond`: a raw COPY of only the event rows into a table shaped like
 *    `events` with only its primary key (no secondary index, not partitioned), created for
 *    the measurement and dropped after it: the least any design must write per event.
 */
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { emailsOf, identitiesOf, identityKey } from '../../server/traces/identity.ts';
import { eventJson } from './events.ts';

const esc = (text: string) => text.replace(/\\/g, '\\\\');

async function copy(client: pg.PoolClient, sql: string, rows: string[]): Promise<void> {
  await pipeline(Readable.from([rows.join('')]), client.query(copyFrom(sql)));
}

export async function copyBaseline({ databaseUrl, workspaceId, sourceId, destinationIds, events, cpuSeconds }: {
  databaseUrl: string;
  workspaceId: string;
  sourceId: string;
  destinationIds: string[];
  events: number;
  /** CPU seconds used so far by Postgres (to report each COPY's CPU per event). */
  cpuSeconds?: () => number;
}): Promise<{ eventsPerSecond: number; eventOnlyPerSecond: number; cpuUsPerEvent: number; eventOnlyCpuUsPerEvent: number }> {
  const cpu = cpuSeconds ?? (() => NaN);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const client = await pool.connect();
  const chunk = 10_000;
  // Build every row before timing, so only the database work is measured.
  const chunks: Array<{ ev: string[]; ids: string[]; dd: string[]; jobs: string[]; queue: string[] }> = [];
  for (let done = 0; done < events; done += chunk) {
    const ev: string[] = [], ids: string[] = [], dd: string[] = [], jobs: string[] = [], queue: string[] = [];
    const now = new Date().toISOString();
    for (let i = 0; i < Math.min(chunk, events - done); i++) {
      const id = randomUUID();
      const messageId = `copy-${id}`;
      const json = eventJson();
      ev.push(`${id}\t${workspaceId}\t${sourceId}\t${messageId}\ttrack\tOrder Completed\tuser-${i}\t\\N\t${now}\t${now}\t${now}\t${now}\t${esc(json)}\t{"routing":{}}\n`);
      for (const identity of identitiesOf({ messageId, userId: `user-${i}`, anonymousId: null, emails: emailsOf(JSON.parse(json) as Record<string, unknown>) })) ids.push(`${identityKey(workspaceId, identity)}\t${now}\t${id}\n`);
      dd.push(`${sourceId}\t${messageId}\t${now}\n`);
      for (const destinationId of destinationIds) {
        const jobId = randomUUID();
        jobs.push(`${jobId}\t${now}\t${workspaceId}\t${sourceId}\t${destinationId}\t${id}\t${now}\t${now}\n`);
        queue.push(`${jobId}\t${now}\t${destinationId}\t${sourceId}\t${now}\n`);
      }
    }
    chunks.push({ ev, ids, dd, jobs, queue });
  }
  const started = performance.now();
  const cpuStarted = cpu();
  for (const { ev, ids, dd, jobs, queue } of chunks) {
    await client.query('BEGIN');
    await copy(client, 'COPY event_dedupe (source_id, message_id, received_at) FROM STDIN', dd);
    await copy(client, 'COPY events (id, workspace_id, source_id, message_id, type, name, user_id, anonymous_id, received_at, sent_at, original_timestamp, "timestamp", payload, pipeline) FROM STDIN', ev);
    await copy(client, 'COPY event_identities (identity, received_at, event_id) FROM STDIN', ids);
    await copy(client, 'COPY jobs (id, created_at, workspace_id, source_id, destination_id, event_id, event_received_at, expire_at) FROM STDIN', jobs);
    await copy(client, 'COPY job_queue (job_id, job_created_at, destination_id, source_id, run_at) FROM STDIN', queue);
    await client.query('COMMIT');
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuUsed = cpu() - cpuStarted;

  await client.query('DROP TABLE IF EXISTS bench_event_copy');
  await client.query('CREATE TABLE bench_event_copy (LIKE events INCLUDING DEFAULTS, PRIMARY KEY (received_at, id))');
  const eventOnlyStarted = performance.now();
  const eventOnlyCpuStarted = cpu();
  for (const { ev } of chunks) {
    await client.query('BEGIN');
    await copy(client, 'COPY bench_event_copy (id, workspace_id, source_id, message_id, type, name, user_id, anonymous_id, received_at, sent_at, original_timestamp, "timestamp", payload, pipeline) FROM STDIN', ev);
    await client.query('COMMIT');
  }
  const eventOnlySeconds = (performance.now() - eventOnlyStarted) / 1000;
  const eventOnlyCpuUsed = cpu() - eventOnlyCpuStarted;
  await client.query('DROP TABLE bench_event_copy');
  client.release();
  await pool.end();
  return { eventsPerSecond: events / seconds, eventOnlyPerSecond: events / eventOnlySeconds, cpuUsPerEvent: (cpuUsed * 1e6) / events, eventOnlyCpuUsPerEvent: (eventOnlyCpuUsed * 1e6) / events };
}
