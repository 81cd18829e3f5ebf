import { describe, expect, it } from 'vitest';
import { DestinationGate } from './destination-gate.ts';

describe('destination gate', () => {
  it('limits requests in flight', () => {
    const gate = new DestinationGate(3, null);
    expect(gate.room(10)).toBe(3);
    gate.started(3);
    expect(gate.room(10)).toBe(0);
    gate.finished();
    expect(gate.room(10)).toBe(1);
  });

  it('limits the rate with a token bucket', () => {
    const gate = new DestinationGate(100, 10);
    const t0 = Date.now();
    expect(gate.room(100, { now: t0 })).toBe(10);
    gate.started(10);
    expect(gate.room(100, { now: t0 })).toBe(0);
    expect(gate.room(100, { now: t0 + 500 })).toBe(5);
  });

  it('still sends below one request a second: one request every 1/rate seconds', () => {
    const gate = new DestinationGate(100, 0.5);
    const t0 = Date.now();
    expect(gate.room(100, { now: t0 })).toBe(1);
    gate.started(1);
    gate.finished();
    expect(gate.room(100, { now: t0 + 1000 })).toBe(0);
    expect(gate.room(100, { now: t0 + 2000 })).toBe(1);
  });

  it('starts nothing during a Retry-After pause, and everything after it', () => {
    const gate = new DestinationGate(10, null);
    const t0 = 1_000_000;
    gate.pause(t0 + 2000);
    expect(gate.isPaused(t0 + 1999)).toBe(true);
    expect(gate.room(10, { now: t0 + 1999 })).toBe(0);
    expect(gate.room(10, { now: t0 + 2000 })).toBe(10);
  });

  it('holds a destination whose settings cannot work until they change', () => {
    const gate = new DestinationGate(10, null);
    gate.hold(5000);
    expect(gate.room(10, { settingsAt: 5000 })).toBe(0);
    expect(gate.room(10, { settingsAt: 6000 })).toBe(10);
  });
});
