/**
 * Per-destination admission in one worker: how many more requests it may start now, given
 * its in-flight count, its rate limit (token bucket), and what this worker has just learned
 * and not yet shared: a Retry-After pause, or a hold on settings that cannot work. The
 * adaptive limits and the breaker are shared by all workers in destination_flow (flow.ts)
 * and applied by the claim statement; this gate only keeps one worker from over-asking.
 */
export class DestinationGate {
  inFlight = 0;
  private tokens: number;
  private refilledAt = Date.now();
  private pausedUntil = 0;
  private heldFor: number | null = null;

  constructor(private maxInFlight: number, private ratePerSecond: number | null) {
    this.tokens = ratePerSecond === null ? Infinity : Math.max(ratePerSecond, 1);
  }

  configure(maxInFlight: number, ratePerSecond: number | null): void {
    this.maxInFlight = maxInFlight;
    if (ratePerSecond !== this.ratePerSecond) this.tokens = Math.min(this.tokens, ratePerSecond === null ? Infinity : Math.max(ratePerSecond, 1));
    this.ratePerSecond = ratePerSecond;
  }

  /** A Retry-After: nothing more starts from this worker before `until` (epoch ms). */
  pause(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  isPaused(now = Date.now()): boolean {
    return now < this.pausedUntil;
  }

  /** The settings of version `settingsAt` (epoch ms) cannot work: hold until they change. */
  hold(settingsAt: number): void {
    this.heldFor = settingsAt;
  }

  isHeld(settingsAt: number): boolean {
    return this.heldFor !== null && settingsAt <= this.heldFor;
  }

  /** How many requests may start now (at most `batch`). */
  room(batch: number, { now = Date.now(), settingsAt = 0 }: { now?: number; settingsAt?: number } = {}): number {
    if (this.isPaused(now) || this.isHeld(settingsAt)) return 0;
    let room = Math.min(batch, this.maxInFlight - this.inFlight);
    if (this.ratePerSecond !== null) {
      // At most a second's worth, at least one request (so a rate below 1/s still sends).
      this.tokens = Math.min(Math.max(this.ratePerSecond, 1), this.tokens + ((now - this.refilledAt) / 1000) * this.ratePerSecond);
      this.refilledAt = now;
      room = Math.min(room, Math.floor(this.tokens));
    }
    return Math.max(0, room);
  }

  /** Call when `count` requests were claimed and are about to start. */
  started(count: number): void {
    this.inFlight += count;
    if (this.ratePerSecond !== null) this.tokens -= count;
  }

  finished(): void {
    this.inFlight--;
  }
}
