/**
 * V8 flags the product's web process runs with (`npm start`; the benchmarks start it the
 * same way, bench/lib/processes.ts). A larger young generation: the tracking API allocates
 * short-lived objects for every event (parsed bodies, normalised payloads, row strings), and
 * with V8's default 16 MB semi-space many of them presumably outlived a scavenge and were
 * promoted, to be collected by the slower full GC (not traced; the bench shows the saving). 32 MB: in the ingest bench it kept
 * nearly all of 64 MB's saving in CPU per event for a third of its extra memory (bench/README.md).
 */
export const WEB_NODE_FLAGS = ['--max-semi-space-size=32'];
