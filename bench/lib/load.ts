/**
 * Load generators over undici keep-alive pools.
 *  - closedLoop: K requests always in flight for a duration; measures the maximum rate.
 *  - openLoop: requests are started on a fixed schedule whatever the server does, and
 *    latency is counted from the scheduled start, so queueing is not hidden
 *    (no coordinated omission).
 */
import { Pool } from 'undici';

export interface TLoadResult {
  requests: number;
  ok: number;
  failed: number;
  statuses: Record<number, number>;
  seconds: number;
  latenciesMs: number[];
}

/** `tag` (optional) is handed back to `onResponse` with the answer's status. */
type TRequest = () => { path: string; body: string; headers: Record<string, string>; tag?: number };
/** Called as each answer has been read (status 0: no answer), at that moment. */
type TOnResponse = (tag: number | undefined, status: number) => void;

async function send(pool: Pool, request: TRequest, result: TLoadResult, onResponse?: TOnResponse): Promise<void> {
  const { path, body, headers, tag } = request();
  let status = 0;
  try {
    const res = await pool.request({ method: 'POST', path, body, headers });
    await res.body.dump();
    status = res.statusCode;
    result.statuses[res.statusCode] = (result.statuses[res.statusCode] ?? 0) + 1;
    if (res.statusCode === 200) result.ok++;
    else result.failed++;
  } catch {
    result.failed++;
  }
  result.requests++;
  onResponse?.(tag, status);
}

export async function closedLoop({ url, concurrency, seconds, request }: { url: string; concurrency: number; seconds: number; request: TRequest }): Promise<TLoadResult> {
  const pool = new Pool(url, { connections: concurrency, pipelining: 1 });
  const result: TLoadResult = { requests: 0, ok: 0, failed: 0, statuses: {}, seconds, latenciesMs: [] };
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const started = performance.now();
        await send(pool, request, result);
        result.latenciesMs.push(performance.now() - started);
      }
    }),
  );
  await pool.close();
  return result;
}

export async function openLoop({ url, ratePerSecond, seconds, request, connections = 128, onResponse }: { url: string; ratePerSecond: number; seconds: number; request: TRequest; connections?: number; onResponse?: TOnResponse }): Promise<TLoadResult> {
  const pool = new Pool(url, { connections, pipelining: 1 });
  const result: TLoadResult = { requests: 0, ok: 0, failed: 0, statuses: {}, seconds, latenciesMs: [] };
  const intervalMs = 1000 / ratePerSecond;
  const start = performance.now();
  const total = Math.round(ratePerSecond * seconds);
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const scheduled = start + i * intervalMs;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inflight.push(send(pool, request, result, onResponse).then(() => { result.latenciesMs.push(performance.now() - scheduled); }));
  }
  await Promise.all(inflight);
  await pool.close();
  return result;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
