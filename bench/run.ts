/** `npm run bench`: every benchmark in turn; each prints `figure <name> <value> <unit>` lines. */
import { BENCH_ENCRYPTION_KEYS } from './lib/setup.ts';
import { benchIngest } from './ingest.ts';

// Benchmarks create destinations, whose secrets are sealed: a throwaway key for this run.
process.env.SWITCHYARD_ENCRYPTION_KEYS ??= BENCH_ENCRYPTION_KEYS;

const BENCHES: Record<string, () => Promise<void>> = { ingest: benchIngest };

const only = process.argv.slice(2);
for (const [name, run] of Object.entries(BENCHES)) {
  if (only.length && !only.includes(name)) continue;
  await run();
}
