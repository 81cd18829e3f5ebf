/**
 * The closed set of errors domain code may throw. Transports map them in one place each:
 * server/api/trpc.ts (tRPC) and server/rest/respond.ts (REST and the tracking API).
 */
export const APP_ERROR_CODES = {
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_REQUEST: 400,
  CONFLICT: 409,
  TOO_MANY_REQUESTS: 429,
  PAYLOAD_TOO_LARGE: 413,
  UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;

export type TAppErrorCode = keyof typeof APP_ERROR_CODES;

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
    return APP_ERROR_CODES[this.code];
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'your role does not allow this') => new AppError('FORBIDDEN', message);
