/**
 * Errors of the tracking API: a stable code, the HTTP status, and a message that says what
 * was wrong and which limit was hit. Answered as `{ "error": "<code>", "message": "…" }`.
 */
export const INGEST_ERRORS = {
  missing_write_key: 401,
  invalid_write_key: 401,
  source_disabled: 403,
  unsupported_content_type: 400,
  unsupported_encoding: 400,
  invalid_gzip: 400,
  invalid_json: 400,
  invalid_body: 400,
  payload_too_large: 413,
  event_too_large: 413,
  too_many_events: 413,
  too_deep: 400,
  too_many_keys: 400,
  empty_batch: 400,
  unknown_type: 400,
  missing_identity: 400,
  missing_event: 400,
  missing_group_id: 400,
  missing_previous_id: 400,
  invalid_field: 400,
  invalid_timestamp: 400,
  rate_limited: 429,
  not_found: 404,
  method_not_allowed: 405,
  unavailable: 503,
} as const;

export type TIngestErrorCode = keyof typeof INGEST_ERRORS;

export class IngestError extends Error {
  readonly code: TIngestErrorCode;
  readonly headers: Record<string, string>;

  constructor(code: TIngestErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.code = code;
    this.headers = headers;
  }

  get status(): number {
    return INGEST_ERRORS[this.code];
  }
}
