/**
 * Records attempt outcomes in batches: outcomes collect for a few milliseconds and go to
 * Postgres in one statement (transitions, queue updates, rollups). Archived jobs are
 * written to the archive first, then recorded. When Postgres is unreachable the batch is
 * kept and retried, so a database restart loses nothing while this process lives; if the
 * process dies instead, its leases expire and the jobs are delivered again.
 */
import type pg from 'pg';
import type { FileArchive, TArchivedJob } from './archive.ts';
import { recordOutcomes, type TOutcomeRow } from '../queue/sql/record-outcomes.ts';

const BEHIND_MS = 500;

export class OutcomeRecorder {
  private buffer: Array<{ row: TOutcomeRow; archive?: TArchivedJob }> = [];
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private writeStartedAt: number | null = null;
  recorded = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly archive: FileArchive,
    private readonly log: (line: string) => void,
    private readonly options: { maxBatch?: number; delayMs?: number; onRecorded?: (rows: TOutcomeRow[]) => void; beforeWrite?: () => Promise<void> } = {},
  ) {}

  get pending(): number {
    return this.buffer.length;
  }

  /**
   * Recording has fallen behind: a write has taken longer than BEHIND_MS, or a full batch
   * waits. The engine then stops setting aside the leases of succeeded requests (engine.ts
   * `settled`), so that claiming slows down with recording instead of piling up outcomes.
   */
  get isBehind(): boolean {
    return this.buffer.length >= (this.options.maxBatch ?? 1000) || (this.writeStartedAt !== null && Date.now() - this.writeStartedAt > BEHIND_MS);
  }

  add(row: TOutcomeRow, archive?: TArchivedJob): void {
    this.buffer.push({ row, archive });
    if (this.buffer.length >= (this.options.maxBatch ?? 1000)) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.delayMs ?? 20);
  }

  /** Flushes until the buffer is empty (retrying while the database is unreachable). */
  async drain(deadline = Date.now() + 30_000): Promise<void> {
    while ((this.buffer.length > 0 || this.flushing) && Date.now() < deadline) await this.flush();
  }

  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.flushing ??= this.write().finally(() => {
      this.flushing = null;
      if (this.buffer.length > 0) this.timer ??= setTimeout(() => void this.flush(), this.options.delayMs ?? 20);
    });
    return this.flushing;
  }

  private async write(): Promise<void> {
    const batch = this.buffer.splice(0, this.options.maxBatch ?? 1000);
    if (batch.length === 0) return;
    this.writeStartedAt = Date.now();
    try {
      // What these outcomes say about their destinations is shared first (an opened breaker,
      // a pause): once they are recorded their leases are free, and a claim must not find
      // the room before it finds the reason not to use it.
      await this.options.beforeWrite?.();
      const toArchive = batch.filter((entry) => entry.archive);
      if (toArchive.length > 0) {
        await this.archive.write(toArchive.map((entry) => entry.archive!));
        // On disk now: a retry after a database error must not archive them twice.
        for (const entry of toArchive) entry.archive = undefined;
      }
      await recordOutcomes(this.pool, batch.map((entry) => entry.row));
      this.recorded += batch.length;
      // Ended jobs have left the queue: their destinations have room for more claims now.
      this.options.onRecorded?.(batch.map((entry) => entry.row));
    } catch (error) {
      this.buffer.unshift(...batch);
      this.log(`recording ${batch.length} outcomes failed (${(error as Error).message}); retrying`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    } finally {
      this.writeStartedAt = null;
    }
  }
}
