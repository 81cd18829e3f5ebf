/**
 * Wakes the claim loop when new jobs are queued: a dedicated connection LISTENs on
 * `switchyard_jobs_due`, which the tracking API's writer and replays notify after their
 * jobs committed (server/queue/jobs-due.ts). Without it an idle worker would only notice new work at its
 * next poll. It is an accelerator, never the only path: the loop keeps polling, so a lost
 * notification (or this connection being down) only costs latency. The connection is
 * re-established with backoff after Postgres restarts.
 */
import pg from 'pg';
import { JOBS_DUE_CHANNEL } from '../queue/jobs-due.ts';
const MAX_RECONNECT_DELAY_MS = 30_000;

export class JobsDueListener {
  private client: pg.Client | null = null;
  private isStopped = false;
  private reconnectDelayMs = 500;
  private timer: NodeJS.Timeout | null = null;
  private hasLoggedFailure = false;

  constructor(private readonly options: { databaseUrl: string; onJobsDue: () => void; log: (line: string) => void }) {}

  start(): void {
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.isStopped) return;
    const client = new pg.Client({ connectionString: this.options.databaseUrl, connectionTimeoutMillis: 5000 });
    this.client = client;
    client.on('notification', () => this.options.onJobsDue());
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${JOBS_DUE_CHANNEL}`);
      if (this.hasLoggedFailure) this.options.log('listening for new jobs again');
      this.hasLoggedFailure = false;
      this.reconnectDelayMs = 500;
      // Jobs may have been queued while we were not listening.
      this.options.onJobsDue();
    } catch (error) {
      if (!this.hasLoggedFailure && !this.isStopped) this.options.log(`cannot listen for new jobs (${(error as Error).message}); polling meanwhile, retrying`);
      this.hasLoggedFailure = true;
      this.lost(client);
    }
  }

  /** The connection failed or closed: drop it and, unless stopping, reconnect after a backoff. */
  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    client.removeAllListeners('notification');
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.isStopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, this.reconnectDelayMs);
    this.reconnectDelayMs = Math.min(MAX_RECONNECT_DELAY_MS, this.reconnectDelayMs * 2);
  }

  async stop(): Promise<void> {
    this.isStopped = true;
    if (this.timer) clearTimeout(this.timer);
    const client = this.client;
    this.client = null;
    if (client) {
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
  }
}
