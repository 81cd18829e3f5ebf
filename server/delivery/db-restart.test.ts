/**
 * Delivery through a Postgres restart: a worker process delivers under load while its own
 * embedded Postgres (not the shared test cluster) is stopped and started again on the same
 * port. Nothing may be lost, the worker must reconnect by itself (same process throughout),
 * and the tracking API must answer 503 during the outage, never 2xx.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../db/client.ts';
import { startEmbeddedPostgres, type TEmbeddedPostgres } from '../db/embedded.ts';
import { migrate } from '../db/migrate.ts';
import type { TTestDb } from '../db/test-db.ts';
import { basicAuth } from '../ingest/test-fixtures.ts';
import { startIngestTestServer, type TIngestTestServer } from '../ingest/test-server.ts';
import { startSink, type TSink } from './test-sink.ts';
import { startWorkerProcess, type TWorkerProcess } from './test-worker-process.ts';
import { createSourceWithSinks, sendEvents, waitFor } from './test-world.ts';

const FLAGS = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
const OUTAGE_MS = 4000;
const dir = path.resolve(import.meta.dirname, '../../.test-data', `restart-${randomBytes(4).toString('hex')}`);

let postgres: TEmbeddedPostgres;
let database: TTestDb;
let server: TIngestTestServer;
let worker: TWorkerProcess;
let dataDir: string;
const sinks: TSink[] = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  postgres = await startEmbeddedPostgres({ dir, flags: FLAGS });
  const url = postgres.url('switchyard');
  await migrate(url);
  const db = createDb(url, { max: 2 });
  database = { db, url, name: 'switchyard', drop: () => db.$disconnect() };
  server = await startIngestTestServer({ databaseUrl: url });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'sy-restart-'));
});
afterAll(async () => {
  await worker?.kill('SIGTERM');
  await Promise.all(sinks.map((sink) => sink.close()));
  await server?.close();
  await database?.drop();
  await postgres?.stop();
  await rm(dir, { recursive: true, force: true });
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function track(writeKey: string, messageId: string): Promise<{ status: number; retryAfter: string | null }> {
  const res = await fetch(`${server.url}/v1/track`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basicAuth(writeKey) },
    body: JSON.stringify({ userId: 'u-restart', event: 'Around a restart', messageId }),
  });
  await res.body?.cancel();
  return { status: res.status, retryAfter: res.headers.get('retry-after') };
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query<{ n: number }>(sql, params)).rows[0].n;
  } finally {
    await client.end();
  }
}

describe('delivery through a Postgres restart', () => {
  it('loses nothing, the worker reconnects by itself, and ingest answers 503 while Postgres is down', async () => {
    for (let i = 0; i < 2; i++) sinks.push(await startSink());
    const world = await createSourceWithSinks(database, sinks, { maxInFlight: 50, timeoutMs: 10_000, minBackoffSeconds: 1, maxBackoffSeconds: 2 });
    worker = startWorkerProcess({ databaseUrl: database.url, dataDir, leaseSeconds: 10 });
    await worker.ready;

    const before = await sendEvents(server, world.writeKey, 6000, 'before');
    const delivered = () => sinks.reduce((sum, sink) => sum + sink.counts.size, 0);
    await waitFor(async () => delivered() >= 1000, { what: 'deliveries to start' });

    const deliveredAtStop = delivered();
    await postgres.stop();
    const outageStatuses: number[] = [];
    const retryAfter = new Set<string | null>();
    const outageEnds = Date.now() + OUTAGE_MS;
    while (Date.now() < outageEnds) {
      const res = await track(world.writeKey, `outage-${outageStatuses.length}`);
      outageStatuses.push(res.status);
      retryAfter.add(res.retryAfter);
      await sleep(100);
    }
    const deliveredDuringOutage = delivered() - deliveredAtStop;
    const restartedAt = new Date();
    postgres = await startEmbeddedPostgres({ dir, port: postgres.port, flags: FLAGS });

    // The tracking API recovers by itself too: the first event it accepts again is counted with the rest.
    await waitFor(async () => (await track(world.writeKey, 'first-after')).status === 200, { what: 'ingest to accept events again' });
    const after = await sendEvents(server, world.writeKey, 2000, 'after');
    const accepted = before.length + 1 + after.length;

    const drained = async () => {
      if (!worker.isRunning()) throw new Error(`the worker died:\n${worker.lines.slice(-25).join('\n')}`);
      return (await count('SELECT count(*)::int AS n FROM job_queue')) === 0;
    };
    await waitFor(drained, { timeoutMs: 90_000, what: 'the queue to drain' }).catch(async (error: unknown) => {
      const left = await count('SELECT count(*)::int AS n FROM job_queue');
      const leased = await count('SELECT count(*)::int AS n FROM job_queue WHERE lease_expires_at > now()');
      throw new Error(`${(error as Error).message}: ${left} queued, ${leased} leased; worker log:\n${worker.lines.slice(-25).join('\n')}`);
    });
    const jobs = await count('SELECT count(*)::int AS n FROM jobs');
    const succeeded = await count("SELECT count(DISTINCT job_id)::int AS n FROM job_transitions WHERE state = 'succeeded'");
    // The heartbeat resumes by itself too: every 5 s, so its first beat after the restart may
    // come after the queue has drained (the failed beat during the outage waits up to 5 s).
    const beatSince = () => count('SELECT count(*)::int AS n FROM worker_heartbeats WHERE id = $1 AND last_seen_at > $2', [worker.id, restartedAt]);
    await waitFor(async () => (await beatSince()) === 1, { timeoutMs: 20_000, what: 'a heartbeat after the restart' }).catch(() => undefined);
    const beat = await beatSince();
    const duplicates = sinks.reduce((sum, sink) => sum + sink.requests.length - sink.counts.size, 0);
    console.log(
      `db restart: ${accepted} events, ${jobs} jobs; Postgres down ${OUTAGE_MS} ms (${deliveredAtStop} delivered before, ` +
        `${deliveredDuringOutage} during); ingest during the outage answered ${JSON.stringify(Object.fromEntries(outageStatuses.map((s) => [s, outageStatuses.filter((x) => x === s).length])))}; ` +
        `${duplicates} duplicate deliveries; worker ${worker.pid} log: ${worker.lines.filter((line) => /failed|reachable/.test(line)).slice(0, 3).join(' | ')}`,
    );

    expect(outageStatuses.length).toBeGreaterThan(10);
    expect(outageStatuses.every((status) => status === 503)).toBe(true);
    expect([...retryAfter]).toEqual(['5']);
    expect(jobs).toBe(2 * accepted);
    expect(succeeded).toBe(jobs);
    for (const sink of sinks) expect(sink.counts.size).toBe(accepted);
    expect(worker.isRunning()).toBe(true);
    expect(worker.lines.some((line) => /claiming failed|recording .* failed|heartbeat failed/.test(line))).toBe(true);
    expect(beat).toBe(1);
  }, 150_000);
});
