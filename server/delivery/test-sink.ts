/**
 * For tests: a local HTTP server standing in for a webhook destination. It verifies every
 * request's Standard Webhooks signature with the `standardwebhooks` package, counts
 * deliveries by webhook-id, and answers as the test's `respond` function says.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface TSinkRequest {
  id: string;
  body: string;
  headers: http.IncomingHttpHeaders;
  isSignatureValid: boolean;
  at: number;
}

export type TSinkResponder = (request: TSinkRequest, res: http.ServerResponse) => void | Promise<void>;

export interface TSink {
  url: string;
  requests: TSinkRequest[];
  /** webhook-id → how many times it arrived. */
  counts: Map<string, number>;
  setSecret: (secret: string) => void;
  respond: (responder: TSinkResponder) => void;
  close: () => Promise<void>;
}

export const ok: TSinkResponder = (_request, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"ok":true}');
};

export async function startSink({ secret = '', path = '/hook' }: { secret?: string; path?: string } = {}): Promise<TSink> {
  let verifier = secret ? new Webhook(secret) : null;
  let responder: TSinkResponder = ok;
  const requests: TSinkRequest[] = [];
  const counts = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['webhook-id'] ?? '');
      let isSignatureValid = false;
      try {
        verifier?.verify(body, req.headers as Record<string, string>);
        isSignatureValid = Boolean(verifier);
      } catch {
        isSignatureValid = false;
      }
      const request = { id, body, headers: req.headers, isSignatureValid, at: Date.now() };
      requests.push(request);
      counts.set(id, (counts.get(id) ?? 0) + 1);
      void responder(request, res);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    requests,
    counts,
    setSecret: (next) => {
      verifier = new Webhook(next);
    },
    respond: (next) => {
      responder = next;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
