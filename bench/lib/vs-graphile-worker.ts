/**
 * graphile-worker doing the delivery work (claim, POST, record one attempt row) in its
 * batched configuration: a local queue that locks and fetches 2,000 jobs at a time,
 * batched completion (completeJobBatchDelay 20 ms, like our recorder), 500 jobs at once
 * (POSTs share the sender's 64 connections; attempt rows go in batches). That was its best
 * of the settings tried (64/500, 200/1000, 500/2000, 1000/4000). Its jobs live in the
 * `graphile_worker` schema; attempts in `bench_graphile_worker.attempts`.
 */
import { Logger, makeWorkerUtils, run } from 'graphile-worker';
import { eventJson } from './events.ts';
import { AttemptWork } from './attempts.ts';
import type { TCpu } from './cpu.ts';
import { measureDrain, note, openCounter, type TDrain } from './measure.ts';

const CONCURRENCY = Number(process.env.BENCH_GW_CONCURRENCY ?? 500);
const LOCAL_QUEUE = Number(process.env.BENCH_GW_LOCAL_QUEUE ?? 2000);

const quiet = new Logger(() => (level, message) => {
  if (level === 'error') note(`  graphile-worker: ${message}`);
});

export async function benchGraphileWorker({ databaseUrl, sinkUrl, jobs, cpu }: { databaseUrl: string; sinkUrl: string; jobs: number; cpu?: () => TCpu }): Promise<TDrain> {
  const utils = await makeWorkerUtils({ connectionString: databaseUrl, logger: quiet });
  await utils.migrate();
  for (let done = 0; done < jobs; done += 2000) {
    const specs = Array.from({ length: Math.min(2000, jobs - done) }, () => ({ identifier: 'deliver', payload: { body: eventJson() } }));
    await utils.addJobs(specs);
  }
  await utils.release();

  const work = await AttemptWork.create({ databaseUrl, schema: 'bench_graphile_worker', sinkUrl });
  const counter = await openCounter(databaseUrl, work.countSql());
  note(`  graphile-worker: ${jobs} jobs queued; concurrency ${CONCURRENCY}, localQueue ${LOCAL_QUEUE}, completeJobBatchDelay 20 ms`);
  const runner = await run({
    connectionString: databaseUrl,
    concurrency: CONCURRENCY,
    maxPoolSize: 10,
    noHandleSignals: true,
    pollInterval: 1000,
    logger: quiet,
    preset: { worker: { localQueue: { size: LOCAL_QUEUE }, completeJobBatchDelay: 20, failJobBatchDelay: 20 } },
    taskList: {
      deliver: async (payload, helpers) => {
        const { body } = payload as { body: string };
        await work.record(await work.post(helpers.job.id, body));
      },
    },
  });
  try {
    return await measureDrain({ count: counter.count, total: jobs, label: 'graphile-worker', cpu });
  } finally {
    await runner.stop();
    await counter.close();
    await work.close();
  }
}
