/** The Prisma client (Prisma 7, driver adapter over node-postgres), one per process. */
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client.ts';
import { databaseUrl } from '../env.ts';

export type Db = PrismaClient;

export function createDb(url: string, options: { max?: number } = {}): PrismaClient {
  const adapter = new PrismaPg({ connectionString: url, max: options.max ?? 10 });
  return new PrismaClient({ adapter });
}

const globalForDb = globalThis as unknown as { switchyardDb?: PrismaClient };

/** The process-wide client (kept on globalThis so hot reload doesn't open new pools). */
export function db(): PrismaClient {
  globalForDb.switchyardDb ??= createDb(databaseUrl());
  return globalForDb.switchyardDb;
}
