/**
 * Delivery work for the benchmarks, written straight into the tables the tracking API
 * fills (events, jobs, job_queue; one job per event and destination):
 *  - fillBacklog: a backlog by COPY, 10,000 events a transaction, before the engine starts;
 *  - feedAtRate: a constant rate while the engine runs, one small transaction every 20 ms,
 *    catching up when a tick is late so the average rate holds.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { NOTIFY_JOBS_DUE } from '../../server/queue/jobs-due.ts';
import { identityRowsSql, INSERT_IDENTITIES_OF_EVENTS } from '../../server/traces/sql/identity-rows.ts';
import { eventJson } from './events.ts';

export interface TTarget {
  databaseUrl: string;
  workspaceId: string;
  sourceId: string;
  destinationIds: string[];
}

const esc = (text: string) => text.replace(/\\/g, '\\\\');

async function copy(client: pg.Client, sql: string, rows: string[]): Promise<void> {
  await pipeline(Readable.from([rows.join('')]), client.query(copyFrom(sql)));
}

/** Writes `events` events and one due job per (event, destination). Returns the number of jobs. */
export async function fillBacklog({ databaseUrl, workspaceId, sourceId, destinationIds, events }: TTarget & { events: number }): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (let done = 0; done < events; done += 10_000) {
      const ev: string[] = [], jobs: string[] = [], queue: string[] = [];
      const now = new Date().toISOString();
      const expire = new Date(Date.now() + 4 * 3600_000).toISOString();
      for (let i = 0; i < Math.min(10_000, events - done); i++) {
        const id = randomUUID();
        ev.push(`${id}\t${workspaceId}\t${sourceId}\tbacklog-${id}\ttrack\tOrder Completed\tuser-${i % 1000}\t\\N\t${now}\t${now}\t${now}\t${now}\t${esc(eventJson())}\t{}\n`);
        for (const destinationId of destinationIds) {
          const jobId = randomUUID();
          jobs.push(`${jobId}\t${now}\t${workspaceId}\t${sourceId}\t${destinationId}\t${id}\t${now}\t${expire}\n`);
          queue.push(`${jobId}\t${now}\t${destinationId}\t${sourceId}\t${now}\n`);
        }
      }
      await client.query('BEGIN');
      await copy(client, 'COPY events (id, workspace_id, source_id, message_id, type, name, user_id, anonymous_id, received_at, sent_at, original_timestamp, "timestamp", payload, pipeline) FROM STDIN', ev);
      // What ingest writes with each event: its identity rows (support search and privacy deletions find events by them).
      await client.query(INSERT_IDENTITIES_OF_EVENTS, [ev.map((line) => line.slice(0, line.indexOf('\t')))]);
      await copy(client, 'COPY jobs (id, created_at, workspace_id, source_id, destination_id, event_id, event_received_at, expire_at) FROM STDIN', jobs);
      await copy(client, 'COPY job_queue (job_id, job_created_at, destination_id, source_id, run_at) FROM STDIN', queue);
      await client.query('COMMIT');
    }
    await client.query('ANALYZE events; ANALYZE jobs; ANALYZE job_queue');
  } finally {
    await client.end();
  }
  return events * destinationIds.length;
}

const FEED = /* sql */ `
WITH ev AS (
  INSERT INTO events (id, workspace_id, source_id, message_id, type, name, user_id, received_at, "timestamp", payload)
  SELECT gen_random_uuid(), $1, $2, 'feed-' || gen_random_uuid(), 'track', 'Order Completed', 'user-feed', now(), now(), p::jsonb
    FROM unnest($4::text[]) AS p
  RETURNING id, received_at, workspace_id, message_id, type, user_id, anonymous_id, payload
),
identities AS (
  INSERT INTO event_identities (identity, received_at, event_id)
  SELECT r.identity, r.received_at, r.id FROM (${identityRowsSql('ev')}) r
),
jb AS (
  INSERT INTO jobs (id, created_at, workspace_id, source_id, destination_id, event_id, event_received_at, expire_at)
  SELECT gen_random_uuid(), now(), $1, $2, d, ev.id, ev.received_at, now() + interval '4 hours'
    FROM ev CROSS JOIN unnest($3::uuid[]) AS d
  RETURNING id, created_at, destination_id, source_id
)
INSERT INTO job_queue (job_id, job_created_at, destination_id, source_id, run_at)
SELECT id, created_at, destination_id, source_id, created_at FROM jb`;

/**
 * Feeds events (each to every destination) at `jobsPerSecond` jobs/s until `until()` says
 * stop. Returns the jobs fed; `progress.jobs` counts them as it goes.
 */
export async function feedAtRate({ databaseUrl, workspaceId, sourceId, destinationIds, jobsPerSecond, until, progress = { jobs: 0 } }: TTarget & { jobsPerSecond: number; until: () => boolean; progress?: { jobs: number } }): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const eventsPerSecond = jobsPerSecond / destinationIds.length;
  const started = performance.now();
  let fed = 0;
  try {
    while (!until()) {
      const due = Math.floor(((performance.now() - started) / 1000) * eventsPerSecond) - fed;
      if (due > 0) {
        const payloads = Array.from({ length: Math.min(due, 5000) }, () => eventJson());
        await client.query(FEED, [workspaceId, sourceId, destinationIds, payloads]);
        // Like the tracking API's writer: tell idle workers, after the commit.
        await client.query(NOTIFY_JOBS_DUE);
        fed += payloads.length;
        progress.jobs = fed * destinationIds.length;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await client.end();
  }
  return fed * destinationIds.length;
}
