/**
 * pg-boss (v10, the last line that runs on Node 20) doing the delivery work (claim, POST,
 * record one attempt row) in its batched configuration: BENCH_PGBOSS_WORKERS polling
 * workers, each fetching (and locking) batchSize jobs at once, POSTing them concurrently,
 * recording their attempts in one INSERT, after which pg-boss completes the whole batch in
 * one statement. 4 workers x 2,000 was its best of the settings tried (8 x 500, 16 x 500,
 * 8 x 1000, 16 x 1000, 4 x 2000). Its jobs live in the `pgboss` schema; attempts in
 * `bench_pg_boss.attempts`.
 */
import PgBoss from 'pg-boss';
import { eventJson } from './events.ts';
import { AttemptWork } from './attempts.ts';
import type { TCpu } from './cpu.ts';
import { measureDrain, note, openCounter, type TDrain } from './measure.ts';

const WORKERS = Number(process.env.BENCH_PGBOSS_WORKERS ?? 4);
const BATCH = Number(process.env.BENCH_PGBOSS_BATCH ?? 2000);
const QUEUE = 'deliver';

export async function benchPgBoss({ databaseUrl, sinkUrl, jobs, cpu }: { databaseUrl: string; sinkUrl: string; jobs: number; cpu?: () => TCpu }): Promise<TDrain> {
  const boss = new PgBoss({ connectionString: databaseUrl, schema: 'pgboss', max: 10, schedule: false, supervise: false });
  boss.on('error', (error: Error) => note(`  pg-boss: ${error.message}`));
  await boss.start();
  await boss.createQueue(QUEUE);
  for (let done = 0; done < jobs; done += 2000) {
    await boss.insert(Array.from({ length: Math.min(2000, jobs - done) }, () => ({ name: QUEUE, data: { body: eventJson() } })));
  }

  const work = await AttemptWork.create({ databaseUrl, schema: 'bench_pg_boss', sinkUrl });
  const counter = await openCounter(databaseUrl, work.countSql());
  note(`  pg-boss: ${jobs} jobs queued; ${WORKERS} workers, batchSize ${BATCH}, polling every 0.5 s when idle`);
  for (let i = 0; i < WORKERS; i++) {
    await boss.work<{ body: string }>(QUEUE, { batchSize: BATCH, pollingIntervalSeconds: 0.5 }, async (batch) => {
      const attempts = await Promise.all(batch.map((job) => work.post(job.id, job.data.body)));
      await work.recordMany(attempts);
    });
  }
  try {
    return await measureDrain({ count: counter.count, total: jobs, label: 'pg-boss', cpu });
  } finally {
    await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    await counter.close();
    await work.close();
  }
}
