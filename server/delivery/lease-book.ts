/**
 * The leases this worker holds, per destination: what its claims count against a
 * destination's maxInFlight for this worker, and what they write to `destination_leases`
 * for the other workers' claims (claim-jobs.ts). A lease ends when its outcome is recorded
 * or it is released (`counts` says what happens to one that is neither).
 */

/** How long after its expiry a lease nobody recorded or released stops counting. */
const FORGET_AFTER_MS = 60_000;

export class LeaseBook {
  /** destination → job → when its lease expires (epoch ms), in the order they were claimed. */
  private readonly byDestination = new Map<string, Map<string, number>>();
  private readonly destinationOf = new Map<string, string>();
  /**
   * Jobs whose request succeeded and whose outcome is waiting to be recorded: their leases
   * still stand, but the partner is done with them, so this worker's claims do not count
   * them as in flight (at most maxInFlight of them). Measured on a partner answering in
   * 250 ms with 10 slots: counting them until recorded made the 10 requests start and end
   * together, and every ~300 ms all its slots sat idle for ~50 ms while outcomes were recorded.
   */
  private readonly settled = new Set<string>();

  claimed(destinationId: string, jobId: string, expiresAtMs: number): void {
    let jobs = this.byDestination.get(destinationId);
    if (!jobs) {
      jobs = new Map();
      this.byDestination.set(destinationId, jobs);
    }
    jobs.delete(jobId);
    jobs.set(jobId, expiresAtMs);
    this.destinationOf.set(jobId, destinationId);
  }

  /** The request succeeded; its outcome is on its way to being recorded. */
  settle(jobId: string): void {
    if (this.destinationOf.has(jobId)) this.settled.add(jobId);
  }

  /** Its outcome was recorded, or its lease given back. */
  ended(jobId: string): void {
    const destinationId = this.destinationOf.get(jobId);
    this.settled.delete(jobId);
    if (destinationId === undefined) return;
    this.destinationOf.delete(jobId);
    const jobs = this.byDestination.get(destinationId);
    jobs?.delete(jobId);
    if (jobs?.size === 0) this.byDestination.delete(destinationId);
  }

  /**
   * `held`: the destination's leases (what the other workers must count); `counted`: what
   * this worker's own claim counts, less its settled ones (at most `limit` of them; none
   * while `isSettledCounted`, i.e. while recording is behind).
   * A lease counts until its outcome is recorded or it is released, even past its expiry
   * (recording may be stuck: the other workers may take the job over then, and this worker
   * claiming less meanwhile is right); one neither recorded nor released for a minute after
   * its expiry is forgotten, so a lost one cannot keep a place for ever.
   */
  counts(destinationId: string, { now, limit, isSettledCounted }: { now: number; limit: number; isSettledCounted: boolean }): { held: number; counted: number } {
    const jobs = this.byDestination.get(destinationId);
    if (!jobs) return { held: 0, counted: 0 };
    // Leases were taken in this order, mostly with one lease length: the oldest are at the front.
    for (const [jobId, expiresAt] of jobs) {
      if (expiresAt + FORGET_AFTER_MS > now) break;
      this.ended(jobId);
    }
    let settled = 0;
    if (!isSettledCounted) for (const jobId of jobs.keys()) if (this.settled.has(jobId)) settled++;
    return { held: jobs.size, counted: jobs.size - Math.min(settled, limit) };
  }

  get size(): number {
    return this.destinationOf.size;
  }
}
