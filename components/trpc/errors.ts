/**
 * Reading tRPC errors for people: the message, the error code, and the field errors the
 * server's error formatter attaches as `data.fieldErrors` (path → message, e.g.
 * `settings.url` or `delivery.timeoutMs`).
 */
import { TRPCClientError } from '@trpc/client';

export type TFieldErrors = Record<string, string>;

interface TErrorData {
  code?: string;
  fieldErrors?: TFieldErrors | null;
}

function dataOf(error: unknown): TErrorData | undefined {
  if (error instanceof TRPCClientError) return error.data as TErrorData | undefined;
  if (error && typeof error === 'object' && 'data' in error) return (error as { data?: TErrorData }).data;
  return undefined;
}

export function errorCode(error: unknown): string | undefined {
  return dataOf(error)?.code;
}

export function fieldErrorsOf(error: unknown): TFieldErrors {
  return dataOf(error)?.fieldErrors ?? {};
}

/** A sentence to show in a toast or an inline alert. */
export function errorMessage(error: unknown): string {
  if (!error) return '';
  const code = errorCode(error);
  if (code === 'FORBIDDEN' && error instanceof Error) return error.message;
  const fields = fieldErrorsOf(error);
  const fieldCount = Object.keys(fields).length;
  if (fieldCount > 0 && code === 'BAD_REQUEST') return fieldCount === 1 ? 'Please fix the highlighted field.' : 'Please fix the highlighted fields.';
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Please try again.';
}

/** Field errors whose key starts with `prefix.`, keyed by the rest of the path. */
export function fieldErrorsUnder(fields: TFieldErrors, prefix: string): TFieldErrors {
  const result: TFieldErrors = {};
  for (const [key, message] of Object.entries(fields)) {
    if (key.startsWith(`${prefix}.`)) result[key.slice(prefix.length + 1)] = message;
  }
  return result;
}
