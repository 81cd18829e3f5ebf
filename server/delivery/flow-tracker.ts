/**
 * A worker's side of destination_flow (flow.ts): gathers what each destination's outcomes
 * said and folds it into the shared row, under the row's lock, with Postgres' clock (every
 * worker and the claim statement agree on time). Outcomes that change something (failures
 * with no success beside them, more overloads than a partner gives at random, 429s,
 * Retry-After, anything while the destination is not steady) are written within ~20 ms, a
 * Retry-After or a hold at once; successes of a steady destination (and the odd failure
 * among them) are only counted, and written once a second, so a healthy destination costs
 * one small write a second.
 */
import type pg from 'pg';
import { emptySummary, failuresMatter, heldFlow, heldSpanOf, initialFlow, isSteady, mergeSummary, nextFlow, type TFlowSummary } from './flow.ts';
import type { TFlowState } from '../queue/flow-state.ts';
import { releaseLeases } from '../queue/sql/record-outcomes.ts';
import { ENSURE_FLOWS, FLOW_COLUMNS, LOCK_FLOWS, WRITE_FLOWS } from './sql/destination-flow.ts';
import { WRITE_HELD_SPANS } from './sql/held-spans.ts';

const URGENT_MS = 20;
const STEADY_MS = 1000;

const camel = (snake: string) => snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function fromRow(row: Record<string, unknown>): TFlowState {
  const state = initialFlow(new Date());
  for (const [column] of FLOW_COLUMNS) (state as unknown as Record<string, unknown>)[camel(column)] = row[column];
  return state;
}

function toRow(destinationId: string, state: TFlowState): Record<string, unknown> {
  const row: Record<string, unknown> = { destination_id: destinationId };
  for (const [column] of FLOW_COLUMNS) {
    const value = (state as unknown as Record<string, unknown>)[camel(column)];
    row[column] = value instanceof Date ? value.toISOString() : value;
  }
  return row;
}

interface THold {
  destinationId: string;
  code: string;
  reason: string;
  settingsAt: Date;
  jobId: string;
}

export class FlowTracker {
  private pending = new Map<string, { summary: TFlowSummary; maxInFlight: number }>();
  private holds: THold[] = [];
  private releases: string[] = [];
  /** What this worker last wrote for each destination: whether it was steady, and when. */
  private readonly known = new Map<string, { isSteady: boolean; writtenAt: number }>();
  private timer: NodeJS.Timeout | null = null;
  private timerDueAt = Infinity;
  private writing: Promise<void> | null = null;
  /** Something pending must be written within URGENT_MS (not only counts of a steady destination's successes). */
  private isUrgentPending = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly workerId: string,
    private readonly log: (line: string) => void,
    private readonly options: { onWritten?: () => void } = {},
  ) {}

  /** One attempt's outcome, summarised (flow.ts summarizeOutcome). */
  observe(destinationId: string, maxInFlight: number, summary: TFlowSummary): void {
    const entry = this.pending.get(destinationId) ?? { summary: emptySummary(), maxInFlight };
    entry.maxInFlight = maxInFlight;
    mergeSummary(entry.summary, summary);
    this.pending.set(destinationId, entry);
    const known = this.known.get(destinationId);
    // Failures among successes that change nothing (flow.ts failuresMatter) are counted, not
    // written at once (a partner failing 5 % at random had its row written every ~20 ms).
    const isQuiet = summary.throttled === 0 && !summary.retryAfter && (summary.failures === 0 || !failuresMatter(entry.summary));
    if (isQuiet && known?.isSteady) {
      // (While a write is out, the write's end schedules what came in meanwhile.)
      if (!this.writing) this.schedule(Math.max(0, known.writtenAt + STEADY_MS - Date.now()));
      return;
    }
    this.isUrgentPending = true;
    this.schedule(summary.retryAfter ? 0 : URGENT_MS);
  }

  /** A configuration problem: the job goes back untouched, the destination is held. */
  hold(hold: THold): void {
    this.holds.push(hold);
    this.isUrgentPending = true;
    this.schedule(0);
  }

  /** Claimed but not sent (the destination was paused meanwhile): give the lease back, attempt unused. */
  release(jobId: string): void {
    this.releases.push(jobId);
    this.isUrgentPending = true;
    this.schedule(0);
  }

  private schedule(ms: number): void {
    const dueAt = Date.now() + ms;
    if (this.timer && this.timerDueAt <= dueAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDueAt = dueAt;
    this.timer = setTimeout(() => void this.flush(), ms);
  }

  get pendingCount(): number {
    return this.pending.size + this.holds.length + this.releases.length;
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerDueAt = Infinity;
    this.writing ??= this.write().finally(() => {
      this.writing = null;
      // What came in meanwhile: soon if it changes something, else with the next steady write
      // (re-flushing mere counts 20 ms after every write made a healthy destination cost ~30
      // writes a second, each a transaction of its own, instead of one).
      // (No timer can be left from the write's time unless something urgent set it: steady
      // counts do not schedule while a write is out.)
      if (this.pendingCount > 0) this.schedule(this.isUrgentPending ? URGENT_MS : STEADY_MS);
    });
    return this.writing;
  }

  /** Writes now if something is waiting that changes a destination's state (not mere counts). */
  flushIfUrgent(): Promise<void> {
    if (this.writing) return this.writing.then(() => this.flushIfUrgent());
    if (this.holds.length > 0 || this.releases.length > 0 || this.timerDueAt - Date.now() <= URGENT_MS) return this.flush();
    return Promise.resolve();
  }

  async drain(deadline = Date.now() + 10_000): Promise<void> {
    while ((this.pendingCount > 0 || this.writing) && Date.now() < deadline) await this.flush();
  }

  private async write(): Promise<void> {
    const pending = this.pending;
    const holds = this.holds;
    const releases = this.releases;
    this.pending = new Map();
    this.holds = [];
    this.releases = [];
    this.isUrgentPending = false;
    const ids = [...new Set([...pending.keys(), ...holds.map((h) => h.destinationId)])].sort();
    if (ids.length === 0 && releases.length === 0) return;
    const client = await this.pool.connect().catch((error: Error) => error);
    if (client instanceof Error) return this.failed(client, pending, holds, releases);
    const ignore = () => undefined;
    client.on('error', ignore);
    try {
      // Not waiting for the WAL flush: other workers and the claim see the commit at once
      // either way, and a crash that lost it loses advisory state only (limits are learned
      // again; a released lease expires instead; a held span is a few ms short). Under a
      // failing partner this writes every ~20 ms, and each synchronous fsync delayed the
      // outcome batch waiting behind it (recorder.ts beforeWrite).
      await client.query('BEGIN; SET LOCAL synchronous_commit = off');
      const rows = ids.length === 0 ? [] : (await client.query(ENSURE_FLOWS, [ids]), (await client.query<Record<string, unknown>>(LOCK_FLOWS, [ids])).rows);
      const written: Array<Record<string, unknown>> = [];
      const spans: Array<Record<string, unknown>> = [];
      const steadiness = new Map<string, boolean>();
      for (const row of rows) {
        const id = row.destination_id as string;
        const now = row.db_now as Date;
        let state: TFlowState = fromRow(row);
        const wasHeld = heldSpanOf(state, now);
        for (const hold of holds.filter((h) => h.destinationId === id)) state = heldFlow(state, { ...hold, now });
        const entry = pending.get(id);
        if (entry) state = nextFlow(state, entry.summary, { maxInFlight: entry.maxInFlight, now });
        written.push(toRow(id, state));
        // Held time is credited to the jobs' retry windows: keep its spans in step.
        const isHeld = heldSpanOf(state, now);
        if (wasHeld || isHeld) spans.push({ destination_id: id, at: now.toISOString(), is_held: isHeld !== null, until: isHeld?.until?.toISOString() ?? null, reason: isHeld?.reason ?? '' });
        steadiness.set(id, isSteady(state, now));
      }
      if (written.length > 0) await client.query(WRITE_FLOWS, [JSON.stringify(written)]);
      if (spans.length > 0) await client.query(WRITE_HELD_SPANS, [JSON.stringify(spans)]);
      const jobIds = [...holds.map((h) => h.jobId), ...releases];
      if (jobIds.length > 0) await releaseLeases(client, { workerId: this.workerId, jobIds });
      await client.query('COMMIT');
      client.off('error', ignore);
      client.release();
      const at = Date.now();
      for (const [id, isSteadyNow] of steadiness) this.known.set(id, { isSteady: isSteadyNow, writtenAt: at });
      this.options.onWritten?.();
    } catch (error) {
      client.release(error as Error);
      await this.failed(error as Error, pending, holds, releases);
    }
  }

  /** Keeps what could not be written for the next try (a database restart loses nothing while this process lives). */
  private async failed(error: Error, pending: Map<string, { summary: TFlowSummary; maxInFlight: number }>, holds: THold[], releases: string[]): Promise<void> {
    for (const [id, entry] of pending) {
      const current = this.pending.get(id);
      if (current) mergeSummary(current.summary, entry.summary);
      else this.pending.set(id, entry);
    }
    this.holds.unshift(...holds);
    this.releases.unshift(...releases);
    this.isUrgentPending = true;
    this.log(`recording how destinations cope failed (${error.message}); retrying`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
