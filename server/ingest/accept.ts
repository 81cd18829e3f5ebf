/**
 * Accepting a request's messages: authenticate the write key, rate-limit, normalize each
 * message, run the pipeline, and commit through the group-commit writer.
 *
 * Batches: problems with the batch as a whole (size, count, JSON, write key) fail the
 * request; a bad event inside a valid batch fails only itself. The good events are stored
 * and the answer (200) lists each rejected event with its index, code and message. A batch
 * in which every event is bad is answered 400. Clients therefore never lose good events to
 * one bad neighbour, and never retry events that cannot succeed.
 */
import { IngestError, type TIngestErrorCode } from './ingest-error.ts';
import { KB, LIMITS } from './limits.ts';
import { normalizeEvent, type TBatchDefaults, type TEventType } from './normalize.ts';
import { runPipeline } from './pipeline.ts';
import type { KeyRateLimiter } from './rate-limit.ts';
import type { SuppressionCache } from '../privacy/suppression-cache.ts';
import type { SourceConfigCache } from './source-config.ts';
import type { IngestWriter, TWriteItem } from './writer.ts';

export interface TRejected {
  index: number;
  messageId: string | null;
  error: TIngestErrorCode;
  message: string;
}

export interface TAcceptResult {
  status: number;
  body: { success: true; accepted: number; duplicates: number; rejected: TRejected[] } | { error: TIngestErrorCode; message: string; rejected?: TRejected[] };
  headers?: Record<string, string>;
}

export interface TAcceptDeps {
  sources: SourceConfigCache;
  writer: IngestWriter;
  limiter: KeyRateLimiter;
  suppressions: SuppressionCache;
  now?: () => Date;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function writeKeyFrom(authorization: string | undefined, body: unknown): string | null {
  const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (basic) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const user = decoded.includes(':') ? decoded.slice(0, decoded.indexOf(':')) : decoded;
    if (user) return user;
  }
  if (isObject(body) && typeof body.writeKey === 'string' && body.writeKey) return body.writeKey;
  return null;
}

/** Splits a body into its messages: one for single calls, `batch` for batch calls. */
function messagesOf(body: unknown, type: TEventType | 'batch'): { messages: unknown[]; defaults: TBatchDefaults } {
  if (!isObject(body)) throw new IngestError('invalid_body', 'Body must be a JSON object');
  if (type !== 'batch') return { messages: [body], defaults: {} };
  if (!Array.isArray(body.batch)) throw new IngestError('invalid_body', 'A batch body needs a "batch" array of events');
  if (body.batch.length === 0) throw new IngestError('empty_batch', 'The batch array is empty');
  if (body.batch.length > LIMITS.batchEvents) {
    throw new IngestError('too_many_events', `Batch has ${body.batch.length} events; the limit is ${LIMITS.batchEvents} per batch`);
  }
  for (const field of ['context', 'integrations'] as const) {
    if (body[field] !== undefined && body[field] !== null && !isObject(body[field])) throw new IngestError('invalid_field', `batch ${field} must be an object`);
  }
  return {
    messages: body.batch,
    defaults: { context: body.context as TBatchDefaults['context'], integrations: body.integrations as TBatchDefaults['integrations'], sentAt: body.sentAt },
  };
}

export async function acceptMessages(
  deps: TAcceptDeps,
  { type, body, authorization, bodyBytes, client }: { type: TEventType | 'batch'; body: unknown; authorization: string | undefined; bodyBytes: number; client?: TWriteItem['client'] },
): Promise<TAcceptResult> {
  if (type !== 'batch' && bodyBytes > LIMITS.eventBytes) {
    throw new IngestError('event_too_large', `Event is ${KB(bodyBytes)}; the limit is ${KB(LIMITS.eventBytes)} per event`);
  }
  const writeKey = writeKeyFrom(authorization, body);
  if (!writeKey) throw new IngestError('missing_write_key', 'Send the write key as the Basic auth user name (empty password) or as "writeKey" in the body', { 'www-authenticate': 'Basic realm="Switchyard"' });
  const source = await deps.sources.lookup(writeKey);
  if (!source) throw new IngestError('invalid_write_key', 'This write key is unknown or was revoked', { 'www-authenticate': 'Basic realm="Switchyard"' });
  if (!source.enabled) throw new IngestError('source_disabled', `Source "${source.sourceName}" is disabled; enable it to accept events`);
  const { messages, defaults } = messagesOf(body, type);
  const wait = deps.limiter.take(writeKey, messages.length);
  if (wait > 0) throw new IngestError('rate_limited', `This write key sends more than its rate limit; retry in ${wait} s`, { 'retry-after': String(wait) });

  const receivedAt = deps.now?.() ?? new Date();
  const rules = { suppression: await deps.suppressions.rulesFor(source.workspaceId) };
  const items: TWriteItem[] = [];
  const rejected: TRejected[] = [];
  let suppressed = 0;
  messages.forEach((message, index) => {
    try {
      const event = normalizeEvent(message, { type: type === 'batch' ? undefined : type, defaults, receivedAt });
      const { destinations, record, isStored, payloads, violations } = runPipeline(event, source, rules);
      if (!isStored) {
        suppressed++;
        return;
      }
      items.push({ event, workspaceId: source.workspaceId, sourceId: source.sourceId, destinations, pipeline: record, payloads, violations, client });
    } catch (error) {
      if (!(error instanceof IngestError)) throw error;
      const messageId = isObject(message) && typeof message.messageId === 'string' ? message.messageId : null;
      rejected.push({ index, messageId, error: error.code, message: error.message });
    }
  });
  // Suppressed events are answered like stored ones (SDKs must not retry them), never stored.
  await deps.suppressions.count(source.workspaceId, suppressed, receivedAt);
  // Refused events are counted per code for the delivery overview (with the good ones' write when there is one).
  const rejectedCounts = new Map<string, number>();
  for (const r of rejected) rejectedCounts.set(r.error, (rejectedCounts.get(r.error) ?? 0) + 1);
  const rejections = [...rejectedCounts].map(([reason, count]) => ({ sourceId: source.sourceId, at: receivedAt, reason, count }));
  if (items.length === 0 && suppressed > 0) {
    await deps.writer.write([], rejections).catch(() => undefined);
    return { status: 200, body: { success: true, accepted: suppressed, duplicates: 0, rejected } };
  }
  if (items.length === 0) {
    // Counting must not turn a 400 into a 503: a failed count is only logged by the caller's writer.
    await deps.writer.write([], rejections).catch(() => undefined);
    const [first] = rejected;
    if (type !== 'batch') return { status: new IngestError(first.error, '').status, body: { error: first.error, message: first.message } };
    return { status: 400, body: { error: first.error, message: `No event in the batch was accepted; the first problem (event ${first.index}): ${first.message}`, rejected } };
  }
  const { isDuplicate } = await deps.writer.write(items, rejections);
  const duplicates = isDuplicate.filter(Boolean).length;
  return { status: 200, body: { success: true, accepted: items.length - duplicates + suppressed, duplicates, rejected } };
}
