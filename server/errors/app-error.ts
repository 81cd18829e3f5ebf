/**
 * The closed set of errors domain code may throw. Each transport maps them through the one
 * table in ./error-table.ts.
 */
import { ERROR_TABLE, type TAppErrorCode } from './error-table.ts';

export type { TAppErrorCode };

export class AppError extends Error {
  readonly code: TAppErrorCode;
  /** Field-level problems (path → message), shown next to form fields and in API errors. */
  readonly issues?: Record<string, string>;

  constructor(code: TAppErrorCode, message: string, options: { issues?: Record<string, string>; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.issues = options.issues;
  }

  get status(): number {
    return ERROR_TABLE[this.code].status;
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'your role does not allow this') => new AppError('FORBIDDEN', message);
