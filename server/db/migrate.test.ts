import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, readMigrations } from './migrate.ts';
import { createEmptyDatabase, dropDatabase } from './test-db.ts';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('migrate', () => {
  let database: { name: string; url: string };
  let tempRoot: string;
  let copies = 0;

  /** A private copy of prisma/migrations that a test may edit. */
  async function copyMigrations(): Promise<string> {
    const dir = path.join(tempRoot, `copy-${copies++}`);
    await cp(path.resolve(import.meta.dirname, '../../prisma/migrations'), dir, { recursive: true });
    return dir;
  }

  beforeAll(async () => {
    database = await createEmptyDatabase();
    tempRoot = await mkdtemp(path.join(os.tmpdir(), 'switchyard-migrations-'));
  });

  afterAll(async () => {
    await dropDatabase(database.name);
    await rm(tempRoot, { recursive: true, force: true });
  });

  it('applies every migration in order on an empty database and records it', async () => {
    const expected = (await readMigrations()).map((migration) => migration.name);
    expect(expected.length).toBeGreaterThan(0);

    const applied = await migrate(database.url);

    expect(applied).toEqual(expected);
    const recorded = await query<{ name: string }>(database.url, 'SELECT name FROM _switchyard_migrations ORDER BY name');
    expect(recorded.map((row) => row.name)).toEqual(expected);
    const tables = await query<{ table_name: string }>(
      database.url,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(tables.map((row) => row.table_name)).toContain('worker_heartbeats');
  });

  it('is idempotent: a second run applies nothing and keeps the data', async () => {
    await query(database.url, "INSERT INTO workspaces (id, name, slug) VALUES (gen_random_uuid(), 'Kept', 'kept')");

    expect(await migrate(database.url)).toEqual([]);

    const rows = await query<{ slug: string }>(database.url, 'SELECT slug FROM workspaces');
    expect(rows.map((row) => row.slug)).toEqual(['kept']);
  });

  it('runs concurrent starts safely (one applies, the others wait and find nothing to do)', async () => {
    const other = await createEmptyDatabase();
    try {
      const results = await Promise.all([migrate(other.url), migrate(other.url), migrate(other.url)]);
      const appliedCounts = results.map((applied) => applied.length).sort();
      expect(appliedCounts).toEqual([0, 0, (await readMigrations()).length]);
    } finally {
      await dropDatabase(other.name);
    }
  });

  it('refuses a migration that was edited after it was applied', async () => {
    const dir = await copyMigrations();
    const [first] = await readMigrations(dir);
    await writeFile(path.join(dir, first.name, 'migration.sql'), `${first.sql}\n-- edited\n`);

    await expect(migrate(database.url, { dir })).rejects.toThrow(`migration ${first.name} was changed after it was applied`);
  });

  it('rolls back a failing migration and leaves no record of it', async () => {
    const dir = await copyMigrations();
    await mkdir(path.join(dir, '9999_broken'));
    await writeFile(path.join(dir, '9999_broken', 'migration.sql'), 'CREATE TABLE half_done (id int); SELECT 1/0;');

    await expect(migrate(database.url, { dir })).rejects.toThrow('migration 9999_broken failed: division by zero');

    expect(await query(database.url, "SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'")).toEqual([]);
    expect(await query(database.url, "SELECT 1 FROM _switchyard_migrations WHERE name = '9999_broken'")).toEqual([]);
  });
});
