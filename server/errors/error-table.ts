/**
 * The one table of error codes: what domain code may throw (`AppError(code)`), the HTTP
 * status the REST API and the tracking API answer with, and the tRPC code the browser gets.
 * Both transports read it (server/api/trpc.ts, server/rest/); nothing else maps codes.
 */
import { z } from 'zod';

export const ERROR_TABLE = {
  UNAUTHORIZED: { status: 401, trpc: 'UNAUTHORIZED' },
  FORBIDDEN: { status: 403, trpc: 'FORBIDDEN' },
  NOT_FOUND: { status: 404, trpc: 'NOT_FOUND' },
  BAD_REQUEST: { status: 400, trpc: 'BAD_REQUEST' },
  CONFLICT: { status: 409, trpc: 'CONFLICT' },
  TOO_MANY_REQUESTS: { status: 429, trpc: 'TOO_MANY_REQUESTS' },
  PAYLOAD_TOO_LARGE: { status: 413, trpc: 'PAYLOAD_TOO_LARGE' },
  UNAVAILABLE: { status: 503, trpc: 'SERVICE_UNAVAILABLE' },
  INTERNAL: { status: 500, trpc: 'INTERNAL_SERVER_ERROR' },
} as const;

export type TAppErrorCode = keyof typeof ERROR_TABLE;
export type TTrpcErrorCode = (typeof ERROR_TABLE)[TAppErrorCode]['trpc'];

/** The AppError code behind a tRPC code (INTERNAL for codes we never raise ourselves). */
export function appCodeOfTrpc(trpcCode: string): TAppErrorCode {
  const entry = Object.entries(ERROR_TABLE).find(([, row]) => row.trpc === trpcCode);
  return entry ? (entry[0] as TAppErrorCode) : 'INTERNAL';
}

/** The error body of the REST and tracking APIs. */
export const ZErrorBody = z.object({
  error: z.string().describe('A stable, machine-readable code, e.g. not_found'),
  message: z.string().describe('What was wrong, for people'),
  issues: z.record(z.string(), z.string()).optional().describe('Field path → problem'),
});

export type TErrorBody = z.infer<typeof ZErrorBody>;

export function errorBody(code: TAppErrorCode, message: string, issues?: Record<string, string>): TErrorBody {
  return { error: code.toLowerCase(), message, ...(issues ? { issues } : {}) };
}

/** Field path → problem, from a zod validation error (the `issues` of an error body). */
export function issuesOfZod(error: z.ZodError, prefix: string[] = []): Record<string, string> {
  return Object.fromEntries(error.issues.map((issue) => [[...prefix, ...issue.path.map(String)].join('.') || '(body)', issue.message]));
}
