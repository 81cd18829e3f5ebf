/**
 * Crash safety of delivery: 20,000 events sent through the real tracking API to 2 sinks
 * while 3 worker processes deliver them and a random one is SIGKILLed (and restarted) at
 * random intervals. Nothing may be lost: every job ends `succeeded` in the log and reaches
 * its sink; duplicates (at-least-once) are counted by webhook-id at the sinks and each one
 * must be explained by a kill, and a job that succeeded twice by a lease that had expired
 * before it was claimed again (see test-crash-audit.ts). Workers lease for 5 s here
 * (SWITCHYARD_DELIVERY_LEASE_SECONDS), which the destinations' 10 s timeout lengthens to
 * 25 s (lease.ts: a lease outlasts its requests); the audit judges by that lease.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { startIngestTestServer, type TIngestTestServer } from '../ingest/test-server.ts';
import { leaseSecondsFor } from './lease.ts';
import { auditDeliveries, INSTALL_CLAIM_LOG, type TKill } from './test-crash-audit.ts';
import { ok, startSink, type TSink } from './test-sink.ts';
import { startWorkerProcess, type TWorkerProcess } from './test-worker-process.ts';
import { createSourceWithSinks, sendEvents, waitFor } from './test-world.ts';

const EVENTS = 20_000;
const WORKERS = 3;
const KILLS = 12;
const LEASE_SECONDS = 5;
const TIMEOUT_MS = 10_000;
const MAX_IN_FLIGHT = 50;

let testDb: TTestDb;
let server: TIngestTestServer;
let pool: pg.Pool;
let dataDir: string;
const sinks: TSink[] = [];
const workers: TWorkerProcess[] = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
  pool = new pg.Pool({ connectionString: testDb.url, max: 2 });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'sy-crash-'));
});
afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.kill('SIGTERM')));
  await Promise.all(sinks.map((sink) => sink.close()));
  await server?.close();
  await pool?.end();
  await testDb?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function spawnWorker(): TWorkerProcess {
  const worker = startWorkerProcess({ databaseUrl: testDb.url, dataDir, leaseSeconds: LEASE_SECONDS });
  workers.push(worker);
  return worker;
}

/** Kills a random started worker at random intervals, restarting one each time. */
async function killAtRandom(live: TWorkerProcess[], kills: TKill[]): Promise<void> {
  while (kills.length < KILLS) {
    await sleep(500 + Math.random() * 1500);
    const candidates = live.filter((worker) => worker.id !== null);
    if (candidates.length === 0) continue;
    const victim = candidates[Math.floor(Math.random() * candidates.length)];
    const at = Date.now();
    await victim.kill('SIGKILL');
    const { rows } = await pool.query<{ job_id: string }>('SELECT job_id FROM job_queue WHERE lease_owner = $1 AND lease_expires_at > now()', [victim.id]);
    const heldDelivered = rows.filter((row) => sinks.some((sink) => sink.counts.has(row.job_id))).length;
    kills.push({ workerId: victim.id!, at, held: rows.length, heldDelivered });
    live.splice(live.indexOf(victim), 1, spawnWorker());
  }
}

describe('delivery under worker crashes', () => {
  it(`loses nothing when ${WORKERS} worker processes are SIGKILLed ${KILLS} times while delivering ${EVENTS} events to 2 sinks`, async () => {
    const started = Date.now();
    // Each sink counts the requests open at once: the destination's maxInFlight must hold
    // across workers, dead ones' leases included. (They answer at once: when leases were the
    // workers' 5 s, a delay here made requests outlive them on a loaded machine and jobs were
    // sent twice; leases now outlast the 10 s timeout. CRASH_SINK_DELAY_MS sets a delay.)
    const open = [0, 0];
    const mostOpen = [0, 0];
    for (let i = 0; i < 2; i++) {
      const sink = await startSink();
      sink.respond((request, res) => {
        mostOpen[i] = Math.max(mostOpen[i], ++open[i]);
        res.on('close', () => open[i]--);
        setTimeout(() => ok(request, res), Number(process.env.CRASH_SINK_DELAY_MS ?? 0));
      });
      sinks.push(sink);
    }
    const world = await createSourceWithSinks(testDb, sinks, { maxInFlight: MAX_IN_FLIGHT, timeoutMs: TIMEOUT_MS, minBackoffSeconds: 1, maxBackoffSeconds: 2 });
    await pool.query(INSTALL_CLAIM_LOG);

    const live = Array.from({ length: WORKERS }, () => spawnWorker());
    await Promise.all(live.map((worker) => worker.ready));
    const kills: TKill[] = [];
    // Leases: those in flight, and (at most maxInFlight more) those whose requests succeeded and are being recorded.
    let mostLeased = 0;
    const leases = setInterval(() => {
      pool
        .query<{ n: number }>('SELECT COALESCE(max(n), 0)::int AS n FROM (SELECT count(*) AS n FROM job_queue WHERE lease_expires_at > now() GROUP BY destination_id) x')
        .then(({ rows }) => (mostLeased = Math.max(mostLeased, rows[0].n)), () => undefined);
    }, 100);
    // Ingest through the tracking API (4 clients of 100-event batches) while the kills go on.
    const ingest = Promise.all(Array.from({ length: 4 }, (_, i) => sendEvents(server, world.writeKey, EVENTS / 4, `c${i}`)));
    await Promise.all([ingest, killAtRandom(live, kills)]);
    const ingestedAt = Date.now();
    await waitFor(async () => (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM job_queue')).rows[0].n === 0, { timeoutMs: 90_000, what: 'the queue to drain' });
    const drainedAt = Date.now();
    clearInterval(leases);

    const arrivals = new Map(world.destinationIds.map((id, i) => [id, sinks[i].counts]));
    const audit = await auditDeliveries({ databaseUrl: testDb.url, arrivals, kills, leaseSeconds: leaseSecondsFor({ timeoutMs: TIMEOUT_MS }, LEASE_SECONDS) });
    console.log(
      [
        `crash test: ${EVENTS} events, ${audit.jobs} jobs, ${audit.deliveries} deliveries to 2 sinks, ${WORKERS} workers`,
        `  kills: ${kills.length} (${kills.filter((kill) => kill.held > 0).length} while holding leases, ${kills.reduce((sum, kill) => sum + kill.held, 0)} leased jobs held at the kills, ${kills.reduce((sum, kill) => sum + kill.heldDelivered, 0)} of them already delivered)`,
        `  held per kill: ${kills.map((kill) => `${kill.held}/${kill.heldDelivered}`).join(' ')}`,
        `  duplicates: ${audit.duplicates} extra deliveries of ${audit.duplicatedJobs} jobs, every one explained by a kill or an expired lease; ${audit.claimsLostToKills} claims lost to kills`,
        `  succeeded again after an expired lease (at-least-once): ${audit.lateSuccesses.answerAfterLease} whose answer came after the lease, ${audit.lateSuccesses.recordedAfterLease} answered within it and recorded after`,
        `  most requests open at once at one sink: ${Math.max(...mostOpen)}; most jobs leased at once for one destination: ${mostLeased} (maxInFlight ${MAX_IN_FLIGHT})`,
        `  timing: ingest+kills ${((ingestedAt - started) / 1000).toFixed(1)} s, drained ${((drainedAt - ingestedAt) / 1000).toFixed(1)} s later`,
      ].join('\n'),
    );

    expect(kills).toHaveLength(KILLS);
    expect(Math.max(...mostOpen)).toBeLessThanOrEqual(MAX_IN_FLIGHT);
    expect(mostLeased).toBeLessThanOrEqual(2 * MAX_IN_FLIGHT);
    expect(audit.jobs).toBe(EVENTS * 2);
    expect(audit.problems.slice(0, 20)).toEqual([]);
    for (const sink of sinks) {
      expect(sink.requests.every((request) => request.isSignatureValid)).toBe(true);
      expect(sink.counts.size).toBe(EVENTS);
    }
    expect(live.every((worker) => worker.isRunning())).toBe(true);
  }, 170_000);
});
