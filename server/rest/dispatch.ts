/**
 * The public REST API (/api/v1/*): match the route, authenticate the bearer token, read
 * the input from the path, the query string or the JSON body, and call the route's tRPC
 * procedure as the token (the procedure's rule middleware checks workspace and role, its
 * schemas validate input and output). Errors are `{ "error": "<code>", "message": "…" }`.
 */
import { createCaller } from '../api/caller.ts';
import { clientIpFromHeaders } from '../auth/client-ip.ts';
import { hasRole } from '../auth/roles.ts';
import type { Db } from '../db/client.ts';
import { authenticateApiToken, type TTokenPrincipal } from '../tokens/api-tokens.ts';
import { buildOpenApiDocument } from './openapi.ts';
import type { TFile } from '../api/rules.ts';
import { errorResponse, fileResponse, fromThrown, json } from './respond.ts';
import { REST_ROUTES, type TRestRoute } from './routes.ts';

const MAX_BODY_BYTES = 1_000_000;

const compiled = REST_ROUTES.map((route) => {
  const names: string[] = [];
  const source = route.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), names };
});

type TRead = { ok: true; value: Record<string, unknown> } | { ok: false; response: Response };

async function readBody(req: Request, route: TRestRoute): Promise<TRead> {
  const type = req.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    return { ok: false, response: errorResponse('BAD_REQUEST', 'Send a JSON body with Content-Type: application/json.') };
  }
  const text = await req.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) return { ok: false, response: errorResponse('PAYLOAD_TOO_LARGE', 'Request body exceeds 1 MB.') };
  let value: unknown;
  try {
    value = text ? JSON.parse(text) : {};
  } catch {
    return { ok: false, response: errorResponse('BAD_REQUEST', 'The request body is not valid JSON.') };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, response: errorResponse('BAD_REQUEST', 'The request body must be a JSON object.', { '(body)': 'expected an object' }) };
  }
  const known = route.body?.shape ?? {};
  const unknown = Object.keys(value).filter((key) => !(key in known));
  if (unknown.length > 0) {
    const issues = Object.fromEntries(unknown.map((key) => [key, 'is not a field of this request']));
    return { ok: false, response: errorResponse('BAD_REQUEST', `Invalid body: unknown field ${unknown.join(', ')}`, issues) };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

async function authenticate(req: Request, db: Db): Promise<{ ok: true; principal: TTokenPrincipal } | { ok: false; response: Response }> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.get('authorization') ?? '')?.[1];
  if (!bearer) {
    return {
      ok: false,
      response: errorResponse('UNAUTHORIZED', 'Send an API token as "Authorization: Bearer <token>". Admins create tokens under Settings → API tokens.', undefined, { 'www-authenticate': 'Bearer' }),
    };
  }
  const principal = await authenticateApiToken({ db, token: bearer });
  if (!principal) return { ok: false, response: errorResponse('UNAUTHORIZED', 'This API token is unknown or was revoked.', undefined, { 'www-authenticate': 'Bearer error="invalid_token"' }) };
  return { ok: true, principal };
}

/** Calls `sources.get` etc. on a caller: the same middleware, schemas and handler as the browser's call. */
function callProcedure(caller: unknown, procedure: string, input: unknown): Promise<unknown> {
  const fn = procedure.split('.').reduce((node, part) => (node as Record<string, unknown>)[part], caller);
  return (fn as (input: unknown) => Promise<unknown>)(input);
}

export async function handleRestRequest({ req, db, path }: { req: Request; db: Db; path: string }): Promise<Response> {
  if (req.method === 'GET' && path === '/openapi.json') return json(buildOpenApiDocument());
  const matches = compiled.flatMap((c) => {
    const m = c.pattern.exec(path);
    return m ? [{ ...c, m }] : [];
  });
  if (matches.length === 0) return errorResponse('NOT_FOUND', `No such endpoint: ${path}. See /api/v1/openapi.json.`);
  const match = matches.find((x) => x.route.method === req.method);
  if (!match) {
    const allowed = matches.map((x) => x.route.method).join(', ');
    return json({ error: 'method_not_allowed', message: `${req.method} is not allowed here; use ${allowed}.` }, 405, { allow: allowed });
  }
  const { route } = match;
  try {
    const auth = await authenticate(req, db);
    if (!auth.ok) return auth.response;
    const { principal } = auth;
    // Checked again by the procedure's middleware; here so that a wrong role is told before a wrong body.
    if (!hasRole(principal.role, route.rule)) return errorResponse('FORBIDDEN', `This token's role (${principal.role}) cannot do this; it needs ${route.rule}.`);

    let input: Record<string, unknown> = {};
    if (route.query) input = Object.fromEntries(new URL(req.url).searchParams);
    if (route.body) {
      const read = await readBody(req, route);
      if (!read.ok) return read.response;
      input = read.value;
    }
    match.names.forEach((name, i) => (input[route.params[name]] = decodeURIComponent(match.m[i + 1])));
    input.workspaceId = principal.workspaceId;

    const ip = clientIpFromHeaders((name) => req.headers.get(name));
    const caller = createCaller({ db, user: null, token: principal, ip, isCrossOrigin: false });
    const result = await callProcedure(caller, route.procedure, input);
    if (route.status === 204) return new Response(null, { status: 204 });
    if (route.file) return fileResponse(result as TFile, route.file.contentType, route.status);
    return json(route.isList ? { data: result } : result, route.status);
  } catch (thrown) {
    return fromThrown(thrown, route);
  }
}
