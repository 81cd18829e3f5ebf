import { describe, expect, it } from 'vitest';
import { DestinationGate } from './destination-gate.ts';

describe('destination gate', () => {
  it('limits requests in flight', () => {
    const gate = new DestinationGate(3, null);
    expect(gate.room(10)).toBe(3);
    gate.started(3);
    expect(gate.room(10)).toBe(0);
    gate.finished({ isFailure: false });
    expect(gate.room(10)).toBe(1);
  });

  it('limits the rate with a token bucket', () => {
    const gate = new DestinationGate(100, 10);
    const t0 = Date.now();
    expect(gate.room(100, t0)).toBe(10);
    gate.started(10);
    expect(gate.room(100, t0)).toBe(0);
    expect(gate.room(100, t0 + 500)).toBe(5);
  });

  it('still sends below one request a second: one request every 1/rate seconds', () => {
    const gate = new DestinationGate(100, 0.5);
    const t0 = Date.now();
    expect(gate.room(100, t0)).toBe(1);
    gate.started(1);
    gate.finished({ isFailure: false });
    expect(gate.room(100, t0 + 1000)).toBe(0);
    expect(gate.room(100, t0 + 2000)).toBe(1);
  });

  it('probes a destination that fails everything one request at a time, backing off, and recovers on success', () => {
    const gate = new DestinationGate(50, null);
    let now = 1_000_000;
    gate.started(10);
    for (let i = 0; i < 10; i++) gate.finished({ isFailure: true, now });
    expect(gate.isOpen).toBe(true);
    expect(gate.room(50, now)).toBe(0);
    now += 1000;
    expect(gate.room(50, now)).toBe(1);
    gate.started(1);
    expect(gate.room(50, now)).toBe(0); // one probe at a time
    gate.finished({ isFailure: true, now });
    expect(gate.room(50, now + 1500)).toBe(0); // the next probe waits 2 s
    expect(gate.room(50, now + 2000)).toBe(1);
    gate.started(1);
    gate.finished({ isFailure: false, now: now + 2100 });
    expect(gate.isOpen).toBe(false);
    expect(gate.room(50, now + 2100)).toBe(50);
  });
});
