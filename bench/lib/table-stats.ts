/**
 * Sizes and dead tuples of the delivery tables, partitions summed into their parent
 * (pg_partition_tree), from pg_total_relation_size and pg_stat_user_tables.
 */
import pg from 'pg';

export const DELIVERY_TABLES = ['job_queue', 'job_transitions', 'jobs', 'events', 'delivery_rollups'] as const;

export interface TTableStats {
  table: string;
  rows: number;
  mb: number;
  deadTuples: number;
  autovacuums: number;
}

const STATS = /* sql */ `
SELECT t.name AS table,
       COALESCE(sum(s.n_live_tup), 0)::bigint AS rows,
       COALESCE(sum(pg_total_relation_size(p.relid)), 0)::bigint AS bytes,
       COALESCE(sum(s.n_dead_tup), 0)::bigint AS dead,
       COALESCE(sum(s.autovacuum_count), 0)::bigint AS autovacuums
  FROM unnest($1::text[]) AS t(name)
  CROSS JOIN LATERAL (SELECT relid FROM pg_partition_tree(t.name::regclass) UNION SELECT t.name::regclass) p
  LEFT JOIN pg_stat_user_tables s ON s.relid = p.relid
 GROUP BY t.name`;

export async function tableStats(databaseUrl: string): Promise<TTableStats[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ table: string; rows: string; bytes: string; dead: string; autovacuums: string }>(STATS, [DELIVERY_TABLES]);
    return DELIVERY_TABLES.map((name) => {
      const row = rows.find((r) => r.table === name);
      return { table: name, rows: Number(row?.rows ?? 0), mb: Number(row?.bytes ?? 0) / 1048576, deadTuples: Number(row?.dead ?? 0), autovacuums: Number(row?.autovacuums ?? 0) };
    });
  } finally {
    await client.end();
  }
}

export function printTableStats(label: string, stats: TTableStats[], print: (line: string) => void = console.log): void {
  for (const s of stats) {
    print(`  ${label} ${s.table.padEnd(16)} ${String(s.rows).padStart(10)} rows ${s.mb.toFixed(1).padStart(9)} MB ${String(s.deadTuples).padStart(9)} dead tuples ${s.autovacuums} autovacuums`);
  }
}
