import { describe, expect, it } from 'vitest';
import { LeaseBook } from './lease-book.ts';

const D = 'destination-1';
const OTHER = 'destination-2';

describe('LeaseBook', () => {
  it('counts a destination\'s leases until recorded or released, and only that destination\'s', () => {
    const book = new LeaseBook();
    book.claimed(D, 'a', 10_000);
    book.claimed(D, 'b', 10_000);
    book.claimed(OTHER, 'c', 10_000);
    expect(book.counts(D, { now: 0, limit: 10, isSettledCounted: false })).toEqual({ held: 2, counted: 2 });
    book.ended('a');
    expect(book.counts(D, { now: 0, limit: 10, isSettledCounted: false })).toEqual({ held: 1, counted: 1 });
    expect(book.counts(OTHER, { now: 0, limit: 10, isSettledCounted: false })).toEqual({ held: 1, counted: 1 });
    book.ended('b');
    book.ended('unknown');
    expect(book.counts(D, { now: 0, limit: 10, isSettledCounted: false })).toEqual({ held: 0, counted: 0 });
    expect(book.size).toBe(1);
  });

  it('does not count settled leases for its own claims (at most the limit of them), but still holds them; counts them while recording is behind', () => {
    const book = new LeaseBook();
    for (const id of ['a', 'b', 'c', 'd']) book.claimed(D, id, 10_000);
    book.settle('a');
    book.settle('b');
    book.settle('c');
    expect(book.counts(D, { now: 0, limit: 10, isSettledCounted: false })).toEqual({ held: 4, counted: 1 });
    expect(book.counts(D, { now: 0, limit: 2, isSettledCounted: false })).toEqual({ held: 4, counted: 2 });
    expect(book.counts(D, { now: 0, limit: 10, isSettledCounted: true })).toEqual({ held: 4, counted: 4 });
    book.ended('a');
    expect(book.counts(D, { now: 0, limit: 10, isSettledCounted: false })).toEqual({ held: 3, counted: 1 });
    // Settling a job it does not hold changes nothing.
    book.settle('zzz');
    expect(book.counts(D, { now: 0, limit: 10, isSettledCounted: false })).toEqual({ held: 3, counted: 1 });
  });

  it('keeps counting an expired lease nobody recorded, and forgets it a minute after its expiry', () => {
    const book = new LeaseBook();
    book.claimed(D, 'old', 1_000);
    book.claimed(D, 'new', 50_000);
    expect(book.counts(D, { now: 30_000, limit: 10, isSettledCounted: false }).held).toBe(2);
    expect(book.counts(D, { now: 61_000, limit: 10, isSettledCounted: false }).held).toBe(1);
    expect(book.size).toBe(1);
    // The same job claimed again (its lease had expired) counts once, with its new expiry.
    book.claimed(D, 'new', 200_000);
    expect(book.counts(D, { now: 120_000, limit: 10, isSettledCounted: false }).held).toBe(1);
  });
});
