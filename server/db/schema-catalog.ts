/**
 * What a migrated database really holds in its `public` schema, read from pg_catalog as the
 * same facts schema-drift.ts derives from schema.prisma: tables, columns (type, nullability),
 * enums, primary keys, unique and plain indexes (by column list), foreign keys. The
 * migration runner's own table and the partitions of partitioned tables are not part of the
 * data model and are left out.
 */
import pg from 'pg';
import type { TFacts } from './schema-drift.ts';

const IGNORED_TABLES = new Set(['_switchyard_migrations']);

const ACTIONS: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

const TABLES_SQL = `
  SELECT c.oid, c.relname AS table
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition`;

const COLUMNS_SQL = `
  SELECT a.attrelid AS oid, a.attname AS column, a.attnotnull AS not_null,
         CASE WHEN t.typtype = 'e' THEN t.typname
              WHEN et.typtype = 'e' THEN et.typname || '[]'
              ELSE format_type(a.atttypid, a.atttypmod) END AS type
  FROM pg_attribute a
  JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
  WHERE a.attrelid = ANY($1) AND a.attnum > 0 AND NOT a.attisdropped
  ORDER BY a.attrelid, a.attnum`;

const ENUMS_SQL = `
  SELECT t.typname AS name, string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) AS labels
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
  WHERE n.nspname = 'public'
  GROUP BY t.typname`;

const INDEXES_SQL = `
  SELECT i.indrelid AS oid, i.indisprimary AS is_primary, i.indisunique AS is_unique,
         array_agg(CASE WHEN k.attnum = 0 THEN '<expression>' ELSE a.attname::text END
                   || CASE WHEN i.indoption[k.ord - 1] & 1 = 1 THEN ' DESC' ELSE '' END ORDER BY k.ord) AS columns
  FROM pg_index i
  CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
  LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
  WHERE i.indrelid = ANY($1) AND k.ord <= i.indnkeyatts
  GROUP BY i.indexrelid, i.indrelid, i.indisprimary, i.indisunique`;

const FOREIGN_KEYS_SQL = `
  SELECT c.conrelid AS oid, ft.relname AS target, c.confdeltype AS on_delete, c.confupdtype AS on_update,
         (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS columns,
         (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS references
  FROM pg_constraint c JOIN pg_class ft ON ft.oid = c.confrelid
  WHERE c.contype = 'f' AND c.conrelid = ANY($1)`;

export async function databaseFacts(connectionString: string): Promise<TFacts> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const facts: TFacts = new Map();
    const tables = (await client.query<{ oid: number; table: string }>(TABLES_SQL)).rows.filter(
      (row) => !IGNORED_TABLES.has(row.table),
    );
    const nameOf = new Map(tables.map((row) => [row.oid, row.table]));
    const oids = [...nameOf.keys()];
    for (const { table } of tables) facts.set(`table ${table}`, '');

    const columns = await client.query<{ oid: number; column: string; not_null: boolean; type: string }>(COLUMNS_SQL, [oids]);
    for (const row of columns.rows) {
      facts.set(`column ${nameOf.get(row.oid)}.${row.column}`, `${row.type}${row.not_null ? ' NOT NULL' : ''}`);
    }

    for (const row of (await client.query<{ name: string; labels: string }>(ENUMS_SQL)).rows) {
      facts.set(`enum ${row.name}`, row.labels);
    }

    const indexes = await client.query<{ oid: number; is_primary: boolean; is_unique: boolean; columns: string[] }>(INDEXES_SQL, [oids]);
    for (const row of indexes.rows) {
      const table = nameOf.get(row.oid);
      const list = row.columns.join(', ');
      if (row.is_primary) facts.set(`primary key ${table}`, `(${list})`);
      else if (row.is_unique) facts.set(`unique index ${table} (${list})`, '');
      else facts.set(`index ${table} (${list})`, '');
    }

    const foreignKeys = await client.query<{
      oid: number;
      target: string;
      on_delete: string;
      on_update: string;
      columns: string[];
      references: string[];
    }>(FOREIGN_KEYS_SQL, [oids]);
    for (const row of foreignKeys.rows) {
      facts.set(
        `foreign key ${nameOf.get(row.oid)} (${row.columns.join(', ')})`,
        `→ ${row.target} (${row.references.join(', ')}) ON DELETE ${ACTIONS[row.on_delete]} ON UPDATE ${ACTIONS[row.on_update]}`,
      );
    }
    return facts;
  } finally {
    await client.end();
  }
}
