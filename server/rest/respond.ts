/** JSON responses and the one mapping of AppError codes to HTTP errors for REST. */
import { AppError, type TAppErrorCode } from '../errors/app-error.ts';

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers } });
}

export function errorResponse(code: TAppErrorCode, message: string, issues?: Record<string, string>, headers?: Record<string, string>): Response {
  const error = new AppError(code, message);
  return json({ error: code.toLowerCase(), message, ...(issues ? { issues } : {}) }, error.status, headers);
}

/** Turns anything thrown by a handler into a response; unknown errors are logged and become 500. */
export function fromThrown(thrown: unknown): Response {
  if (thrown instanceof AppError) return errorResponse(thrown.code, thrown.message, thrown.issues);
  console.error('[api] unexpected error', thrown);
  return errorResponse('INTERNAL', 'Something went wrong on our side.');
}
