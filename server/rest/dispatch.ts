/**
 * The public REST API dispatcher (/api/v1/*): match the route, authenticate the bearer
 * token, enforce the route's rule (deny by default), validate query and body, call the
 * handler, answer JSON. Errors are `{ "error": "<code>", "message": "…" }`.
 */
import { z } from 'zod';
import { hasRole, type TActor } from '../audit/actor.ts';
import { clientIpFromHeaders } from '../auth/client-ip.ts';
import type { Db } from '../db/client.ts';
import { isWorkspaceRule } from '../api/rules.ts';
import { authenticateApiToken } from '../tokens/api-tokens.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { errorResponse, fromThrown, json } from './respond.ts';
import { REST_ROUTES } from './routes.ts';
import type { TRestRoute } from './types.ts';

const MAX_BODY_BYTES = 1_000_000;
const ZUuid = z.uuid();

interface TCompiled {
  route: TRestRoute;
  pattern: RegExp;
  names: string[];
}

const compiled: TCompiled[] = REST_ROUTES.map((route) => {
  const names: string[] = [];
  const source = route.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), names };
});

function issuesOf(error: z.ZodError, prefix: string[] = []): Record<string, string> {
  return Object.fromEntries(error.issues.map((issue) => [[...prefix, ...issue.path].join('.') || '(body)', issue.message]));
}

function describe(issues: Record<string, string>): string {
  return Object.entries(issues).map(([path, message]) => `${path}: ${message}`).join('; ');
}

async function readBody(req: Request): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const type = req.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    return { ok: false, response: errorResponse('BAD_REQUEST', 'Send a JSON body with Content-Type: application/json.') };
  }
  const text = await req.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) return { ok: false, response: errorResponse('PAYLOAD_TOO_LARGE', 'Request body exceeds 1 MB.') };
  try {
    return { ok: true, value: text ? JSON.parse(text) : {} };
  } catch {
    return { ok: false, response: errorResponse('BAD_REQUEST', 'The request body is not valid JSON.') };
  }
}

export async function handleRestRequest({ req, db, path }: { req: Request; db: Db; path: string }): Promise<Response> {
  try {
    if (req.method === 'GET' && path === '/openapi.json') return json(buildOpenApiDocument());
    const matches = compiled.map((c) => ({ c, m: c.pattern.exec(path) })).filter((x) => x.m);
    if (matches.length === 0) return errorResponse('NOT_FOUND', `No such endpoint: ${path}. See /api/v1/openapi.json.`);
    const match = matches.find((x) => x.c.route.method === req.method);
    if (!match?.m) {
      const allowed = matches.map((x) => x.c.route.method).join(', ');
      return json({ error: 'method_not_allowed', message: `${req.method} is not allowed here; use ${allowed}.` }, 405, { allow: allowed });
    }
    const { route, names } = match.c;
    const params = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match.m![i + 1])]));

    if (!isWorkspaceRule(route.rule)) return errorResponse('FORBIDDEN', 'This endpoint declares no token rule.');
    const header = req.headers.get('authorization') ?? '';
    const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!bearer) return errorResponse('UNAUTHORIZED', 'Send an API token as "Authorization: Bearer <token>". Admins create tokens under Settings → API tokens.', undefined, { 'www-authenticate': 'Bearer' });
    const principal = await authenticateApiToken({ db, token: bearer });
    if (!principal) return errorResponse('UNAUTHORIZED', 'This API token is unknown or was revoked.', undefined, { 'www-authenticate': 'Bearer error="invalid_token"' });
    if (!hasRole(principal.role, route.rule)) {
      return errorResponse('FORBIDDEN', `This token's role (${principal.role}) cannot do this; it needs ${route.rule}.`);
    }
    if ('id' in params && !ZUuid.safeParse(params.id).success) return errorResponse('NOT_FOUND', `${route.tag.replace(/s$/, '').toLowerCase()} not found`);

    const url = new URL(req.url);
    let query: Record<string, unknown> = {};
    if (route.query) {
      const parsed = route.query.safeParse(Object.fromEntries(url.searchParams));
      if (!parsed.success) {
        const issues = issuesOf(parsed.error, ['query']);
        return errorResponse('BAD_REQUEST', `Invalid query: ${describe(issues)}`, issues);
      }
      query = parsed.data as Record<string, unknown>;
    }
    let body: unknown;
    if (route.body) {
      const read = await readBody(req);
      if (!read.ok) return read.response;
      const parsed = route.body.safeParse(read.value);
      if (!parsed.success) {
        const issues = issuesOf(parsed.error);
        return errorResponse('BAD_REQUEST', `Invalid body: ${describe(issues)}`, issues);
      }
      body = parsed.data;
    }
    const actor: TActor = {
      type: 'token',
      id: principal.tokenId,
      label: `token:${principal.name}`,
      role: principal.role,
      ip: clientIpFromHeaders((name) => req.headers.get(name)),
    };
    const result = await route.handle({ db, workspaceId: principal.workspaceId, actor, params, query, body });
    if (route.status === 204) return new Response(null, { status: 204 });
    return json(route.response ? route.response.parse(result) : result, route.status ?? 200);
  } catch (thrown) {
    return fromThrown(thrown);
  }
}
