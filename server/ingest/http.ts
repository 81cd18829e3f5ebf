/**
 * The tracking API on the web server's port, answered before Next.js: Segment's HTTP
 * Tracking API paths (/v1/track … /v1/batch, /v1/import), analytics.js's short paths
 * (/v1/t, /v1/p, … /v1/b, /v1/m) and its settings endpoint
 * (/v1/projects/{writeKey}/settings), with CORS so browsers on any site can send.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CLIENT_IP_HEADER } from '../auth/client-ip.ts';
import { acceptMessages, type TAcceptDeps } from './accept.ts';
import { parseJson, readJsonText } from './body.ts';
import { IngestError } from './ingest-error.ts';
import type { TEventType } from './normalize.ts';
import { projectSettings } from './settings.ts';

const PATH_TYPES: Record<string, TEventType | 'batch'> = {
  track: 'track', t: 'track',
  identify: 'identify', i: 'identify',
  page: 'page', p: 'page',
  screen: 'screen', s: 'screen',
  group: 'group', g: 'group',
  alias: 'alias', a: 'alias',
  batch: 'batch', import: 'batch', b: 'batch',
};

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'Content-Type, Authorization, Content-Encoding',
  'access-control-max-age': '86400',
};

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...CORS, ...headers });
  res.end(text);
}

function sendError(res: ServerResponse, error: unknown, log: (line: string) => void): void {
  if (error instanceof IngestError) {
    send(res, error.status, { error: error.code, message: error.message }, error.headers);
    return;
  }
  // Anything else means we could not commit: the client must retry, never assume success.
  log(`tracking API: ${error instanceof Error ? error.message : String(error)}`);
  send(res, 503, { error: 'unavailable', message: 'Events could not be stored right now; retry later' }, { 'retry-after': '5' });
}

async function handle(deps: TAcceptDeps, req: IncomingMessage, res: ServerResponse, name: string, log: (line: string) => void) {
  try {
    // Own keys only: /v1/constructor or /v1/__proto__ must not find Object.prototype's members.
    const type = Object.hasOwn(PATH_TYPES, name) ? PATH_TYPES[name] : undefined;
    if (!type) throw new IngestError('not_found', `No tracking endpoint /v1/${name}; use track, identify, page, screen, group, alias or batch`);
    const text = await readJsonText(req);
    const client = { ip: headerText(req.headers[CLIENT_IP_HEADER]) ?? req.socket.remoteAddress ?? null, userAgent: headerText(req.headers['user-agent'])?.slice(0, 512) ?? null };
    const result = await acceptMessages(deps, { type, body: parseJson(text), authorization: req.headers.authorization, bodyBytes: Buffer.byteLength(text), client });
    send(res, result.status, result.body, result.headers);
  } catch (error) {
    sendError(res, error, log);
  }
}

function headerText(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** A percent-encoded path segment, or null when its encoding is malformed (decodeURIComponent throws). */
function decodePathSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

export function createTrackingApi(deps: TAcceptDeps & { publicUrl: () => string; log?: (line: string) => void }) {
  const log = deps.log ?? ((line: string) => console.error(line));
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = req.url ?? '';
    if (!url.startsWith('/v1/')) return false;
    const path = url.split('?')[0];
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS);
      res.end();
      return true;
    }
    const settings = /^\/v1\/projects\/([^/]+)\/settings$/.exec(path);
    if (settings && req.method === 'GET') {
      const unknownKey = () => send(res, 404, { error: 'invalid_write_key', message: 'This write key is unknown or was revoked' });
      const writeKey = decodePathSegment(settings[1]);
      if (writeKey === null) unknownKey();
      else {
        projectSettings(deps.sources, writeKey, deps.publicUrl())
          .then((body) => (body ? send(res, 200, body) : unknownKey()))
          .catch((error: unknown) => sendError(res, error, log));
      }
      return true;
    }
    const name = path.slice('/v1/'.length);
    if (name === 'm') {
      // analytics.js reports its own client metrics here; accepted and not kept.
      req.resume();
      req.on('end', () => send(res, 200, { success: true }));
      return true;
    }
    if (req.method !== 'POST') {
      req.resume();
      send(res, 405, { error: 'method_not_allowed', message: `Use POST for /v1/${name}` }, { allow: 'POST, OPTIONS' });
      return true;
    }
    void handle(deps, req, res, name, log);
    return true;
  };
}
