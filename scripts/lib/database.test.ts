/** The embedded Postgres `npm start` runs carries the product's server settings (server/db/server-settings.ts). */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVER_SETTINGS } from '../../server/db/server-settings.ts';
import { openDatabase } from './database.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dataDir = path.join(ROOT, '.test-data', `start-db-${randomBytes(4).toString('hex')}`);

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('the database npm start opens', () => {
  it('runs the embedded server with the settings the README recommends for an external one', async () => {
    const database = await openDatabase({ dataDir, password: randomBytes(16).toString('base64url') });
    const client = new pg.Client({ connectionString: database.url });
    try {
      await client.connect();
      const { rows } = await client.query<{ name: string; setting: string; unit: string | null }>(
        'SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1)',
        [['max_wal_size', 'checkpoint_timeout', 'checkpoint_completion_target']],
      );
      const shown = Object.fromEntries(rows.map((row) => [row.name, (row.unit === 'MB' || row.unit === 's') ? `${row.setting}${row.unit}` : row.setting]));
      expect(shown).toEqual({ max_wal_size: '4096MB', checkpoint_timeout: '900s', checkpoint_completion_target: '0.9' });
      // The module the README's table and the benchmarks read lists the same three.
      expect(SERVER_SETTINGS.map(([name, value]) => `${name}=${value}`)).toEqual(['max_wal_size=4GB', 'checkpoint_timeout=15min', 'checkpoint_completion_target=0.9']);
    } finally {
      await client.end();
      await database.stop();
    }
  }, 120_000);
});
