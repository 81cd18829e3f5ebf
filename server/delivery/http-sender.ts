/**
 * Sends one delivery over HTTP and returns what happened; it never throws on a non-2xx.
 * Keep-alive connection pools per origin (undici Agent), connect / response / body
 * timeouts, redirects not followed (a 3xx is an answer like any other), at most
 * MAX_READ_BYTES of a response read, and private addresses refused after DNS resolution.
 */
import net from 'node:net';
import { Agent, request } from 'undici';
import { AddressGuard } from './address-guard.ts';
import { parseRetryAfter, type TAttemptOutcome } from './retry-policy.ts';

export const EXCERPT_BYTES = 1024;
const MAX_READ_BYTES = 64 * 1024;

export interface TSendRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

function errorCode(error: unknown): string {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const { code, name } = current as { code?: unknown; name?: unknown };
    if (name === 'TimeoutError') return 'TIMEOUT';
    if (typeof code === 'string' && code !== 'UND_ERR_ABORTED') return code;
    current = (current as { cause?: unknown }).cause;
  }
  if (error && typeof error === 'object' && (error as { name?: string }).name === 'AbortError') return 'ECONNABORTED';
  return 'ECONNRESET';
}

export class HttpSender {
  private readonly agent: Agent;
  private readonly guard: AddressGuard;

  constructor({ allowPrivate, connections = 64 }: { allowPrivate: string | undefined; connections?: number }) {
    this.guard = new AddressGuard(allowPrivate);
    this.agent = new Agent({
      connections,
      keepAliveTimeout: 30_000,
      connect: { timeout: 5_000, lookup: this.guard.lookup },
    });
  }

  async send({ url, headers, body, timeoutMs, signal }: TSendRequest): Promise<TAttemptOutcome> {
    const started = performance.now();
    const latency = () => Math.round(performance.now() - started);
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return { kind: 'network', code: 'INVALID_URL', latencyMs: 0 };
    }
    const host = target.hostname.replace(/^\[|\]$/g, '');
    if (net.isIP(host) && this.guard.isBlocked(host)) {
      return { kind: 'network', code: 'BLOCKED_ADDRESS', latencyMs: 0, message: `${host} is a private address destinations may not reach` };
    }
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const res = await request(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Switchyard-Webhooks/1', ...headers },
        body,
        dispatcher: this.agent,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      });
      const chunks: Buffer[] = [];
      let read = 0;
      try {
        for await (const chunk of res.body) {
          const buffer = chunk as Buffer;
          if (read < EXCERPT_BYTES) chunks.push(buffer.subarray(0, EXCERPT_BYTES - read));
          read += buffer.length;
          if (read >= MAX_READ_BYTES) break;
        }
      } catch {
        // A body that fails midway still leaves us the status code.
      } finally {
        if (read >= MAX_READ_BYTES) res.body.destroy();
      }
      return {
        kind: 'http',
        status: res.statusCode,
        latencyMs: latency(),
        bodyExcerpt: Buffer.concat(chunks).toString('utf8').slice(0, EXCERPT_BYTES),
        retryAfterSeconds: parseRetryAfter(res.headers['retry-after']),
      };
    } catch (error) {
      return { kind: 'network', code: errorCode(error), latencyMs: latency(), message: (error as Error).message?.slice(0, 300) };
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
