/**
 * Daily partitions of the event store, the queue's history and the rollups: created a few
 * days ahead, dropped whole when older than the retention (never a mass DELETE). The
 * deduplication table forgets messageIds older than the dedupe window in small batches.
 */
import type pg from 'pg';

/** Each table partitioned by day, and its partition key. */
export const PARTITION_KEYS = {
  events: 'received_at',
  event_identities: 'received_at',
  jobs: 'created_at',
  job_transitions: 'at',
  delivery_rollups: 'minute',
  delivery_rollups_hourly: 'hour',
  ingest_rollups: 'hour',
} as const;
export const PARTITIONED_TABLES = Object.keys(PARTITION_KEYS) as Array<keyof typeof PARTITION_KEYS>;
const DAY_MS = 86_400_000;

function dayStart(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

export function partitionName(table: string, day: Date): string {
  return `${table}_p${day.toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/** Creates the partitions for yesterday through `daysAhead` days from now. Returns the ones created. */
export async function ensurePartitions(client: pg.Pool | pg.Client, { now = new Date(), daysAhead = 3 } = {}): Promise<string[]> {
  const created: string[] = [];
  const today = dayStart(now);
  for (const table of PARTITIONED_TABLES) {
    for (let offset = -1; offset <= daysAhead; offset++) {
      const from = new Date(today.getTime() + offset * DAY_MS);
      const to = new Date(from.getTime() + DAY_MS);
      const name = partitionName(table, from);
      const { rows } = await client.query('SELECT to_regclass($1) AS existing', [name]);
      if (rows[0].existing) continue;
      try {
        await client.query(`CREATE TABLE IF NOT EXISTS ${name} PARTITION OF ${table} FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`);
        created.push(name);
      } catch (error) {
        // Rows for that day already sit in the default partition (clock jumps): keep them there.
        if ((error as { code?: string }).code !== '23514') throw error;
      }
    }
  }
  return created;
}

/**
 * Drops whole partitions that end before now − retentionDays, and deletes the rows older than
 * that from the default partitions (rows that landed there while the clock jumped). Returns
 * the partitions dropped.
 */
export async function dropExpiredPartitions(client: pg.Pool | pg.Client, { retentionDays, now = new Date() }: { retentionDays: number; now?: Date }): Promise<string[]> {
  const cutoff = dayStart(new Date(now.getTime() - retentionDays * DAY_MS));
  const dropped: string[] = [];
  for (const table of PARTITIONED_TABLES) {
    const { rows } = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname = $1 AND c.relname ~ '_p[0-9]{8}$'`,
      [table],
    );
    for (const { name } of rows) {
      const ymd = name.slice(-8);
      const day = new Date(`${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}T00:00:00Z`);
      if (day.getTime() + DAY_MS <= cutoff.getTime()) {
        await client.query(`DROP TABLE IF EXISTS ${name}`);
        dropped.push(name);
      }
    }
    await client.query(`DELETE FROM ${table}_default WHERE ${PARTITION_KEYS[table]} < $1`, [cutoff]);
  }
  return dropped;
}

/**
 * Forgets messageIds older than the window, 5,000 at a time. Returns how many went.
 * The expiry index is BRIN (migration 0018): a min/max of received_at per range of pages.
 * A range's summary only ever widens, and the space this frees is refilled with new rows,
 * so a range once emptied here would keep its old minimum and be read by every later
 * purge; each range a batch deleted from is therefore unsummarized, and the next vacuum
 * summarizes it again from what it then holds.
 */
export async function purgeDedupe(client: pg.Pool | pg.Client, { hours, now = new Date() }: { hours: number; now?: Date }): Promise<number> {
  const cutoff = new Date(now.getTime() - hours * 3_600_000);
  let total = 0;
  for (;;) {
    const { rows } = await client.query<{ block: string; n: number }>(
      `WITH gone AS (DELETE FROM event_dedupe WHERE ctid = ANY (ARRAY(SELECT ctid FROM event_dedupe WHERE received_at < $1 LIMIT 5000)) RETURNING ctid)
       SELECT (ctid::text::point)[0]::bigint AS block, count(*)::int AS n FROM gone GROUP BY 1`,
      [cutoff],
    );
    const deleted = rows.reduce((sum, row) => sum + row.n, 0);
    if (rows.length > 0) {
      // Any block of a range names the range; unsummarizing one that is not summarized does nothing.
      await client.query(`SELECT brin_desummarize_range('event_dedupe_received_at_idx'::regclass, b) FROM unnest($1::bigint[]) b`, [rows.map((row) => row.block)]);
    }
    total += deleted;
    if (deleted < 5000) return total;
  }
}
