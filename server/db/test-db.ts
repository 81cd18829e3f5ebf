/**
 * An isolated, migrated database for one test file, on the cluster of the global setup:
 *
 *   const testDb = await createTestDb();   // in beforeAll
 *   await testDb.drop();                   // in afterAll
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, type Db } from './client.ts';
import { migrate } from './migrate.ts';

export interface TTestDb {
  db: Db;
  url: string;
  name: string;
  drop: () => Promise<void>;
}

export function adminUrl(): string {
  return inject('databaseAdminUrl');
}

export function databaseUrlFor(database: string, base = adminUrl()): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs statements that cannot run inside a database they affect (CREATE/DROP DATABASE). */
export async function onAdmin(statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    for (const sql of statements) await client.query(sql);
  } finally {
    await client.end();
  }
}

/** An empty database (no migrations); the caller drops it with `dropDatabase`. */
export async function createEmptyDatabase(): Promise<{ name: string; url: string }> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  await onAdmin([`CREATE DATABASE "${name}"`]);
  return { name, url: databaseUrlFor(name) };
}

export async function dropDatabase(name: string): Promise<void> {
  await onAdmin([`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`]);
}

export async function createTestDb(): Promise<TTestDb> {
  const { name, url } = await createEmptyDatabase();
  await migrate(url);
  const db = createDb(url, { max: 5 });
  return {
    db,
    url,
    name,
    drop: async () => {
      await db.$disconnect();
      await dropDatabase(name);
    },
  };
}
