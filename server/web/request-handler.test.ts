import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CLIENT_IP_HEADER } from '../auth/client-ip.ts';
import { createRequestHandler, type TLeanRoute, type TNextHandler } from './request-handler.ts';

/** A fake Next that echoes what it was given, so tests see the request as Next would. */
const echoNext: TNextHandler = async (req, res) => {
  const rawIps = req.rawHeaders.filter((_, i) => i % 2 === 0 && req.rawHeaders[i].toLowerCase() === CLIENT_IP_HEADER);
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ by: 'next', ip: req.headers[CLIENT_IP_HEADER], rawCount: rawIps.length }));
};

let server: http.Server | undefined;

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = http.createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

describe('web request handler', () => {
  it('replaces a client-supplied client-IP header with the socket address', async () => {
    const base = await serve(createRequestHandler({ next: echoNext, trustProxy: false }));
    const response = await fetch(`${base}/anything`, {
      headers: { [CLIENT_IP_HEADER]: '6.6.6.6', 'x-forwarded-for': '7.7.7.7' },
    });
    expect(await response.json()).toEqual({ by: 'next', ip: '127.0.0.1', rawCount: 1 });
  });

  it('takes the first X-Forwarded-For entry when the proxy is trusted, the socket otherwise', async () => {
    const base = await serve(createRequestHandler({ next: echoNext, trustProxy: true }));
    const forwarded = await fetch(base, { headers: { 'x-forwarded-for': ' 203.0.113.9 , 10.0.0.1', [CLIENT_IP_HEADER]: '6.6.6.6' } });
    expect((await forwarded.json()).ip).toBe('203.0.113.9');
    const direct = await fetch(base);
    expect((await direct.json()).ip).toBe('127.0.0.1');
  });

  it('lets a lean route answer before Next, and passes everything else on', async () => {
    const tracking: TLeanRoute = (req, res) => {
      if (!req.url?.startsWith('/v1/')) return false;
      res.end(JSON.stringify({ by: 'lean', ip: req.headers[CLIENT_IP_HEADER] }));
      return true;
    };
    const base = await serve(createRequestHandler({ next: echoNext, leanRoutes: [tracking], trustProxy: false }));
    expect(await (await fetch(`${base}/v1/track`, { method: 'POST', body: '{}' })).json()).toEqual({ by: 'lean', ip: '127.0.0.1' });
    expect((await (await fetch(`${base}/signin`)).json()).by).toBe('next');
  });

  it('answers 500 with a JSON body when Next throws', async () => {
    const lines: string[] = [];
    const failing: TNextHandler = async () => {
      throw new Error('boom');
    };
    const base = await serve(createRequestHandler({ next: failing, trustProxy: false, log: (line) => lines.push(line) }));
    const response = await fetch(`${base}/page`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'internal', message: 'internal server error' });
    expect(lines[0]).toContain('request GET /page failed: Error: boom');
  });
});
