/**
 * V8 flags the product's web process runs with (`npm start`; the benchmarks start it the
 * same way, bench/lib/processes.ts). A larger young generation: the tracking API allocates
 * short-lived objects for every event (parsed bodies, normalised payloads, row strings), and
 * with V8's default 16 MB semi-space a flush's worth of them outlived a scavenge and was
 * promoted, to be collected again by the slower full GC.
 */
export const WEB_NODE_FLAGS = ['--max-semi-space-size=32'];
