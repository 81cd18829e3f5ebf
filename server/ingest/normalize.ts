/**
 * Turns one message as a client sent it into the event Switchyard stores, the way Segment
 * does: validation per type, a messageId when missing, receivedAt from the server clock,
 * `timestamp = receivedAt − (sentAt − originalTimestamp)` to correct client clock skew,
 * and batch-level context/integrations merged under the event's own.
 */
import { randomUUID } from 'node:crypto';
import { emailsOf } from '../traces/identity.ts';
import { IngestError } from './ingest-error.ts';
import { KB, LIMITS } from './limits.ts';

export const EVENT_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;
export type TEventType = (typeof EVENT_TYPES)[number];

type TJsonObject = Record<string, unknown>;

export interface TNormalizedEvent {
  messageId: string;
  type: TEventType;
  name: string | null;
  userId: string | null;
  anonymousId: string | null;
  receivedAt: Date;
  sentAt: Date | null;
  originalTimestamp: Date | null;
  timestamp: Date;
  integrations: TJsonObject;
  /** The stored payload as JSON text (already size-checked). */
  json: string;
  /** The same payload as an object (read by filters; never mutated). */
  payload: TJsonObject;
  /** E-mail addresses the event carries (traits, context.traits, properties), lower-cased: the search finds the event by them. */
  emails: string[];
  /** How the message as the client sent it differs from the stored payload (see asSentDelta). */
  asSent: TAsSent;
}

/** Enough to rebuild the message as sent from the stored payload: keys normalisation added, values it changed. */
export interface TAsSent {
  added: string[];
  was: Record<string, unknown>;
  /** The message carried a writeKey, which is not stored. */
  hadWriteKey?: true;
}

const UNSTORABLE_NOTE = '(not kept: contained a NUL character or an unpaired UTF-16 surrogate)';

/** The top-level keys normalisation sets; every other key is stored exactly as sent. */
const NORMALIZED_KEYS = ['type', 'messageId', 'userId', 'anonymousId', 'context', 'integrations', 'receivedAt', 'sentAt', 'originalTimestamp', 'timestamp'] as const;

function asSentDelta(input: TJsonObject, payload: TJsonObject, defaults: TBatchDefaults | undefined): TAsSent {
  const delta: TAsSent = { added: [], was: {} };
  for (const key of NORMALIZED_KEYS) {
    if (!Object.hasOwn(input, key)) {
      if (payload[key] !== undefined) delta.added.push(key);
      continue;
    }
    const sent = input[key];
    if (key === 'context' || key === 'integrations') {
      // A copy of the sent object unless batch-level defaults were merged into it (or it was null).
      const merged = defaults?.[key] && Object.keys(defaults[key]).length > 0;
      if (merged || !isObject(sent)) delta.was[key] = sent;
    } else if (sent !== payload[key]) delta.was[key] = sent;
  }
  // A value normalisation replaced may hold what Postgres cannot store (the payload no longer does).
  for (const [key, value] of Object.entries(delta.was)) if (hasUnstorable(JSON.stringify(value) ?? '')) delta.was[key] = UNSTORABLE_NOTE;
  if (Object.hasOwn(input, 'writeKey')) delta.hadWriteKey = true;
  return delta;
}

export interface TBatchDefaults {
  context?: TJsonObject;
  integrations?: TJsonObject;
  sentAt?: unknown;
}

/** JSON escapes Postgres refuses in jsonb/text: \u0000 and lone surrogates (an even run of backslashes before them is text). */
const UNSTORABLE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89ab][0-9a-f]{2}(?!\\ud[c-f][0-9a-f]{2})|d[c-f][0-9a-f]{2})/i;

/** UNSTORABLE.test, skipping the regex (its look-behind scans the whole text) when the text has no `\u` escape at all. */
const hasUnstorable = (json: string) => json.includes('\\u') && UNSTORABLE.test(json);

const isObject = (value: unknown): value is TJsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Depth and key count in one walk; stops as soon as a limit is passed. */
export function checkShape(value: unknown): void {
  let keys = 0;
  const walk = (node: unknown, depth: number) => {
    if (typeof node !== 'object' || node === null) return;
    if (depth > LIMITS.depth) throw new IngestError('too_deep', `Event nests deeper than ${LIMITS.depth} levels`);
    const children = Array.isArray(node) ? node : Object.values(node);
    keys += children.length;
    if (keys > LIMITS.keys) throw new IngestError('too_many_keys', `Event has more than ${LIMITS.keys} keys and array items`);
    for (const child of children) walk(child, depth + 1);
  };
  walk(value, 1);
}

function identifier(message: TJsonObject, field: string): string | null {
  const value = message[field];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') {
    if (value.length > 512) throw new IngestError('invalid_field', `${field} is longer than 512 characters`);
    return value;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new IngestError('invalid_field', `${field} must be a string`);
}

/** Years 0001–9999: what ISO-8601 writes with four digits and Postgres reads back (it refuses +YYYYYY and year 0). */
const EARLIEST = Date.parse('0001-01-01T00:00:00.000Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');
const isStorableTime = (date: Date) => date.getTime() >= EARLIEST && date.getTime() <= LATEST;

function time(message: TJsonObject, field: string, fallback?: unknown): Date | null {
  const value = message[field] ?? fallback;
  if (value === undefined || value === null || value === '') return null;
  const date = typeof value === 'string' || typeof value === 'number' ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) throw new IngestError('invalid_timestamp', `${field} is not a valid ISO-8601 date`);
  if (!isStorableTime(date)) throw new IngestError('invalid_timestamp', `${field} is outside the years 0001–9999`);
  return date;
}

/** The first `max` UTF-16 units, without cutting a surrogate pair in half (a lone half cannot be stored). */
function clip(text: string, max: number): string {
  const cut = text.slice(0, max);
  return /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut;
}

function objectField(message: TJsonObject, field: string): TJsonObject | undefined {
  const value = message[field];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new IngestError('invalid_field', `${field} must be an object`);
  return value;
}

export function normalizeEvent(input: unknown, options: { type?: TEventType; defaults?: TBatchDefaults; receivedAt: Date }): TNormalizedEvent {
  if (!isObject(input)) throw new IngestError('invalid_body', 'Each event must be a JSON object');
  const type = options.type ?? input.type;
  if (typeof type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(type)) {
    throw new IngestError('unknown_type', `type must be one of ${EVENT_TYPES.join(', ')}; got ${JSON.stringify(type)?.slice(0, 40)}`);
  }
  checkShape(input);
  const eventType = type as TEventType;
  const userId = identifier(input, 'userId');
  const anonymousId = identifier(input, 'anonymousId');
  if (!userId && !anonymousId) throw new IngestError('missing_identity', `A ${eventType} call needs a userId or an anonymousId`);
  let name: string | null = null;
  if (eventType === 'track') {
    if (typeof input.event !== 'string' || input.event.trim() === '') throw new IngestError('missing_event', 'A track call needs an event name (event)');
    if (input.event.length > 512) throw new IngestError('invalid_field', 'event is longer than 512 characters');
    name = input.event;
  } else if (eventType === 'page' || eventType === 'screen') {
    name = typeof input.name === 'string' ? clip(input.name, 512) : null;
  } else if (eventType === 'group' && identifier(input, 'groupId') === null) {
    throw new IngestError('missing_group_id', 'A group call needs a groupId');
  } else if (eventType === 'alias' && identifier(input, 'previousId') === null) {
    throw new IngestError('missing_previous_id', 'An alias call needs a previousId');
  }
  for (const field of ['properties', 'traits']) objectField(input, field);
  const context = { ...options.defaults?.context, ...objectField(input, 'context') };
  const integrations = { ...options.defaults?.integrations, ...objectField(input, 'integrations') };

  const receivedAt = options.receivedAt;
  const originalTimestamp = time(input, 'timestamp') ?? time(input, 'originalTimestamp');
  const sentAt = time(input, 'sentAt', options.defaults?.sentAt);
  const corrected = originalTimestamp && sentAt ? new Date(receivedAt.getTime() - (sentAt.getTime() - originalTimestamp.getTime())) : null;
  // A correction that lands outside storable years means the client clock is nonsense: keep its own time.
  const timestamp = corrected && isStorableTime(corrected) ? corrected : originalTimestamp ?? receivedAt;
  const messageId = identifier(input, 'messageId') ?? `sy-${randomUUID()}`;

  const { writeKey: _writeKey, ...rest } = input;
  const payload = {
    ...rest,
    type: eventType,
    messageId,
    ...(userId ? { userId } : {}),
    ...(anonymousId ? { anonymousId } : {}),
    context,
    integrations,
    receivedAt: receivedAt.toISOString(),
    sentAt: sentAt?.toISOString(),
    originalTimestamp: originalTimestamp?.toISOString(),
    timestamp: timestamp.toISOString(),
  };
  const json = JSON.stringify(payload);
  if (hasUnstorable(json)) throw new IngestError('invalid_field', 'Event contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored');
  const bytes = Buffer.byteLength(json);
  if (bytes > LIMITS.eventBytes) throw new IngestError('event_too_large', `Event is ${KB(bytes)}; the limit is ${KB(LIMITS.eventBytes)} per event`);
  const asSent = asSentDelta(input, payload, options.defaults);
  return { messageId, type: eventType, name, userId, anonymousId, receivedAt, sentAt, originalTimestamp, timestamp, integrations, json, payload, emails: emailsOf(payload), asSent };
}
