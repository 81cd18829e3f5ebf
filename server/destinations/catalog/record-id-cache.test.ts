/** The record-ID cache's bounds: entries, age, and the account an ID was learned from. */
import { describe, expect, it } from 'vitest';
import { RecordIdCache } from './record-id-cache.ts';

describe('RecordIdCache', () => {
  const key = (user: string) => RecordIdCache.key('dest-1', 'app_user_id', user);

  it('keeps at most maxEntries, forgetting the least recently used first', () => {
    const cache = new RecordIdCache({ maxEntries: 2, ttlMs: 60_000 });
    cache.set(key('a'), 'acct', '101', 0);
    cache.set(key('b'), 'acct', '102', 0);
    expect(cache.get(key('a'), 'acct', 1)).toBe('101'); // a is now the most recently used
    cache.set(key('c'), 'acct', '103', 2);
    expect(cache.size).toBe(2);
    expect(cache.get(key('b'), 'acct', 3)).toBeUndefined();
    expect(cache.get(key('a'), 'acct', 3)).toBe('101');
    expect(cache.get(key('c'), 'acct', 3)).toBe('103');
  });

  it('forgets an entry after ttlMs, when asked to, and when the account it came from changed', () => {
    const cache = new RecordIdCache({ maxEntries: 10, ttlMs: 1_000 });
    cache.set(key('a'), 'acct', '101', 0);
    expect(cache.get(key('a'), 'acct', 999)).toBe('101');
    expect(cache.get(key('a'), 'acct', 1_000)).toBeUndefined();
    cache.set(key('a'), 'acct', '101', 0);
    cache.delete(key('a'));
    expect(cache.get(key('a'), 'acct', 1)).toBeUndefined();
    cache.set(key('a'), 'acct', '101', 0);
    expect(cache.get(key('a'), 'other-account', 1)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps destinations, properties and users apart', () => {
    const cache = new RecordIdCache({ maxEntries: 10, ttlMs: 1_000 });
    cache.set(RecordIdCache.key('dest-1', 'app_user_id', 'u'), 'acct', '101', 0);
    expect(cache.get(RecordIdCache.key('dest-2', 'app_user_id', 'u'), 'acct', 1)).toBeUndefined();
    expect(cache.get(RecordIdCache.key('dest-1', 'crm_key', 'u'), 'acct', 1)).toBeUndefined();
    expect(cache.get(RecordIdCache.key('dest-1', 'app_user_id', 'v'), 'acct', 1)).toBeUndefined();
    expect(cache.get(RecordIdCache.key('dest-1', 'app_user_id', 'u'), 'acct', 1)).toBe('101');
  });
});
