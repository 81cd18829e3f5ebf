import { describe, expect, it } from 'vitest';
import { formatDateTime, formatRelative, formatSeconds, parseDateTime } from './format.ts';

describe('the UI\'s date formatting', () => {
  it('writes dates one way, and reads that way back', () => {
    const date = new Date(2026, 11, 2, 13, 6);
    expect(formatDateTime(date)).toBe('2 Dec 2026, 13:06');
    expect(parseDateTime(formatDateTime(date))).toEqual(date);
    expect(parseDateTime('2 december 2026 13:06')).toEqual(date);
    expect(parseDateTime('2026-12-02 13:06')).toEqual(date);
    for (const bad of ['12/02/2026, 01:06 PM', '31 Feb 2026, 10:00', '2 Dec 2026, 24:00', '2 Foo 2026, 10:00', '']) expect(parseDateTime(bad), bad).toBeNull();
  });

  it('says "in 7 days" for an invite made now and a minute later (never "next week" first)', () => {
    const now = new Date(2026, 11, 2, 13, 6);
    const expiresAt = new Date(now.getTime() + 7 * 86_400_000);
    expect(formatRelative(expiresAt, now)).toBe('in 7 days');
    expect(formatRelative(expiresAt, new Date(now.getTime() + 60_000))).toBe('in 7 days');
    expect(formatRelative(new Date(now.getTime() - 86_400_000), now)).toBe('1 day ago');
    expect(formatRelative(new Date(now.getTime() + 30 * 86_400_000), now)).toBe('in 30 days');
    expect(formatRelative(new Date(now.getTime() - 20_000), now)).toBe('just now');
  });

  it('writes durations in units', () => {
    expect(formatSeconds(14_400)).toBe('4 h');
    expect(formatSeconds(90)).toBe('1 min 30 s');
  });
});
