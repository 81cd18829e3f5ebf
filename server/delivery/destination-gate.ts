/**
 * Per-destination admission in one worker: how many more requests it may start now, given
 * its in-flight count, its rate limit (token bucket) and its health. A destination that
 * fails everything is probed gently — after 10 consecutive failures only one request at a
 * time goes out, spaced 1 s, 2 s, 4 s … up to 60 s — instead of being hammered (and none
 * while requests sent before it opened are still out); the first success restores its full
 * concurrency.
 */
const FAILURES_TO_OPEN = 10;
const MAX_PROBE_DELAY_MS = 60_000;

export class DestinationGate {
  inFlight = 0;
  private tokens: number;
  private refilledAt = Date.now();
  private consecutiveFailures = 0;
  private probeDelayMs = 1000;
  private closedUntil = 0;
  private isProbing = false;

  constructor(private maxInFlight: number, private ratePerSecond: number | null) {
    this.tokens = ratePerSecond === null ? Infinity : Math.max(ratePerSecond, 1);
  }

  configure(maxInFlight: number, ratePerSecond: number | null): void {
    this.maxInFlight = maxInFlight;
    if (ratePerSecond !== this.ratePerSecond) this.tokens = Math.min(this.tokens, ratePerSecond === null ? Infinity : Math.max(ratePerSecond, 1));
    this.ratePerSecond = ratePerSecond;
  }

  get isOpen(): boolean {
    return this.consecutiveFailures >= FAILURES_TO_OPEN;
  }

  /** How many requests may start now (at most `batch`). */
  room(batch: number, now = Date.now()): number {
    let room = Math.min(batch, this.maxInFlight - this.inFlight);
    if (this.ratePerSecond !== null) {
      // At most a second's worth, at least one request (so a rate below 1/s still sends).
      this.tokens = Math.min(Math.max(this.ratePerSecond, 1), this.tokens + ((now - this.refilledAt) / 1000) * this.ratePerSecond);
      this.refilledAt = now;
      room = Math.min(room, Math.floor(this.tokens));
    }
    if (this.isOpen) room = this.isProbing || this.inFlight > 0 || now < this.closedUntil ? 0 : Math.min(room, 1);
    return Math.max(0, room);
  }

  /** Call when `count` requests were claimed and are about to start. */
  started(count: number): void {
    this.inFlight += count;
    if (this.ratePerSecond !== null) this.tokens -= count;
    if (this.isOpen && count > 0) this.isProbing = true;
  }

  finished({ isFailure, now = Date.now() }: { isFailure: boolean; now?: number }): void {
    this.inFlight--;
    if (!isFailure) {
      this.consecutiveFailures = 0;
      this.probeDelayMs = 1000;
      this.isProbing = false;
      return;
    }
    this.consecutiveFailures++;
    if (this.isOpen) {
      if (this.isProbing) this.probeDelayMs = Math.min(MAX_PROBE_DELAY_MS, this.probeDelayMs * 2);
      this.isProbing = false;
      this.closedUntil = now + this.probeDelayMs;
    }
  }
}
