/**
 * Delivery soak (`npm run bench -- soak`): BENCH_SOAK_MINUTES (default 30) of jobs fed at
 * half the engine's measured rate (or BENCH_SOAK_RATE jobs/s) to a sink that answers 5 %
 * of requests with a 503 (BENCH_SOAK_FAIL_RATE), so retries, rescheduling and the dead
 * tuples they leave are part of the load. Prints the sizes and dead tuples of the delivery
 * tables at the start and the end, one progress line a minute, and `figure` lines.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { feedAtRate, fillBacklog } from './lib/backlog.ts';
import { pointDestinationsAt, recordedLatency, startBenchEngine } from './lib/engine-run.ts';
import { figure, measureDrain, note, openCounter, sleep } from './lib/measure.ts';
import { setupBenchDatabase } from './lib/setup.ts';
import { startBenchSink } from './lib/sink.ts';
import { printTableStats, tableStats } from './lib/table-stats.ts';

const MINUTES = Number(process.env.BENCH_SOAK_MINUTES ?? 30);
const FAIL_RATE = Number(process.env.BENCH_SOAK_FAIL_RATE ?? 0.05);
const CALIBRATION_JOBS = 40_000;

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').trim();

const PROGRESS = /* sql */ `
SELECT (SELECT count(*) FROM job_queue) AS queued,
       (SELECT count(*) FROM job_queue WHERE run_at <= now() AND (lease_expires_at IS NULL OR lease_expires_at < now())) AS due,
       (SELECT COALESCE(extract(epoch FROM now() - min(run_at)), 0) FROM job_queue WHERE run_at <= now() AND lease_expires_at IS NULL) AS lag_s,
       (SELECT COALESCE(sum(count), 0) FROM delivery_rollups WHERE outcome = 'succeeded') AS succeeded,
       (SELECT COALESCE(sum(count), 0) FROM delivery_rollups WHERE outcome = 'awaiting_retry') AS retried`;

export async function benchSoak(): Promise<void> {
  const database = await setupBenchDatabase({ flags: ['-c', 'track_commit_timestamp=on'] });
  const sink = await startBenchSink({ failRate: FAIL_RATE });
  const url = database.url;
  const target = { databaseUrl: url, workspaceId: database.fixture.workspaceId, sourceId: database.fixture.sourceId, destinationIds: database.fixture.destinations.map((d) => d.id) };
  const monitor = new pg.Client({ connectionString: url });
  await monitor.connect();
  const { engine, stop } = await startBenchEngine(url);
  try {
    await pointDestinationsAt({ databaseUrl: url, destinationIds: target.destinationIds, url: sink.url, delivery: { maxInFlight: 1000, timeoutMs: 10_000 } });
    let rate = Number(process.env.BENCH_SOAK_RATE ?? 0);
    if (!rate) {
      const jobs = await fillBacklog({ ...target, events: CALIBRATION_JOBS / target.destinationIds.length });
      const succeeded = await openCounter(url, "SELECT count(*) AS n FROM job_transitions WHERE state = 'succeeded'");
      const drain = await measureDrain({ count: succeeded.count, total: jobs * (1 - FAIL_RATE), label: 'calibration' });
      await succeeded.close();
      rate = drain.perSecond / 2;
      note(`soak: calibration drained at ${drain.perSecond.toFixed(0)} deliveries/s (${FAIL_RATE * 100} % answered 503)`);
    }
    await sleep(5000);
    note(`soak: ${MINUTES} min at ${rate.toFixed(0)} jobs/s, ${FAIL_RATE * 100} % 503s at the sink; load ${loadavg()}`);
    const before = await tableStats(url);
    printTableStats('start', before, note);

    const started = Date.now();
    const since = new Date(started);
    const ends = started + MINUTES * 60_000;
    const progress = { jobs: 0 };
    const feeding = feedAtRate({ ...target, jobsPerSecond: rate, until: () => Date.now() >= ends, progress });
    let minute = 0;
    const first = (await monitor.query<{ succeeded: string }>(PROGRESS)).rows[0];
    while (Date.now() < ends) {
      await sleep(Math.min(60_000, ends - Date.now()));
      const minuteStart = new Date(Date.now() - 60_000);
      const p = (await monitor.query<{ queued: string; due: string; lag_s: number; succeeded: string; retried: string }>(PROGRESS)).rows[0];
      const recent = await recordedLatency(url, minuteStart, { firstAttemptOnly: true, sampleOneIn: 10 });
      const queue = (await tableStats(url)).find((t) => t.table === 'job_queue')!;
      note(
        `  minute ${++minute}: fed ${progress.jobs}, succeeded ${Number(p.succeeded) - Number(first.succeeded)}, retried ${p.retried}, queued ${p.queued} ` +
          `(due ${p.due}, oldest due ${Number(p.lag_s).toFixed(1)} s), first-attempt p99 ${recent.p99?.toFixed(0)} ms; ` +
          `job_queue ${queue.mb.toFixed(1)} MB, ${queue.deadTuples} dead tuples, ${queue.autovacuums} autovacuums; load ${loadavg()}`,
      );
    }
    const fed = await feeding;
    const drainEnds = Date.now() + 120_000;
    while (Date.now() < drainEnds && Number((await monitor.query<{ n: string }>('SELECT count(*) AS n FROM job_queue')).rows[0].n) > 0) await sleep(1000);
    const drainedAt = Date.now();
    const end = (await monitor.query<{ queued: string; succeeded: string; retried: string }>(PROGRESS)).rows[0];
    const latency = await recordedLatency(url, since);
    const firstAttempt = await recordedLatency(url, since, { firstAttemptOnly: true });
    const after = await tableStats(url);
    const served = await sink.served();
    note(`soak: fed ${fed} jobs in ${MINUTES} min; ${end.queued} still queued 2 min later; sink answered ${served.served} (${served.failed} with 503); engine ${JSON.stringify(engine.stats.byState)}; load ${loadavg()}`);
    printTableStats('end  ', after, note);
    const stat = (list: typeof after, name: string) => list.find((s) => s.table === name)!;
    figure('soak.rate_per_s', rate, 'jobs/s');
    figure('soak.delivered_per_s', (Number(end.succeeded) - Number(first.succeeded)) / ((drainedAt - started) / 1000), 'deliveries/s');
    figure('soak.p99_claim_to_recorded_ms', latency.p99, 'ms');
    figure('soak.p99_first_attempt_ms', firstAttempt.p99, 'ms');
    figure('soak.retried', Number(end.retried), 'attempts');
    figure('soak.queue_left', Number(end.queued), 'jobs');
    for (const name of ['job_queue', 'job_transitions', 'events']) {
      figure(`soak.${name}_mb_start`, stat(before, name).mb, 'MB');
      figure(`soak.${name}_mb_end`, stat(after, name).mb, 'MB');
      figure(`soak.${name}_dead_tuples_end`, stat(after, name).deadTuples, 'tuples');
    }
  } finally {
    await stop();
    await monitor.end();
    await sink.close();
    await database.close();
  }
}
