/** JSON responses of the REST API, and turning what a procedure throws into one (statuses from server/errors/error-table.ts). */
import { TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { AppError } from '../errors/app-error.ts';
import { ERROR_TABLE, appCodeOfTrpc, errorBody, issuesOfZod, type TAppErrorCode } from '../errors/error-table.ts';
import type { TRestRoute } from './routes.ts';

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers } });
}

/** A file as the response body, to be saved under its filename (TRestMeta.file). */
export function fileResponse({ filename, content }: { filename: string; content: string }, contentType: string, status = 200): Response {
  // The plain filename for old clients (ASCII, no quotes), the exact one in filename* (RFC 6266).
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return new Response(content, {
    status,
    headers: {
      'content-type': contentType,
      'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}

export function errorResponse(code: TAppErrorCode, message: string, issues?: Record<string, string>, headers?: Record<string, string>): Response {
  return json(errorBody(code, message, issues), ERROR_TABLE[code].status, headers);
}

function describe(issues: Record<string, string>): string {
  return Object.entries(issues).map(([path, message]) => `${path}: ${message}`).join('; ');
}

/** `sourceId` → `source`, `writeKeyId` → `write key`. */
function nounOf(field: string): string {
  return field.replace(/Id$/, '').replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
}

/** Input that failed validation: 404 when it is a path parameter (the URL names nothing), else 400 naming the fields. */
function invalidInput(error: ZodError, route: TRestRoute): Response {
  const pathFields = new Set(Object.values(route.params));
  const onPath = error.issues.find((issue) => pathFields.has(String(issue.path[0])));
  if (onPath) return errorResponse('NOT_FOUND', `${nounOf(String(onPath.path[0]))} not found`);
  if (route.query) {
    const issues = issuesOfZod(error, ['query']);
    return errorResponse('BAD_REQUEST', `Invalid query: ${describe(issues)}`, issues);
  }
  const issues = issuesOfZod(error);
  return errorResponse('BAD_REQUEST', `Invalid body: ${describe(issues)}`, issues);
}

/** Turns anything a procedure threw into a response; unknown errors are logged and become 500. */
export function fromThrown(thrown: unknown, route: TRestRoute): Response {
  const cause = thrown instanceof TRPCError ? thrown.cause : thrown;
  if (cause instanceof AppError) return errorResponse(cause.code, cause.message, cause.issues);
  if (cause instanceof ZodError && thrown instanceof TRPCError && thrown.code === 'BAD_REQUEST') return invalidInput(cause, route);
  if (thrown instanceof TRPCError) {
    const code = appCodeOfTrpc(thrown.code);
    if (code !== 'INTERNAL') return errorResponse(code, thrown.message);
  }
  console.error('[api] unexpected error', thrown);
  return errorResponse('INTERNAL', 'Something went wrong on our side.');
}
