/**
 * The worker side of privacy requests: it claims one regulation target at a time with a
 * lease (like a delivery job), does its work in small batches, and adds each batch's
 * counts to the target's receipt in the same transaction as the batch, so a worker that
 * dies mid-deletion leaves exact counts and a lease that runs out; the next worker resumes
 * where it stopped (the work is idempotent: what was deleted is not found again).
 *
 * Targets: `suppression` (links the subjects' other identifiers into the suppression list
 * and cancels their queued and retrying jobs), `event_store`, `archive`, `destination`.
 */
import type pg from 'pg';
import { HttpSender } from './http-sender.ts';
import { removeFromArchive, removeFromBucket, type TArchiveReceipt } from './privacy-archive.ts';
import { DELETION_CALL_TIMEOUT_MS, deleteAtDestination } from './privacy-destination.ts';
import { leaseSecondsFor } from './lease.ts';
import type { TArchiveStore } from './s3-archive-store.ts';
import { identityKeysOf, resolveIdentities, type TIdentities } from '../privacy/identities.ts';
import { CANCEL_SUBJECT_JOBS } from '../privacy/sql/cancel-subject-jobs.ts';
import { CLAIM_TARGET, FAIL_EXHAUSTED, SETTLE_REGULATION } from '../privacy/sql/claim-target.ts';
import { COUNT_HELD_EVENTS, DELETE_EVENT_BATCH } from '../privacy/sql/delete-event-batch.ts';

type TReceipt = Record<string, number | string>;

interface TClaimed {
  id: string;
  regulation_id: string;
  kind: 'suppression' | 'event_store' | 'archive' | 'destination';
  destination_id: string | null;
  attempts: number;
  receipt: TReceipt;
}

export interface TPrivacyRunnerOptions {
  pool: pg.Pool;
  workerId: string;
  /** `<dataDir>/archive`, where server/delivery/archive.ts writes. */
  archiveDir: string;
  /** The S3-compatible bucket archive files are shipped to, when one is configured: its objects are rewritten too. */
  archiveStore?: TArchiveStore | null;
  allowPrivate: string | undefined;
  log?: (line: string) => void;
  leaseSeconds?: number;
  batchSize?: number;
  pollMs?: number;
  /** Attempts of an event store or suppression target before it is failed. */
  maxAttempts?: number;
  /** Attempts of a destination or archive target (a partner, the S3 bucket): 12, with waits doubling from 2 s, ride out about an hour of an outage. */
  maxRemoteAttempts?: number;
}

class LeaseLost extends Error {}

interface TDeletedBatch {
  events: number;
  identity_rows: number;
  violations: number;
  jobs: number;
  job_payloads: number;
  queued_jobs: number;
  transitions: number;
  sent_requests: number;
  dedupe_entries: number;
  selected: number;
}

/** The event store's receipt, every count present (0 when nothing was there). */
const EMPTY_EVENT_STORE_RECEIPT = { events: 0, identityRows: 0, violations: 0, jobs: 0, jobPayloadCopies: 0, queuedJobs: 0, attempts: 0, sentRequests: 0, dedupeEntries: 0 };

const add = (receipt: TReceipt, counts: Record<string, number | undefined>): TReceipt => {
  const next = { ...receipt };
  for (const [key, value] of Object.entries(counts)) if (value) next[key] = Number(next[key] ?? 0) + value;
  return next;
};

export class PrivacyRunner {
  private readonly sender: HttpSender;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private isStopping = false;
  private readonly leaseSeconds: number;
  private readonly callLeaseSeconds: number;
  private readonly batchSize: number;
  private readonly maxAttempts: number;
  private readonly maxRemoteAttempts: number;

  constructor(private readonly options: TPrivacyRunnerOptions) {
    this.sender = new HttpSender({ allowPrivate: options.allowPrivate, connections: 4 });
    this.leaseSeconds = options.leaseSeconds ?? 60;
    // A destination's target: at least a deletion call's timeout and the margin to record it
    // (lease.ts). A shorter lease let a second worker take the target while the first still
    // waited for the partner's answer, and the partner got the deletion call twice. Local
    // work (the event store, the archive, suppression) keeps the configured lease, so a dead
    // worker's deletion resumes as soon as that ends.
    this.callLeaseSeconds = leaseSecondsFor({ timeoutMs: DELETION_CALL_TIMEOUT_MS }, this.leaseSeconds);
    this.batchSize = options.batchSize ?? 1000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.maxRemoteAttempts = options.maxRemoteAttempts ?? 12;
  }

  start(): void {
    const tick = () => {
      if (this.isStopping) return;
      this.running = this.drain()
        .then(() => undefined)
        .catch((error: unknown) => this.options.log?.(`privacy: ${(error as Error).message}`))
        .finally(() => {
          this.running = null;
          if (!this.isStopping) this.timer = setTimeout(tick, this.options.pollMs ?? 1000);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.isStopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Runs targets until none is claimable. */
  async drain(): Promise<number> {
    let done = 0;
    while (!this.isStopping && (await this.runOnce())) done++;
    return done;
  }

  /** Claims and works one target; false when there was none. */
  async runOnce(): Promise<boolean> {
    const { pool } = this.options;
    const exhausted = await pool.query<{ regulation_id: string }>(FAIL_EXHAUSTED, [this.maxAttempts, this.maxRemoteAttempts]);
    for (const row of exhausted.rows) await pool.query(SETTLE_REGULATION, [row.regulation_id]);
    const { rows } = await pool.query<TClaimed>(CLAIM_TARGET, [this.options.workerId, this.leaseSeconds, this.maxAttempts, this.maxRemoteAttempts, this.callLeaseSeconds]);
    const target = rows[0];
    if (!target) return false;
    await pool.query(SETTLE_REGULATION, [target.regulation_id]);
    try {
      await this.work(target);
    } catch (error) {
      if (error instanceof LeaseLost) return true;
      const message = (error as Error).message.slice(0, 300);
      this.options.log?.(`privacy: target ${target.id} (${target.kind}) failed, will retry: ${message}`);
      const isRemote = target.kind === 'archive' || target.kind === 'destination';
      await this.release(target, 'pending', message, Math.min(isRemote ? 3600 : 60, 2 ** target.attempts));
    }
    return true;
  }

  private async work(target: TClaimed): Promise<void> {
    const regulation = await this.regulation(target.regulation_id);
    const identities = await this.identities(target.regulation_id);
    switch (target.kind) {
      case 'suppression':
        return this.suppress(target, regulation, identities);
      case 'event_store':
        return this.deleteEvents(target, regulation, identities);
      case 'archive':
        return this.deleteArchived(target, identities);
      case 'destination': {
        const result = await deleteAtDestination({
          pool: this.options.pool,
          sender: this.sender,
          destinationId: target.destination_id!,
          regulationId: target.regulation_id,
          identities,
          receipt: target.receipt,
          onCall: async (receipt) => {
            await this.saveReceipt(this.options.pool, target, receipt);
            target.receipt = receipt;
          },
        });
        if (result.status === 'retry') {
          // 2 s, 4 s, 8 s … up to an hour between attempts, or longer when the partner's Retry-After says so (up to an hour).
          const delay = Math.min(3600, Math.max(result.retryAfterSeconds ?? 0, 2 ** target.attempts));
          return this.release({ ...target, receipt: result.receipt }, 'pending', result.error, delay);
        }
        return this.finish(target, result.status, result.receipt, result.status === 'failed' ? result.error : null);
      }
    }
  }

  private async regulation(id: string): Promise<{ workspaceId: string; createdAt: Date }> {
    const { rows } = await this.options.pool.query<{ workspace_id: string; created_at: Date }>('SELECT workspace_id, created_at FROM regulations WHERE id = $1', [id]);
    return { workspaceId: rows[0].workspace_id, createdAt: rows[0].created_at };
  }

  /** The linked identifiers, resolved once per regulation (under its row lock) and kept until it ends. */
  private async identities(regulationId: string): Promise<TIdentities> {
    const client = await this.options.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ workspace_id: string; subject_type: string; subject_ids: string[]; resolved_identities: TIdentities | null }>(
        'SELECT workspace_id, subject_type, subject_ids, resolved_identities FROM regulations WHERE id = $1 FOR UPDATE',
        [regulationId],
      );
      const row = rows[0];
      let identities = row.resolved_identities;
      if (!identities) {
        identities = await resolveIdentities({ db: client, workspaceId: row.workspace_id, subjectType: row.subject_type, subjectIds: row.subject_ids });
        await client.query('UPDATE regulations SET resolved_identities = $2 WHERE id = $1', [regulationId, JSON.stringify(identities)]);
      }
      await client.query('COMMIT');
      return identities;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Runs `statement` and saves the receipt (extending the lease) in one transaction; throws LeaseLost when another worker took over. */
  private async batch<T extends pg.QueryResultRow>(target: TClaimed, statement: string, params: unknown[], toReceipt: (row: T) => TReceipt): Promise<T> {
    const client = await this.options.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<T>(statement, params);
      const receipt = toReceipt(rows[0]);
      await this.saveReceipt(client, target, receipt);
      await client.query('COMMIT');
      target.receipt = receipt;
      return rows[0];
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async saveReceipt(client: pg.PoolClient | pg.Pool, target: TClaimed, receipt: TReceipt): Promise<void> {
    const saved = await client.query(
      'UPDATE regulation_targets SET receipt = $2, lease_expires_at = now() + make_interval(secs => $4) WHERE id = $1 AND lease_owner = $3',
      [target.id, JSON.stringify(receipt), this.options.workerId, target.kind === 'destination' ? this.callLeaseSeconds : this.leaseSeconds],
    );
    if (saved.rowCount === 0) throw new LeaseLost(`target ${target.id} was taken over`);
  }

  private async suppress(target: TClaimed, regulation: { workspaceId: string }, identities: TIdentities): Promise<void> {
    const { pool } = this.options;
    const client = await pool.connect();
    let linked = 0;
    try {
      await client.query('BEGIN');
      const inserted = await client.query(
        `INSERT INTO suppressions (workspace_id, subject_type, subject_id, regulation_id)
         SELECT $1, t, id, $4 FROM (SELECT 'USER_ID' AS t, unnest($2::text[]) AS id UNION ALL SELECT 'ANONYMOUS_ID', unnest($3::text[])) s
         ON CONFLICT DO NOTHING`,
        [regulation.workspaceId, identities.userIds, identities.anonymousIds, target.regulation_id],
      );
      linked = inserted.rowCount ?? 0;
      await client.query(`INSERT INTO suppression_versions (workspace_id, version) VALUES ($1, 1) ON CONFLICT (workspace_id) DO UPDATE SET version = suppression_versions.version + 1`, [regulation.workspaceId]);
      const receipt = add({ linkedIdentifiersSuppressed: 0, ...target.receipt }, { linkedIdentifiersSuppressed: linked });
      await this.saveReceipt(client, target, receipt);
      target.receipt = receipt;
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    for (;;) {
      const row = await this.batch<{ cancelled: number }>(
        target,
        CANCEL_SUBJECT_JOBS,
        [regulation.workspaceId, identityKeysOf(regulation.workspaceId, identities), this.batchSize, target.regulation_id],
        (r) => add(target.receipt, { queuedJobsCancelled: r.cancelled }),
      );
      if (row.cancelled < this.batchSize) break;
    }
    await this.finish(target, 'finished', { queuedJobsCancelled: 0, ...target.receipt }, null);
  }

  private async deleteEvents(target: TClaimed, regulation: { workspaceId: string; createdAt: Date }, identities: TIdentities): Promise<void> {
    const params = [regulation.workspaceId, identityKeysOf(regulation.workspaceId, identities), regulation.createdAt];
    for (;;) {
      if (this.isStopping) throw new LeaseLost('stopping');
      const row = await this.batch<TDeletedBatch>(target, DELETE_EVENT_BATCH, [...params, this.batchSize], (r) =>
        add(target.receipt, {
          events: r.events,
          identityRows: r.identity_rows,
          violations: r.violations,
          jobs: r.jobs,
          jobPayloadCopies: r.job_payloads,
          queuedJobs: r.queued_jobs,
          attempts: r.transitions,
          sentRequests: r.sent_requests,
          dedupeEntries: r.dedupe_entries,
        }),
      );
      if (row.selected > 0) continue;
      const held = await this.options.pool.query<{ held: number }>(COUNT_HELD_EVENTS, params);
      if (held.rows[0].held === 0) break;
      // Some of the subject's jobs are being sent right now: wait for their outcome.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await this.saveReceipt(this.options.pool, target, target.receipt);
    }
    const receipt = { ...EMPTY_EVENT_STORE_RECEIPT, ...target.receipt, rollups: 'counts and latencies only, no identifiers: nothing to remove' };
    await this.finish(target, 'finished', receipt, null);
  }

  private async deleteArchived(target: TClaimed, identities: TIdentities): Promise<void> {
    for (;;) {
      const { skippedClaimed } = await removeFromArchive({
        dir: this.options.archiveDir,
        identities,
        onFile: async (change: Partial<TArchiveReceipt>) => {
          const receipt = add(target.receipt, change);
          await this.saveReceipt(this.options.pool, target, receipt);
          target.receipt = receipt;
        },
      });
      if (skippedClaimed === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 1000)); // an uploader holds a file: look again
    }
    const store = this.options.archiveStore;
    if (store) {
      // The bucket, from the last object a previous attempt finished (kept in the receipt) on.
      const after = target.receipt.bucketResumeAfter;
      await removeFromBucket({
        store,
        identities,
        after: typeof after === 'string' ? after : undefined,
        // Each request has the store's own timeouts and retries; the pass itself is bounded by the lease checks.
        signal: new AbortController().signal,
        onObject: async (change: Partial<TArchiveReceipt>, relativePath: string) => {
          if (this.isStopping) throw new LeaseLost('stopping');
          const next = { ...add(target.receipt, change), bucketResumeAfter: relativePath };
          await this.saveReceipt(this.options.pool, target, next);
          target.receipt = next;
        },
      });
      const finished: TReceipt = { ...target.receipt, bucket: store.description };
      delete finished.bucketResumeAfter;
      target.receipt = finished;
    }
    const empty = { filesScanned: 0, filesRewritten: 0, filesRemoved: 0, eventsRemoved: 0, ...(store ? { objectsScanned: 0, objectsRewritten: 0, objectsRemoved: 0 } : {}) };
    await this.finish(target, 'finished', { ...empty, ...target.receipt }, null);
  }

  private async finish(target: TClaimed, status: 'finished' | 'failed' | 'not_supported', receipt: TReceipt, error: string | null): Promise<void> {
    const done = await this.options.pool.query(
      `UPDATE regulation_targets SET status = $2, receipt = $3, error = $4, finished_at = now(), lease_owner = NULL, lease_expires_at = NULL
        WHERE id = $1 AND lease_owner = $5`,
      [target.id, status, JSON.stringify(receipt), error, this.options.workerId],
    );
    if (done.rowCount === 0) throw new LeaseLost(`target ${target.id} was taken over`);
    await this.options.pool.query(SETTLE_REGULATION, [target.regulation_id]);
  }

  /** Gives the target back (status pending) to be tried again after `delaySeconds`. */
  private async release(target: TClaimed, status: 'pending', error: string, delaySeconds: number): Promise<void> {
    await this.options.pool.query(
      `UPDATE regulation_targets SET status = $2, error = $3, receipt = $6, lease_owner = NULL, lease_expires_at = now() + make_interval(secs => $4)
        WHERE id = $1 AND lease_owner = $5`,
      [target.id, status, error, delaySeconds, this.options.workerId, JSON.stringify(target.receipt)],
    );
  }
}
