/**
 * The delivery engine of one worker process (Centrifuge's model): claim due jobs in
 * batches, fairly per destination, within each destination's gate; send each through its
 * destination type (call-destination.ts); decide with the retry policy; record outcomes in batches. Any number of workers
 * can share one Postgres: claims use FOR UPDATE SKIP LOCKED and leases, and a worker that
 * dies simply lets its leases expire.
 */
import path from 'node:path';
import pg from 'pg';
import { FileArchive } from './archive.ts';
import { DestinationConfig, type TDeliveryTarget } from './destination-config.ts';
import { DestinationGate } from './destination-gate.ts';
import { summarizeOutcome } from './flow.ts';
import { FlowTracker } from './flow-tracker.ts';
import { EXCERPT_BYTES, HttpSender, outgoingHeaders } from './http-sender.ts';
import { JobsDueListener } from './jobs-due-listener.ts';
import { keptResponseHeaders } from './response-headers.ts';
import { OutcomeRecorder } from './recorder.ts';
import { callDestination, callDestinationBatch, decideCall, type TCallDecision, type TCallResult } from './call-destination.ts';
import { decide, type TAttemptOutcome } from './retry-policy.ts';
import { describeSentRequest, type TSentRequest } from '../traces/sent-request.ts';
import { claimJobs, forgetWorkerLeases, type TClaimedRow } from '../queue/sql/claim-jobs.ts';
import { leaseSecondsFor, sendDeadline } from './lease.ts';
import { LeaseBook } from './lease-book.ts';
import type { TOutcomeRow } from '../queue/sql/record-outcomes.ts';

export interface TEngineOptions {
  databaseUrl: string;
  workerId: string;
  dataDir: string;
  allowPrivate: string | undefined;
  log: (line: string) => void;
  /** How long a claim is leased (longer for a destination whose timeout needs it: lease.ts); a worker that dies lets its jobs return after this. Default 45. */
  leaseSeconds?: number;
  /** Most jobs claimed per destination per round. */
  claimBatch?: number;
  idleMs?: number;
  /** How long SIGTERM waits for requests in flight before aborting them. */
  drainMs?: number;
  now?: () => Date;
  /** Where archived jobs go; default a FileArchive under `<dataDir>/archive` (main.ts passes one its S3 uploader watches). */
  archive?: FileArchive;
}

/** One job's attempt, however it ended: sent (outcome, explanation, request), skipped, or not sent at all. */
interface TAttempt {
  outcome: TAttemptOutcome | null;
  explanation: string | null;
  sent: TSentRequest | null;
  decision: TCallDecision;
}

export interface TEngineStats {
  claimed: number;
  sent: number;
  byState: Record<string, number>;
}

export class DeliveryEngine {
  private readonly pool: pg.Pool;
  private readonly config: DestinationConfig;
  private readonly sender: HttpSender;
  private readonly listener: JobsDueListener;
  readonly recorder: OutcomeRecorder;
  readonly flows: FlowTracker;
  private readonly gates = new Map<string, DestinationGate>();
  private readonly inFlight = new Set<Promise<void>>();
  /**
   * The leases this worker holds: what its claims count against maxInFlight, and what they
   * tell the other workers (claim-jobs.ts). Succeeded requests whose outcomes wait to be
   * recorded are not counted by its own claims (lease-book.ts), except while recording is
   * behind (recorder.ts isBehind): then leases count until recorded again.
   */
  private readonly leases = new LeaseBook();
  /** What this worker's last claim for each destination said it holds (claimRound). */
  private readonly writtenLeases = new Map<string, number>();
  private isStopping = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private isNudged = false;
  readonly stats: TEngineStats = { claimed: 0, sent: 0, byState: {} };

  constructor(private readonly options: TEngineOptions) {
    this.pool = new pg.Pool({ connectionString: options.databaseUrl, max: 4, connectionTimeoutMillis: 5000 });
    this.pool.on('error', (error) => options.log(`delivery pool: ${error.message}`));
    this.config = new DestinationConfig(this.pool, options.log);
    this.sender = new HttpSender({ allowPrivate: options.allowPrivate });
    this.listener = new JobsDueListener({ databaseUrl: options.databaseUrl, onJobsDue: () => this.nudge(), log: options.log });
    // Leases of failed requests count against maxInFlight until their outcome is recorded
    // (successes only until they finish: lease-book.ts), so a recorded batch frees room: wake
    // the claim loop then, not only when a request finishes.
    this.recorder = new OutcomeRecorder(this.pool, options.archive ?? new FileArchive(path.join(options.dataDir, 'archive'), options.workerId), options.log, {
      onRecorded: (rows) => {
        for (const row of rows) this.leases.ended(row.job_id);
        this.nudge();
      },
      beforeWrite: () => this.flows.flushIfUrgent(),
    });
    // A closed breaker, a lifted hold or a released lease may mean room: claim again.
    // (Assigned before any outcome can be recorded: the recorder only writes after deliveries.)
    this.flows = new FlowTracker(this.pool, options.workerId, options.log, { onWritten: () => this.nudge() });
  }

  start(): void {
    if (this.loop) return;
    this.listener.start();
    this.loop = this.run();
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private gate(target: TDeliveryTarget): DestinationGate {
    let gate = this.gates.get(target.id);
    if (!gate) {
      gate = new DestinationGate(target.tuning.maxInFlight, target.tuning.ratePerSecond);
      this.gates.set(target.id, gate);
    } else gate.configure(target.tuning.maxInFlight, target.tuning.ratePerSecond);
    return gate;
  }

  private async run(): Promise<void> {
    let emptyRounds = 0;
    while (!this.isStopping) {
      let claimed = 0;
      try {
        claimed = await this.claimRound();
      } catch (error) {
        this.options.log(`claiming failed (${(error as Error).message}); retrying in 1 s`);
        await this.sleep(1000, { isWakeable: false });
        continue;
      }
      // Right after work, an empty round usually means a rate limit's bucket is empty for a
      // few milliseconds (a learned rate lets a tenth of a second's worth out at once), not
      // that nothing is due: look again soon, backing off to idleMs over empty rounds.
      if (claimed > 0) emptyRounds = 0;
      else await this.sleep(Math.min(this.options.idleMs ?? 200, 10 * 2 ** Math.min(emptyRounds++, 8)));
    }
  }

  /** Capacity may have freed (a request finished, outcomes were recorded): claim again soon. */
  private nudge(): void {
    if (this.wake) this.wake();
    else this.isNudged = true;
  }

  /**
   * Sleeps until `ms` pass or a nudge comes; a nudge that came while the last claim was
   * running ends the sleep at once, so freed capacity is never left idle for `idleMs`.
   */
  private sleep(ms: number, { isWakeable = true } = {}): Promise<void> {
    if (isWakeable && this.isNudged && !this.isStopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        if (!isWakeable && !this.isStopping) return;
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }

  private async claimRound(): Promise<number> {
    this.isNudged = false;
    const targets = await this.config.enabled();
    const ids: string[] = [];
    const limits: number[] = [];
    const wants: number[] = [];
    const rates: Array<number | null> = [];
    const leases: number[] = [];
    const counted: number[] = [];
    const held: number[] = [];
    const now = Date.now();
    for (const target of targets.values()) {
      const room = this.gate(target).room(this.options.claimBatch ?? 200, { now: this.now().getTime(), settingsAt: target.settingsAt });
      const count = this.leases.counts(target.id, { now, limit: target.tuning.maxInFlight, isSettledCounted: this.recorder.isBehind });
      // Without room here, a destination is still claimed for (wanting nothing) when this
      // worker's count has fallen since it last wrote it: its claims are the only writer of
      // the count the other workers go by (claim-jobs.ts), and a worker that is full, paused
      // or held would otherwise keep places it no longer uses.
      if (room <= 0 && count.held >= (this.writtenLeases.get(target.id) ?? 0)) continue;
      ids.push(target.id);
      limits.push(target.tuning.maxInFlight);
      wants.push(room);
      rates.push(target.tuning.ratePerSecond);
      leases.push(leaseSecondsFor(target.tuning, this.options.leaseSeconds ?? 45));
      counted.push(count.counted);
      held.push(count.held);
    }
    if (ids.length === 0) return 0;
    // Real time, not this.now() (a test's clock): the sender's timeouts are real.
    const claimedAt = Date.now();
    const rows = await claimJobs(this.pool, { ids, limits, wants, rates, leaseSeconds: leases, workerId: this.options.workerId, counted, held });
    const deadlines = new Map(ids.map((id, i) => [id, sendDeadline(claimedAt, leases[i])]));
    const expiries = new Map(ids.map((id, i) => [id, claimedAt + leases[i] * 1000]));
    for (const row of rows) this.leases.claimed(row.destination_id, row.job_id, expiries.get(row.destination_id)!);
    const perDestination = new Map<string, number>();
    for (const row of rows) perDestination.set(row.destination_id, (perDestination.get(row.destination_id) ?? 0) + 1);
    for (const [id, count] of perDestination) this.gates.get(id)?.started(count);
    // (Not written for a destination another worker was claiming for at that moment; it only
    // ever stays higher than it should, and is written with this worker's next claim for it.)
    ids.forEach((id, i) => this.writtenLeases.set(id, held[i] + (perDestination.get(id) ?? 0)));
    this.stats.claimed += rows.length;
    // A job is sent with the settings its destination has now, not the cached copy: a key or
    // URL fixed a moment ago applies to the very next delivery (a request with the old key
    // would be refused and the event discarded). The claim says which version is current.
    let current = targets;
    if (rows.some((row) => row.settings_ms > (targets.get(row.destination_id)?.settingsAt ?? Infinity))) {
      try {
        current = await this.config.enabled({ isFresh: true });
      } catch (error) {
        this.options.log(`reloading edited destination settings failed (${(error as Error).message}); giving the claimed jobs back`);
        current = new Map();
      }
    }
    // Jobs of a destination whose type batches share requests (deliverBatch); others go one by one.
    let batches: Map<string, TClaimedRow[]> | null = null;
    for (const row of rows) {
      const target = current.get(row.destination_id);
      if (!target) {
        // Disabled or deleted since the cached copy was read (or the reload failed): the job
        // goes back with its attempt unused.
        this.gates.get(row.destination_id)?.finished();
        this.giveBack(row.job_id);
        continue;
      }
      if (target.def.batch && !target.configProblem && row.payload !== null && this.now().getTime() <= row.expire_ms) {
        batches ??= new Map();
        const list = batches.get(target.id);
        if (list) list.push(row);
        else batches.set(target.id, [row]);
        continue;
      }
      this.track(this.deliver(row, target, deadlines.get(row.destination_id)!));
    }
    if (batches) for (const [id, list] of batches) this.track(this.deliverBatch(list, current.get(id)!, deadlines.get(id)!));
    return rows.length;
  }

  /** A claimed job goes back unsent, its attempt unused: it stops counting here at once (its release is written with the flow, flow-tracker.ts). */
  private giveBack(jobId: string): void {
    this.leases.ended(jobId);
    this.flows.release(jobId);
  }

  private track(delivery: Promise<void>): void {
    const tracked = delivery.finally(() => {
      this.inFlight.delete(tracked);
      this.nudge();
    });
    this.inFlight.add(tracked);
  }

  /** The jobs of one destination whose type batches, sent in as few requests as it allows (call-destination.ts), each settled in its own state. */
  private async deliverBatch(rows: TClaimedRow[], target: TDeliveryTarget, deadline: number): Promise<void> {
    const gate = this.gates.get(target.id)!;
    if (gate.isPaused(this.now().getTime()) || gate.isHeld(target.settingsAt)) {
      for (const row of rows) {
        gate.finished();
        this.giveBack(row.job_id);
      }
      return;
    }
    const results = await callDestinationBatch({ sender: this.sender, target, jobs: rows.map((row) => ({ jobId: row.job_id, payload: row.payload! })), now: this.now(), deadline });
    // The flow (rate, concurrency, breaker, Retry-After) learns from each request once, not once per event in it.
    const observed = new Set<TAttemptOutcome>();
    rows.forEach((row, i) => {
      const result = results[i];
      const attempt = this.attemptOf(row, target, result);
      const isFirst = attempt.outcome !== null && !observed.has(attempt.outcome);
      if (attempt.outcome) observed.add(attempt.outcome);
      this.settle(row, target, attempt, { isObserved: isFirst });
    });
  }

  /** What one job's call came to: the outcome, its explanation, the request as the trace keeps it, and the decision. */
  private attemptOf(row: TClaimedRow, target: TDeliveryTarget, result: TCallResult): TAttempt {
    let outcome: TAttemptOutcome | null = null;
    let explanation: string | null;
    let sent: TSentRequest | null = null;
    if (result.kind === 'sent' && result.outcome.kind === 'network' && result.outcome.isNotSent) {
      // Given up before sending (too little of the lease left): no request to show, and its
      // message says why; retried like a timeout, but the flow learns nothing from it.
      outcome = result.outcome;
      explanation = null;
    } else if (result.kind === 'sent') {
      outcome = result.outcome;
      explanation = result.reading?.explanation ?? null;
      if (explanation && result.batchSize) explanation = `${explanation} (in a request of ${result.batchSize} events)`;
      this.stats.sent++;
      // What the trace shows of this request (secrets masked), recorded where every request is sent.
      sent = describeSentRequest({
        request: { ...result.request, headers: outgoingHeaders(result.request.headers) },
        eventPayload: row.payload!,
        attempt: row.attempt,
        secrets: target.secretValues,
        // Only the headers that explain the answer are kept with the attempt (response-headers.ts).
        answer: outcome.kind === 'http' ? { retryAfterSeconds: outcome.retryAfterSeconds, headers: outcome.headers ? keptResponseHeaders(outcome.headers) : undefined } : null,
      });
    } else explanation = result.reason;
    const decision = decideCall({ result, attempt: row.attempt, now: this.now(), expireAt: new Date(row.expire_ms), tuning: target.tuning });
    return { outcome, explanation, sent, decision };
  }

  /** `deadline`: by when (epoch ms) every request for it must have its answer (its lease ends a margin later). */
  private async deliver(row: TClaimedRow, target: TDeliveryTarget, deadline: number): Promise<void> {
    const gate = this.gates.get(target.id)!;
    // Learned since this job was claimed (a Retry-After, a hold): do not send; the job goes
    // back with its attempt unused (unless its window has ended: then it is archived below).
    const isExpired = this.now().getTime() > row.expire_ms;
    if (!isExpired && (gate.isPaused(this.now().getTime()) || gate.isHeld(target.settingsAt))) {
      gate.finished();
      this.giveBack(row.job_id);
      return;
    }
    let attempt: TAttempt;
    if (row.payload === null) {
      attempt = { outcome: null, explanation: null, sent: null, decision: { state: 'discarded', reason: 'the event is no longer stored' } };
    } else if (isExpired) {
      attempt = { outcome: null, explanation: null, sent: null, decision: { state: 'archived', reason: 'retry window ended before this attempt' } };
    } else if (target.configProblem) {
      const outcome: TAttemptOutcome = { kind: 'config', latencyMs: 0, ...target.configProblem };
      attempt = { outcome, explanation: null, sent: null, decision: decide({ outcome, attempt: row.attempt, now: this.now(), expireAt: new Date(row.expire_ms), tuning: target.tuning }) };
    } else {
      attempt = this.attemptOf(row, target, await callDestination({ sender: this.sender, target, jobId: row.job_id, payload: row.payload, now: this.now(), deadline }));
    }
    this.settle(row, target, attempt);
  }

  /** Records one job's attempt: frees its place at the gate, tells the flow, holds or records the outcome (and archives). */
  private settle(row: TClaimedRow, target: TDeliveryTarget, { outcome, explanation, sent, decision }: TAttempt, { isObserved = true } = {}): void {
    const gate = this.gates.get(target.id)!;
    gate.finished();
    this.stats.byState[decision.state] = (this.stats.byState[decision.state] ?? 0) + 1;
    if (decision.state === 'held') {
      // The destination's settings cannot work: nothing is recorded against the event, its
      // job goes back unused, and the destination waits for its settings to change.
      gate.hold(target.settingsAt);
      this.leases.ended(row.job_id);
      this.flows.hold({ destinationId: target.id, code: decision.code, reason: decision.reason, settingsAt: new Date(target.settingsAt), jobId: row.job_id });
      return;
    }
    if (outcome && isObserved) {
      const summary = summarizeOutcome(outcome);
      if (summary.successes > 0 && decision.state === 'succeeded') this.leases.settle(row.job_id);
      if (summary.retryAfter) gate.pause(this.now().getTime() + summary.retryAfter.seconds * 1000);
      this.flows.observe(target.id, target.tuning.maxInFlight, summary);
    }
    const at = this.now().toISOString();
    const record: TOutcomeRow = {
      job_id: row.job_id,
      job_created_at: row.job_created_at,
      destination_id: row.destination_id,
      source_id: row.source_id,
      attempt: row.attempt,
      state: decision.state,
      at,
      status_code: outcome?.kind === 'http' ? outcome.status : null,
      error_code: outcome?.kind === 'network' ? outcome.code : decision.state === 'skipped' ? 'SKIPPED' : outcome === null && 'reason' in decision ? 'NOT_SENT' : null,
      latency_ms: outcome?.latencyMs ?? null,
      response_excerpt: outcome?.kind === 'http' ? outcome.bodyExcerpt.slice(0, EXCERPT_BYTES) : outcome?.kind === 'network' ? (outcome.message ?? null) : 'reason' in decision ? decision.reason : null,
      retry_at: decision.state === 'awaiting_retry' ? decision.retryAt.toISOString() : null,
      worker_id: this.options.workerId,
      explanation,
      request: sent,
    };
    const archive = decision.state === 'archived'
      ? { jobId: row.job_id, destinationId: row.destination_id, sourceId: row.source_id, messageId: row.message_id, attempts: row.attempt, reason: decision.reason, archivedAt: at, payload: row.payload }
      : undefined;
    this.recorder.add(record, archive);
  }

  /** Stops claiming, lets requests in flight finish (aborting them after drainMs), records every outcome. */
  async stop(): Promise<void> {
    this.isStopping = true;
    this.wake?.();
    await this.listener.stop();
    await this.loop;
    const drained = Promise.all(this.inFlight);
    const timer = setTimeout(() => this.sender.abortAll(), this.options.drainMs ?? 5000);
    await drained;
    clearTimeout(timer);
    await this.recorder.drain();
    await this.flows.drain();
    // Nothing of this worker's is in flight any more: other workers need not wait for its count to expire.
    await forgetWorkerLeases(this.pool, this.options.workerId).catch((error: Error) => this.options.log(`forgetting this worker's lease counts failed (${error.message}); they expire`));
    await this.sender.close();
    await this.pool.end();
  }
}
