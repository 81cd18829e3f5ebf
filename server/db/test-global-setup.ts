/**
 * Vitest global setup: one Postgres cluster for the whole run. Without DATABASE_URL it starts
 * a throwaway embedded cluster under `.test-data/pg-<random>` (durability off: nothing here
 * needs to survive a crash) and deletes it afterwards; with DATABASE_URL it uses that server.
 * Either way tests receive an admin URL through `inject('databaseAdminUrl')` and create their
 * own database on it (see test-db.ts).
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { env } from '../env.ts';
import { startEmbeddedPostgres } from './embedded.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseAdminUrl: string;
  }
}

const ROOT = path.resolve(import.meta.dirname, '../..');
const THROWAWAY_FLAGS = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = env().DATABASE_URL;
  if (external) {
    project.provide('databaseAdminUrl', external);
    return async () => undefined;
  }
  const dir = path.join(ROOT, '.test-data', `pg-${randomBytes(4).toString('hex')}`);
  const started = Date.now();
  const pg = await startEmbeddedPostgres({ dir, flags: THROWAWAY_FLAGS });
  console.log(`test Postgres ready in ${Date.now() - started} ms (${dir})`);
  project.provide('databaseAdminUrl', pg.url('postgres'));
  return async () => {
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
