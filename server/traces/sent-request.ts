/**
 * What the trace shows of the request the worker sent, recorded per attempt at the one
 * place the worker sends (engine.ts), whatever built the request (the webhook today, a
 * catalog type's buildRequest tomorrow). Kept small so attempts don't double the database:
 *  - secrets masked wherever they appear (header values, URL, body): every secret value of
 *    the destination is replaced by MASK, and headers whose names say they carry credentials
 *    are masked whole;
 *  - the body is not stored when it is the event's payload as stored (`body: { is: 'event' }`);
 *    otherwise it is stored on the job's first attempt and later attempts carry its digest.
 */
import { createHash } from 'node:crypto';

export const MASK = '••••••';
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie|x-api-key|api-key|x-auth-token)$|secret|token|password|api[-_]?key/i;
/** Longest body kept for the trace (bodies are bounded by the event size limit anyway). */
const MAX_BODY_CHARS = 64 * 1024;

export interface TOutgoingRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export type TSentBody = { is: 'event' } | { is: 'stored'; text: string; digest: string } | { is: 'same-as-first'; digest: string };

export interface TSentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: TSentBody;
  /** The answer's Retry-After, when it had one (it can push the next attempt later). */
  retryAfterSeconds?: number;
  /** The answer's headers that matter (server/delivery/response-headers.ts), secrets masked; absent on attempts recorded before they were kept. */
  responseHeaders?: Record<string, string>;
}

/** What of the answer goes with the request record: an HTTP answer's Retry-After and kept headers. */
export interface TAnswerHeaders {
  retryAfterSeconds?: number | null;
  headers?: Record<string, string>;
}

/** Whether a header's name says it carries a credential, remembered by name (the same few names come with every delivery). */
const credentialNames = new Map<string, boolean>();
function isCredentialHeader(name: string): boolean {
  let is = credentialNames.get(name);
  if (is === undefined) {
    is = CREDENTIAL_HEADER.test(name);
    if (credentialNames.size < 2_000) credentialNames.set(name, is);
  }
  return is;
}

function maskText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4 && out.includes(secret)) out = out.replaceAll(secret, MASK);
  return out;
}

/** The recorded form of one outgoing request (and of its answer's headers). `secrets`: the destination's secret values. */
export function describeSentRequest({ request, eventPayload, attempt, secrets, answer }: { request: TOutgoingRequest; eventPayload: string; attempt: number; secrets: readonly string[]; answer?: TAnswerHeaders | null }): TSentRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name] = isCredentialHeader(name) ? MASK : maskText(value, secrets);
  let body: TSentBody;
  if (request.body === eventPayload) body = { is: 'event' };
  else {
    const digest = createHash('sha256').update(request.body).digest('base64url').slice(0, 22);
    body = attempt <= 1 ? { is: 'stored', text: maskText(request.body, secrets).slice(0, MAX_BODY_CHARS), digest } : { is: 'same-as-first', digest };
  }
  const sent: TSentRequest = { method: request.method, url: maskText(request.url, secrets), headers, body };
  if (answer?.retryAfterSeconds != null) sent.retryAfterSeconds = answer.retryAfterSeconds;
  if (answer?.headers && Object.keys(answer.headers).length > 0) {
    sent.responseHeaders = Object.fromEntries(Object.entries(answer.headers).map(([name, value]) => [name, isCredentialHeader(name) ? MASK : maskText(value, secrets)]));
  }
  return sent;
}
