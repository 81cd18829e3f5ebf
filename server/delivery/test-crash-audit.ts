/**
 * For crash tests: a claim log (a trigger on job_queue records every claim: job, attempt,
 * worker, time) and the audit that reads it after the run. The audit proves that nothing
 * was lost (every job has a `succeeded` transition and reached its sink) and that every
 * duplicate is explained: each claim of a job that did not end in a recorded transition
 * belongs to a worker that was SIGKILLed after making it; a job never arrived more often
 * than it was claimed; and a job that succeeded twice was claimed again only after the
 * lease of the claim that first succeeded had expired (at-least-once: that worker took
 * longer than its lease to send and record; a claim never takes a leased job, see
 * lease.test.ts). A job claimed again while that lease stood is a problem.
 */
import pg from 'pg';

const KILL_SLACK_MS = 2000;
/** A claim's lease runs from its transaction's start; the log has the time its row was updated, a little later. */
const LEASE_SLACK_MS = 1000;

export const INSTALL_CLAIM_LOG = /* sql */ `
CREATE TABLE test_claims (job_id uuid NOT NULL, attempt int NOT NULL, owner text NOT NULL, at timestamptz NOT NULL);
CREATE INDEX test_claims_job_id_idx ON test_claims (job_id);
CREATE FUNCTION test_log_claim() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO test_claims VALUES (NEW.job_id, NEW.attempt, NEW.lease_owner, clock_timestamp());
  RETURN NULL;
END $$;
CREATE TRIGGER test_log_claim AFTER UPDATE ON job_queue FOR EACH ROW
  WHEN (NEW.attempt > OLD.attempt AND NEW.lease_owner IS NOT NULL) EXECUTE FUNCTION test_log_claim();
`;

export interface TKill {
  workerId: string;
  at: number;
  /** Jobs the worker held leases on when it was killed. */
  held: number;
  /** Of those, how many had already reached their sink (sent, outcome not yet recorded). */
  heldDelivered: number;
}

export interface TAuditInput {
  databaseUrl: string;
  /** destination id → (webhook-id → deliveries) at that destination's sink. */
  arrivals: Map<string, Map<string, number>>;
  kills: TKill[];
  /** The workers' lease length. */
  leaseSeconds: number;
}

export interface TAudit {
  jobs: number;
  deliveries: number;
  duplicates: number;
  duplicatedJobs: number;
  claimsLostToKills: number;
  /**
   * Jobs that succeeded more than once, each time claimed again after the earlier lease had
   * expired: the earlier answer came after its lease ended, or within it but recorded after.
   */
  lateSuccesses: { answerAfterLease: number; recordedAfterLease: number };
  /** Human-readable problems: a lost job, a job at the wrong sink, an unexplained duplicate. */
  problems: string[];
}

interface TJobRow {
  id: string;
  destination_id: string;
  successes: number;
  /** The first success (lowest attempt). */
  success_attempt: number | null;
  success_worker: string | null;
  success_at: Date | null;
  claims: Array<{ attempt: number; owner: string; at: string }>;
  /** Every succeeded transition, by attempt (at: the worker's clock when the answer came). */
  success_log: Array<{ attempt: number; worker: string; at: string }>;
}

const AUDIT_JOBS = /* sql */ `
SELECT j.id, j.destination_id,
       count(t.*) FILTER (WHERE t.state = 'succeeded')::int AS successes,
       min(t.attempt) FILTER (WHERE t.state = 'succeeded') AS success_attempt,
       min(t.worker_id) FILTER (WHERE t.state = 'succeeded') AS success_worker,
       min(t.at) FILTER (WHERE t.state = 'succeeded') AS success_at,
       COALESCE((SELECT json_agg(json_build_object('attempt', c.attempt, 'owner', c.owner, 'at', c.at) ORDER BY c.attempt)
                   FROM test_claims c WHERE c.job_id = j.id), '[]') AS claims,
       COALESCE(json_agg(json_build_object('attempt', t.attempt, 'worker', t.worker_id, 'at', t.at) ORDER BY t.attempt) FILTER (WHERE t.state = 'succeeded'), '[]') AS success_log
  FROM jobs j LEFT JOIN job_transitions t ON t.job_id = j.id
 GROUP BY j.id, j.destination_id`;

/**
 * Why a job succeeded more than once, or a problem: every success but the last must be
 * followed by a claim made after that success's own claim's lease expired.
 */
function explainSuccesses(job: TJobRow, leaseMs: number, late: TAudit['lateSuccesses']): string | null {
  for (const success of job.success_log.slice(0, -1)) {
    const claim = job.claims.find((c) => c.attempt === success.attempt);
    const next = job.claims.find((c) => c.attempt === success.attempt + 1);
    if (!claim || !next) return `job ${job.id}: succeeded at attempt ${success.attempt} and again, but its claims are not in the log (${JSON.stringify(job.claims)})`;
    const leaseEnd = Date.parse(claim.at) + leaseMs;
    if (Date.parse(next.at) < leaseEnd - LEASE_SLACK_MS) {
      return `job ${job.id}: claimed again by ${next.owner} ${Date.parse(next.at) - Date.parse(claim.at)} ms after ${claim.owner}'s claim, while its ${leaseMs} ms lease stood (successes ${JSON.stringify(job.success_log)})`;
    }
    if (Date.parse(success.at) > leaseEnd) late.answerAfterLease++;
    else late.recordedAfterLease++;
  }
  return null;
}

export async function auditDeliveries({ databaseUrl, arrivals, kills, leaseSeconds }: TAuditInput): Promise<TAudit> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<TJobRow>(AUDIT_JOBS).finally(() => client.end());
  const killedAt = new Map(kills.map((kill) => [kill.workerId, kill.at]));
  const problems: string[] = [];
  const audit: TAudit = { jobs: rows.length, deliveries: 0, duplicates: 0, duplicatedJobs: 0, claimsLostToKills: 0, lateSuccesses: { answerAfterLease: 0, recordedAfterLease: 0 }, problems };
  const destinationOf = new Map(rows.map((job) => [job.id, job.destination_id]));
  for (const job of rows) {
    const arrived = arrivals.get(job.destination_id)?.get(job.id) ?? 0;
    audit.deliveries += arrived;
    if (job.successes === 0) problems.push(`job ${job.id}: no succeeded transition`);
    const unexplained = job.successes > 1 ? explainSuccesses(job, leaseSeconds * 1000, audit.lateSuccesses) : null;
    if (unexplained) problems.push(unexplained);
    if (arrived === 0) problems.push(`job ${job.id}: never arrived at its sink`);
    const succeeded = new Set(job.success_log.map((success) => success.attempt));
    const orphans = job.claims.filter((claim) => !succeeded.has(claim.attempt));
    for (const claim of orphans) {
      const killed = killedAt.get(claim.owner);
      // A claim sent just before the kill may still commit in Postgres a moment after it.
      if (killed === undefined || Date.parse(claim.at) > killed + KILL_SLACK_MS) {
        problems.push(`job ${job.id}: claim ${claim.attempt} by ${claim.owner} ended without a transition and its worker was not killed after it`);
      } else audit.claimsLostToKills++;
    }
    if (job.success_worker && killedAt.has(job.success_worker) && job.success_at && job.success_at.getTime() > killedAt.get(job.success_worker)!) {
      problems.push(`job ${job.id}: recorded by ${job.success_worker} after it was killed`);
    }
    if (arrived > 1) {
      audit.duplicates += arrived - 1;
      audit.duplicatedJobs++;
      if (arrived > job.claims.length) problems.push(`job ${job.id}: arrived ${arrived} times but was claimed ${job.claims.length} times`);
    }
  }
  for (const [destinationId, counts] of arrivals) {
    for (const id of counts.keys()) if (destinationOf.get(id) !== destinationId) problems.push(`sink of ${destinationId} received webhook-id ${id}, not one of its jobs`);
  }
  return audit;
}
