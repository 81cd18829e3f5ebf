/**
 * Record IDs a partner gave us, kept in the worker's memory so a known user costs one call
 * instead of a look-up and a call (HubSpot: the contact whose user-ID property holds the
 * event's user ID). Per destination, property and user; bounded in entries (the least
 * recently used goes first) and in age (a record can be merged or deleted in the partner's
 * tool: after `ttlMs` the look-up is made again), and the type forgets an entry as soon as
 * the partner says the record is not found. Each worker process has its own; nothing here
 * is shared or stored.
 */

export interface TRecordIdCacheOptions {
  maxEntries: number;
  ttlMs: number;
}

interface TEntry {
  id: string;
  /** What else must match for the entry to count (the partner account it came from: endpoint and credentials). */
  scope: string;
  expiresAt: number;
}

export class RecordIdCache {
  private readonly entries = new Map<string, TEntry>();

  constructor(private readonly options: TRecordIdCacheOptions) {}

  static key(destinationId: string, property: string, value: string): string {
    return `${destinationId}\u0000${property}\u0000${value}`;
  }

  /** The record ID, or undefined when unknown, expired or learned under another scope. */
  get(key: string, scope: string, now: number): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now || entry.scope !== scope) {
      this.entries.delete(key);
      return undefined;
    }
    // Most recently used last: Map keeps insertion order, so eviction takes the first key.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.id;
  }

  set(key: string, scope: string, id: string, now: number): void {
    this.entries.delete(key);
    this.entries.set(key, { id, scope, expiresAt: now + this.options.ttlMs });
    while (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
