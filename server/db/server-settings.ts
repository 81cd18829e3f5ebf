/**
 * Postgres settings Switchyard gives the embedded server it starts (`npm start` without
 * DATABASE_URL); the same values are the recommendation for an external server (README,
 * "Running on your own PostgreSQL"). They are about write volume: every accepted event is
 * a few KB of table, index and WAL writes, and under ingest the default 1 GB of WAL between
 * checkpoints forces a checkpoint every minute or so, each followed by a burst of full-page
 * images in the WAL. The benchmarks start their Postgres with these too (bench/lib/setup.ts).
 */
export const SERVER_SETTINGS: ReadonlyArray<readonly [name: string, value: string, why: string]> = [
  ['max_wal_size', '4GB', 'WAL between checkpoints: fewer forced checkpoints, so fewer full-page images'],
  ['checkpoint_timeout', '15min', 'a timed checkpoint every 15 minutes instead of 5, for the same reason'],
  ['checkpoint_completion_target', '0.9', 'spread each checkpoint over 90 % of the interval (the default since PostgreSQL 14; set for older servers)'],
];

/** The settings as `postgres -c name=value` flags. */
export function serverSettingFlags(): string[] {
  return SERVER_SETTINGS.flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}
