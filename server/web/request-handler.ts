/**
 * What the web process does with every request before Next.js sees it:
 *
 * 1. It replaces any `x-switchyard-client-ip` header a client sent with the address the
 *    request really came from (the socket's peer, or with SWITCHYARD_TRUST_PROXY the first
 *    X-Forwarded-For entry), so server code can rate-limit and audit by that header.
 * 2. It offers the request to the lean routes in order (the tracking API `/v1/*` answers
 *    here without paying for Next's router); the first that returns true owns it.
 * 3. Everything else goes to Next.js.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CLIENT_IP_HEADER } from '../auth/client-ip.ts';

/** Answers the request and returns true, or returns false to pass it on. */
export type TLeanRoute = (req: IncomingMessage, res: ServerResponse) => boolean;

export type TNextHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

function normalizeIp(address: string): string {
  const trimmed = address.trim();
  return trimmed.startsWith('::ffff:') && trimmed.includes('.') ? trimmed.slice('::ffff:'.length) : trimmed;
}

export function clientIp(req: IncomingMessage, { trustProxy }: { trustProxy: boolean }): string {
  if (trustProxy) {
    const header = req.headers['x-forwarded-for'];
    const first = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim();
    if (first) return normalizeIp(first);
  }
  return normalizeIp(req.socket.remoteAddress ?? '');
}

/** Overwrites the header in both views Node keeps of it (parsed and raw). */
export function stampClientIp(req: IncomingMessage, options: { trustProxy: boolean }): void {
  const ip = clientIp(req, options);
  delete req.headers[CLIENT_IP_HEADER];
  req.headers[CLIENT_IP_HEADER] = ip;
  const raw: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i].toLowerCase() !== CLIENT_IP_HEADER) raw.push(req.rawHeaders[i], req.rawHeaders[i + 1]);
  }
  raw.push(CLIENT_IP_HEADER, ip);
  req.rawHeaders = raw;
}

export function createRequestHandler({
  next,
  leanRoutes = [],
  trustProxy,
  log = (line: string) => console.error(line),
}: {
  next: TNextHandler;
  leanRoutes?: TLeanRoute[];
  trustProxy: boolean;
  log?: (line: string) => void;
}) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    stampClientIp(req, { trustProxy });
    for (const route of leanRoutes) {
      if (route(req, res)) return;
    }
    next(req, res).catch((error: unknown) => {
      log(`request ${req.method} ${req.url} failed: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ error: 'internal', message: 'internal server error' }));
      } else {
        res.destroy();
      }
    });
  };
}
