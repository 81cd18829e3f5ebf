/**
 * For tests and journeys: a local HTTP server standing in for a partner API. Each type's
 * simulator decides, from the partner's documentation, how it checks requests and what it
 * answers. Only node:http here, so browser journeys can start one too.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TPartnerRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface TPartnerAnswer {
  status: number;
  body: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export type TPartnerBehaviour = (request: TPartnerRequest) => TPartnerAnswer;

export interface TPartnerSim {
  url: string;
  requests: TPartnerRequest[];
  /** Replaces the behaviour (e.g. "the project is being throttled now"). */
  behave: (behaviour: TPartnerBehaviour) => void;
  /**
   * From now on, a request carrying `marker` (in its path, query or body) that the partner
   * would accept gets `answer` instead: one of the partner's documented errors, for a request
   * that is otherwise valid (the behaviour still checks it first). `null` stops it.
   */
  answerFor: (marker: string, answer: TPartnerAnswer | null) => void;
  close: () => Promise<void>;
}

export async function startPartnerSim(behaviour: TPartnerBehaviour): Promise<TPartnerSim> {
  let current = behaviour;
  const requests: TPartnerRequest[] = [];
  const scripted = new Map<string, TPartnerAnswer>();
  const answerOf = (request: TPartnerRequest, search: string): TPartnerAnswer => {
    const answer = current(request);
    if (answer.status >= 300 || scripted.size === 0) return answer;
    for (const [marker, instead] of scripted) if (request.path.includes(marker) || search.includes(marker) || request.body.includes(marker)) return instead;
    return answer;
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://partner.test');
      const request = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(request);
      const answer = answerOf(request, url.search);
      res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'application/json', ...answer.headers });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    behave: (next) => {
      current = next;
    },
    answerFor: (marker, answer) => {
      if (answer) scripted.set(marker, answer);
      else scripted.delete(marker);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): TPartnerAnswer => ({ status, body: JSON.stringify(body), headers });
export const text = (status: number, body: string): TPartnerAnswer => ({ status, body, contentType: 'text/html' });
