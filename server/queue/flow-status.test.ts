import { describe, expect, it } from 'vitest';
import { DELIVERY_DEFAULTS } from '../destinations/delivery-tuning.ts';
import { heldFlow, initialFlow, nextFlow, emptySummary } from '../delivery/flow.ts';
import { describeDeliveryStatus } from './flow-status.ts';

const now = new Date('2026-12-02T13:07:00Z');
const at = (ms: number) => new Date(now.getTime() + ms);
const settingsAt = at(-60_000);
const tuning = DELIVERY_DEFAULTS;
const failures = (n: number) => ({ ...emptySummary(), attempts: n, failures: n, overloaded: n });

describe('what the destination page says', () => {
  it('nothing when all is well', () => {
    expect(describeDeliveryStatus({ flow: null, tuning, settingsAt, now })).toMatchObject({ state: 'normal', needsAttention: false, message: 'Delivering normally.', limits: { concurrency: 20, maxInFlight: 20, rate: null } });
  });

  it('paused after N failures in the last minute, with the next probe at the later of its time and the earliest due retry', () => {
    const flow = nextFlow(initialFlow(at(-5000)), failures(12), { maxInFlight: 20, now: at(-500) });
    const status = describeDeliveryStatus({ flow, tuning, settingsAt, nextDueAt: at(2_000), now });
    expect(status).toMatchObject({ state: 'probing', needsAttention: true, nextProbeAt: at(2_000) });
    expect(status.message).toBe('Paused after 12 failures in the last minute (of 12 attempts); next probe at 13:07:02 UTC. One request at a time until one succeeds.');
    expect(describeDeliveryStatus({ flow, tuning, settingsAt, nextDueAt: at(-10_000), now }).nextProbeAt).toEqual(at(500));
  });

  it('rate limited until the end of a Retry-After', () => {
    const flow = nextFlow(null, { ...emptySummary(), attempts: 1, answered: 1, retryAfter: { seconds: 32, reason: 'HTTP 429 with Retry-After: 32 s' } }, { maxInFlight: 20, now });
    expect(describeDeliveryStatus({ flow, tuning, settingsAt, now: at(1000) })).toMatchObject({ state: 'paused', pausedUntil: at(32_000), message: 'Rate limited by the partner until 13:07:32 UTC (HTTP 429 with Retry-After: 32 s).' });
    expect(describeDeliveryStatus({ flow, tuning, settingsAt, now: at(33_000) }).state).toBe('normal');
  });

  it('held while the settings it was found with are current, no longer once they change', () => {
    const flow = heldFlow(null, { code: 'BLOCKED_ADDRESS', reason: 'the URL resolves to a blocked address', settingsAt, now });
    expect(describeDeliveryStatus({ flow, tuning, settingsAt, now })).toMatchObject({ state: 'held', needsAttention: true, held: { code: 'BLOCKED_ADDRESS', since: now } });
    expect(describeDeliveryStatus({ flow, tuning, settingsAt, now }).message).toMatch(/^Held: the URL resolves to a blocked address\. Its events wait/);
    expect(describeDeliveryStatus({ flow, tuning, settingsAt: at(1000), now }).state).toBe('normal');
  });

  it('the current limits and why they changed', () => {
    const flow = nextFlow(null, { ...emptySummary(), attempts: 10, successes: 5, failures: 5, overloaded: 5, answered: 10 }, { maxInFlight: 20, now });
    const status = describeDeliveryStatus({ flow, tuning, settingsAt, now });
    expect(status).toMatchObject({ state: 'adapting', needsAttention: false, limits: { concurrency: 10, maxInFlight: 20, reason: '5 of 10 answers said overload (502, 503, 504, timeouts or network errors)', changedAt: now } });
  });
});
