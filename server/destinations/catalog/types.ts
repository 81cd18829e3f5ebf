/**
 * The destination-type interface (DESIGN.md seam 2). Every type in the catalog — the
 * webhook and each partner tool — is one folder under `server/destinations/catalog/`
 * exporting one `TDestinationTypeDef`, registered by one line in `registry.ts`. The
 * worker, the "send test event" call and the catalog UI know only this interface.
 */
import type { z } from 'zod';

export const CALL_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;
export type TCallType = (typeof CALL_TYPES)[number];

export const CATEGORIES = ['analytics', 'product analytics', 'marketing automation', 'messaging', 'raw'] as const;
export type TCategory = (typeof CATEGORIES)[number];

/** A stored Segment event as the worker hands it to `buildRequest`: the JSON text, parsed only when a type needs it. */
export interface TEventInput {
  /** The event exactly as stored (what a webhook sends). */
  raw: string;
  /** The parsed event; parsed on first use and kept. */
  readonly json: TSegmentEvent;
}

export interface TSegmentEvent {
  type: TCallType;
  messageId: string;
  userId?: string;
  anonymousId?: string;
  event?: string;
  name?: string;
  groupId?: string;
  previousId?: string;
  properties?: Record<string, unknown>;
  traits?: Record<string, unknown>;
  context?: Record<string, unknown>;
  timestamp: string;
  receivedAt?: string;
  [key: string]: unknown;
}

export function eventInput(raw: string): TEventInput {
  let parsed: TSegmentEvent | undefined;
  return {
    raw,
    get json() {
      parsed ??= JSON.parse(raw) as TSegmentEvent;
      return parsed;
    },
  };
}

/** What `buildRequest` asks to send. Header names are lower case; secrets appear in them whole (masking is the caller's job when showing them). */
export interface TBuiltRequest {
  /** DELETE only for privacy deletions (`deleteUser`), with an empty body. */
  method: 'POST' | 'PUT' | 'GET' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface TSkip {
  skip: string;
}

/**
 * A request that needs the partner's answer to another one first (HubSpot: the record ID of
 * the contact with a user ID). The worker sends `lookup` and hands its answer to `then`,
 * which returns the request to send, a skip (nothing to send it to), another lookup (HubSpot
 * sent by a remembered record ID and heard the record is gone: look it up again), or null:
 * the lookup's own answer is the outcome (a 401, a 429, a 5xx; or the delivery itself when
 * `lookup` was the real request), read by readResponse and retried or discarded like any
 * answer. At most MAX_LOOKUPS requests are sent for one delivery. The trace records the
 * request that gave the outcome.
 */
export interface TLookup {
  lookup: TBuiltRequest;
  then(answer: TPartnerAnswer): TBuiltRequest | TSkip | TLookup | null;
}

/** Most lookups one delivery may chain (call-destination.ts). */
export const MAX_LOOKUPS = 3;

export const skip = (reason: string): TSkip => ({ skip: reason });
export const isSkip = (value: TBuiltRequest | TSkip | TLookup): value is TSkip => 'skip' in value;
export const isLookup = (value: TBuiltRequest | TSkip | TLookup): value is TLookup => 'lookup' in value;

/** Context of one delivery: the job id (idempotency keys, webhook-id) and the clock. */
export interface TBuildContext {
  jobId: string;
  now: Date;
  /** The destination, for what a type remembers per destination between deliveries (HubSpot's record IDs); absent for a "send test event". */
  destinationId?: string;
  /** True when the request is a "send test event" (GA4 sends it to its validation endpoint). */
  isTest?: boolean;
}

/** The partner's answer as the worker read it. */
export interface TPartnerAnswer {
  status: number;
  /** The first KB of the body. */
  body: string;
  /** The answer's headers (lower-case names), for partners that say more in them (Braze's X-RateLimit-Reset). */
  headers?: Record<string, string | string[] | undefined>;
}

/**
 * The partner's answer read the partner's way. `verdict` overrides the shared retry table
 * when the partner says otherwise (Braze's 2xx with errors → discard); left out, the shared
 * table decides from the status. `explanation` is the answer in words for the trace.
 */
export interface TReading {
  /** `retry`: only for one event of a batch the partner refused because of others in it (it is sent again). */
  verdict?: 'succeeded' | 'discard' | 'retry';
  explanation: string;
  /**
   * When the partner says when to come back in its own way (Braze's X-RateLimit-Reset), in
   * seconds from now: used like a Retry-After header (the retry waits at least this long and
   * the destination pauses), unless the answer carried a Retry-After itself.
   */
  retryAfterSeconds?: number;
}

/**
 * Several events in one partner request (Amplitude, Mixpanel). The worker builds each
 * claimed event's request with `buildRequest` as usual, groups those going to the same URL
 * (at most `max`), and sends each group as one request from `merge`. The partner's answer
 * settles each event in its own state: `readBatch` reads it per event (by position in the
 * merged request), or says null when the answer is the same for all (then `readResponse`
 * and the shared retry table decide, as for one event).
 */
export interface TBatching {
  max: number;
  merge(requests: TBuiltRequest[]): TBuiltRequest;
  readBatch?(answer: TPartnerAnswer, count: number): TReading[] | null;
}

/** Metadata a settings field carries (through zod's `.meta()`; it reaches the JSON Schema too). */
export interface TFieldMeta {
  title: string;
  description?: string;
  /** Encrypted at rest, never returned whole. */
  'x-secret'?: boolean;
  /** Shown under "Advanced settings". */
  'x-advanced'?: boolean;
  placeholder?: string;
  /** Labels of an enum's values, in the enum's order. */
  'x-labels'?: string[];
  /** A multi-line text (templates). */
  'x-multiline'?: boolean;
}

/**
 * A privacy deletion to forward to a partner (server/privacy): the request's id and every
 * identifier of the subject, linked ones included (see server/privacy/identities.ts).
 */
export interface TDeletionSubject {
  regulationId: string;
  userIds: string[];
  anonymousIds: string[];
  emails: string[];
}

/**
 * How a type's settings are kept: split into plain JSON and an encrypted envelope of secrets,
 * shown masked, and resolved into what `buildRequest` gets. Types built from a settings
 * schema use the generic store (settings-store.ts); the webhook keeps its own.
 */
export interface TSettingsStorage<TSettings> {
  build(input: unknown, previous?: { settings: unknown; secrets: unknown }): { settings: Record<string, unknown>; secrets: Record<string, unknown> };
  view(settings: unknown, secrets: unknown): Record<string, unknown>;
  resolve(settings: unknown, secrets: unknown): TSettings;
  /** Where requests go, for lists and confirmations. */
  endpointOf(settings: unknown): string;
}

export interface TDestinationTypeDef<TSettings = Record<string, unknown>> {
  type: string;
  name: string;
  category: TCategory;
  /** Path under public/, e.g. /catalog/amplitude.svg. */
  logo: string;
  /** One line for the catalog card. */
  description: string;
  /** What it does, for the page before the form (a marketer should not need docs). */
  about: string;
  supports: readonly TCallType[];
  /** The partner's documentation, for people who want it. */
  docsUrl?: string;
  /** The settings a person fills in (zod object; field metadata via `.meta()`). */
  settings: z.ZodObject;
  storage: TSettingsStorage<TSettings>;
  /** Region choice → endpoint: when the field `region` changes, `endpoint` is set to this. */
  regions?: Record<string, string>;
  buildRequest(event: TEventInput, settings: TSettings, context: TBuildContext): TBuiltRequest | TSkip | TLookup;
  /** Reads the partner's answer; without it the shared retry table decides alone. */
  readResponse?(answer: TPartnerAnswer): TReading;
  /** Deliveries may share a request (the worker batches them); "send test event" sends one. */
  batch?: TBatching;
  /**
   * Forwards a privacy deletion to the partner: the calls to make, in order (partners cap
   * the identifiers per call, so a subject with many linked IDs may need several), or a
   * skip saying why this destination cannot (its `reason` becomes the `not_supported`
   * receipt). Types without it answer `not_supported`. The worker sends the calls with its
   * HTTP sender, retries transient failures (429, 5xx, network) and resumes after the
   * calls that already succeeded.
   */
  deleteUser?(subject: TDeletionSubject, settings: TSettings, context: TBuildContext): TBuiltRequest[] | TSkip;
  /**
   * The partner's answer to one deletion call, in words for the receipt (a task id, a
   * count, a state). It must not repeat identifiers: the receipt holds no subject data.
   */
  readDeletion?(answer: TPartnerAnswer): string;
}

/** A registered type, its settings' type erased (methods are bivariant, so any type fits). */
export type TAnyDestinationType = TDestinationTypeDef<unknown>;
