/**
 * The work every queue does per job in the comparison, the same for all: POST the job's
 * body to the sink with the delivery engine's own HTTP sender (undici, keep-alive), then
 * record one attempt row. Rows are written in batches (one INSERT per 20 ms or 1,000
 * rows, like the engine's recorder), and `add` resolves only once its row is committed.
 */
import pg from 'pg';
import { HttpSender } from '../../server/delivery/http-sender.ts';

export const ATTEMPT_COLUMNS = 'job_id text NOT NULL, status int, latency_ms int, at timestamptz NOT NULL DEFAULT now()';

export interface TAttempt {
  jobId: string;
  status: number | null;
  latencyMs: number;
}

export class AttemptWork {
  private readonly sender = new HttpSender({ allowPrivate: '*' });
  private buffer: Array<{ attempt: TAttempt; done: () => void; fail: (error: unknown) => void }> = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly pool: pg.Pool, private readonly table: string, private readonly sinkUrl: string) {}

  static async create({ databaseUrl, schema, sinkUrl }: { databaseUrl: string; schema: string; sinkUrl: string }): Promise<AttemptWork> {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}; CREATE TABLE IF NOT EXISTS ${schema}.attempts (${ATTEMPT_COLUMNS})`);
    return new AttemptWork(pool, `${schema}.attempts`, sinkUrl);
  }

  /** POSTs one body; never throws (like the engine, an error is an outcome). */
  async post(jobId: string, body: string): Promise<TAttempt> {
    const outcome = await this.sender.send({ url: this.sinkUrl, headers: { 'webhook-id': jobId }, body, timeoutMs: 10_000 });
    return { jobId, status: outcome.kind === 'http' ? outcome.status : null, latencyMs: outcome.latencyMs };
  }

  /** Queues one attempt row for the next batch; resolves when it is committed. */
  record(attempt: TAttempt): Promise<void> {
    return new Promise((done, fail) => {
      this.buffer.push({ attempt, done, fail });
      if (this.buffer.length >= 1000) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), 20);
    });
  }

  /** Records many attempts in one INSERT now. */
  async recordMany(attempts: TAttempt[]): Promise<void> {
    await this.pool.query(`INSERT INTO ${this.table} (job_id, status, latency_ms) SELECT * FROM unnest($1::text[], $2::int[], $3::int[])`, [
      attempts.map((a) => a.jobId),
      attempts.map((a) => a.status),
      attempts.map((a) => a.latencyMs),
    ]);
  }

  private async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.buffer.splice(0, 1000);
    if (batch.length === 0) return;
    try {
      await this.recordMany(batch.map((entry) => entry.attempt));
      for (const entry of batch) entry.done();
    } catch (error) {
      for (const entry of batch) entry.fail(error);
    }
  }

  countSql(): string {
    return `SELECT count(*) AS n FROM ${this.table}`;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.sender.close();
    await this.pool.end();
  }
}
