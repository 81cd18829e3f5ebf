/**
 * `npm run bench`: every benchmark in turn; each prints `figure <name> <value> <unit>` lines.
 * `npm run bench -- delivery` runs one; `npm run bench -- soak` runs the delivery soak,
 * which is never part of a plain `npm run bench` (it lasts BENCH_SOAK_MINUTES, default 30);
 * `npm run bench -- privacy` (seeds millions of events by default) is only run when named.
 */
import { BENCH_ENCRYPTION_KEYS } from './lib/setup.ts';
import { benchDelivery } from './delivery.ts';
import { benchE2e } from './e2e.ts';
import { benchIngest } from './ingest.ts';
import { benchPrivacy } from './privacy.ts';
import { benchSoak } from './soak.ts';
import { benchTraces } from './traces.ts';

// Benchmarks create destinations, whose secrets are sealed: a throwaway key for this run.
process.env.SWITCHYARD_ENCRYPTION_KEYS ??= BENCH_ENCRYPTION_KEYS;

const BENCHES: Record<string, () => Promise<void>> = { ingest: benchIngest, delivery: benchDelivery, e2e: benchE2e, traces: benchTraces, privacy: benchPrivacy, soak: benchSoak };
const ONLY_WHEN_NAMED = new Set(['soak', 'privacy']);

const only = process.argv.slice(2);
for (const name of only) if (!(name in BENCHES)) throw new Error(`unknown benchmark "${name}" (known: ${Object.keys(BENCHES).join(', ')})`);
for (const [name, run] of Object.entries(BENCHES)) {
  if (only.length ? !only.includes(name) : ONLY_WHEN_NAMED.has(name)) continue;
  await run();
}
