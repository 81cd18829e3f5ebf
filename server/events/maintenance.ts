/**
 * Housekeeping of the event store, run by `npm start` after migrating and by the worker
 * every few minutes: partitions ahead of time, old partitions dropped, old messageIds forgotten.
 */
import pg from 'pg';
import { dropExpiredPartitions, ensurePartitions, purgeDedupe } from './partitions.ts';

export interface TMaintenanceReport {
  created: string[];
  dropped: string[];
  forgotten: number;
}

export async function runEventStoreMaintenance({
  databaseUrl,
  retentionDays,
  dedupeHours,
  now = new Date(),
}: {
  databaseUrl: string;
  retentionDays: number;
  dedupeHours: number;
  now?: Date;
}): Promise<TMaintenanceReport> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const created = await ensurePartitions(client, { now });
    const dropped = await dropExpiredPartitions(client, { retentionDays, now });
    const forgotten = await purgeDedupe(client, { hours: dedupeHours, now });
    return { created, dropped, forgotten };
  } finally {
    await client.end();
  }
}
