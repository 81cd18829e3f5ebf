/** Inputs and outputs of the trace read model (procedures and REST share them). */
import { z } from 'zod';

export const DELIVERY_STATES = ['delivered', 'retrying', 'pending', 'discarded', 'archived', 'filtered', 'blocked'] as const;
export const ZDeliveryState = z.enum(DELIVERY_STATES);
export type TDeliveryState = z.infer<typeof ZDeliveryState>;

export const RANGES = ['1h', '24h', '7d', '30d'] as const;
export const ZRange = z.enum(RANGES);
export type TRange = z.infer<typeof ZRange>;

export const ZSearchInput = z.object({
  q: z.string().max(600).optional().describe('Any identifier: user ID, anonymous ID, e-mail or message ID; prefix with email:, user:, anon: or message: to narrow'),
  userId: z.string().max(512).optional(),
  anonymousId: z.string().max(512).optional(),
  email: z.string().max(320).optional(),
  messageId: z.string().max(512).optional(),
  sourceId: z.uuid().optional(),
  destinationId: z.uuid().optional().describe('Only events of this destination\'s source; with state, only those in that state at this destination'),
  state: ZDeliveryState.optional().describe('With destinationId: the delivery state there now. delivered, discarded and archived are found by when that happened; pending and retrying among the jobs queued now; filtered and blocked by when the event arrived'),
  type: z.enum(['track', 'identify', 'page', 'screen', 'group', 'alias']).optional(),
  from: z.coerce.date().optional().describe('Oldest receivedAt, ISO-8601 (default: 30 days ago)'),
  to: z.coerce.date().optional().describe('Newest receivedAt, exclusive, ISO-8601 (default: now)'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).nullish().describe('nextCursor of the previous page'),
});
export type TSearchInput = z.infer<typeof ZSearchInput>;

export const ZDeliveryBadge = z.object({
  destinationId: z.string(),
  destinationName: z.string(),
  state: ZDeliveryState,
  /** Last status code or network error, when an attempt was made. */
  lastResult: z.string().nullable(),
  attempts: z.number().int(),
  /** Why it was filtered or blocked. */
  reason: z.string().nullable(),
});
export type TDeliveryBadge = z.infer<typeof ZDeliveryBadge>;

export const ZSearchRow = z.object({
  id: z.string(),
  sourceId: z.string(),
  sourceName: z.string(),
  messageId: z.string(),
  type: z.string(),
  name: z.string().nullable(),
  userId: z.string().nullable(),
  anonymousId: z.string().nullable(),
  email: z.string().nullable(),
  receivedAt: z.date(),
  timestamp: z.date(),
  deliveries: z.array(ZDeliveryBadge),
});
export type TSearchRow = z.infer<typeof ZSearchRow>;

export const ZSearchPage = z.object({ data: z.array(ZSearchRow), nextCursor: z.string().nullable() });
export type TSearchPage = z.infer<typeof ZSearchPage>;

export const ZSentRequest = z.object({
  method: z.string(),
  url: z.string(),
  headers: z.record(z.string(), z.string()),
  /** The body as sent; null when it was not kept (a later attempt whose body differed from the first). */
  body: z.string().nullable(),
  /** Where the body came from: the event's payload, or a body the destination type built. */
  bodyIs: z.enum(['event', 'built', 'unknown']),
});

export const ZAttempt = z.object({
  attempt: z.number().int(),
  at: z.date(),
  state: z.string(),
  isReplay: z.boolean(),
  request: ZSentRequest.nullable(),
  statusCode: z.number().int().nullable(),
  errorCode: z.string().nullable(),
  latencyMs: z.number().int().nullable(),
  responseExcerpt: z.string().nullable(),
  retryAfterSeconds: z.number().nullable(),
  /** The answer's headers that matter (content type, Retry-After, rate limits, request ids…), names lower-cased. */
  responseHeaders: z.record(z.string(), z.string()),
  retryAt: z.date().nullable(),
  /** The retry decision in words. */
  decision: z.string(),
});
export type TAttempt = z.infer<typeof ZAttempt>;

export const ZDeliveryTrace = z.object({
  destinationId: z.string(),
  destinationName: z.string(),
  destinationType: z.string().nullable(),
  state: ZDeliveryState,
  /** The state in words ("delivered at attempt 3", "filtered: integrations turned it off"). */
  summary: z.string(),
  jobId: z.string().nullable(),
  /** When the newest job's retry window ends (or ended): its scheduled end moved on by heldMs. */
  expireAt: z.date().nullable(),
  /**
   * How long the destination was held (Retry-After pauses, settings that could not work)
   * while the newest job waited, in ms: its retry window was extended by that much. Null
   * when there is no job, or when it is no longer known (held time is kept 7 days).
   */
  heldMs: z.number().nullable(),
  /** The window's extension in words, when there was one (or when it is no longer known). */
  windowNote: z.string().nullable(),
  attempts: z.array(ZAttempt),
});
export type TDeliveryTrace = z.infer<typeof ZDeliveryTrace>;

export const ZPipelineStep = z.object({
  stage: z.string(),
  decision: z.string(),
  reason: z.string().nullable(),
  /** What the stage recorded, as stored. */
  details: z.unknown(),
});

export const ZTrace = z.object({
  event: z.object({
    id: z.string(),
    messageId: z.string(),
    type: z.string(),
    name: z.string().nullable(),
    userId: z.string().nullable(),
    anonymousId: z.string().nullable(),
    email: z.string().nullable(),
    sourceId: z.string(),
    sourceName: z.string(),
    payload: z.unknown(),
  }),
  received: z.object({
    /** The message as the client sent it (its writeKey, if any, left out). */
    asSent: z.unknown(),
    hadWriteKey: z.boolean(),
    /** Keys Switchyard added while normalising. */
    added: z.array(z.string()),
    clientIp: z.string().nullable(),
    userAgent: z.string().nullable(),
    receivedAt: z.date(),
    sentAt: z.date().nullable(),
    originalTimestamp: z.date().nullable(),
    timestamp: z.date(),
    /** How `timestamp` was corrected, in words. */
    timestampExplained: z.string(),
  }),
  pipeline: z.array(ZPipelineStep),
  deliveries: z.array(ZDeliveryTrace),
  /** True while some delivery still has work queued (the page refreshes itself). */
  isPending: z.boolean(),
});
export type TTrace = z.infer<typeof ZTrace>;

export const ZStatsInput = z.object({
  range: ZRange.default('24h'),
});

export const ZStats = z.object({
  range: ZRange,
  from: z.date(),
  to: z.date(),
  bucketSeconds: z.number().int(),
  /** Series keys in stacking order: status codes ("200", "503") and network error classes ("ECONNREFUSED"). */
  keys: z.array(z.string()),
  series: z.array(z.object({ t: z.date(), counts: z.record(z.string(), z.number()), total: z.number() })),
  totals: z.object({ attempts: z.number(), delivered: z.number(), retried: z.number(), discarded: z.number(), archived: z.number() }),
  /** Share of first attempts that succeeded, and of ended jobs that were delivered in the end (null: nothing to count). */
  firstAttemptSuccessRate: z.number().nullable(),
  eventualSuccessRate: z.number().nullable(),
  successByAttempt: z.array(z.object({ attempt: z.number().int(), count: z.number() })),
  latency: z.object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() }),
  latencySeries: z.array(z.object({ t: z.date(), p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() })),
  topResponses: z.array(
    z.object({
      code: z.string(),
      count: z.number(),
      excerpts: z.array(z.object({ excerpt: z.string(), count: z.number(), eventIds: z.array(z.string()) })),
    }),
  ),
});
export type TStats = z.infer<typeof ZStats>;

export const ZOverview = z.object({
  range: ZRange,
  from: z.date(),
  sources: z.array(
    z.object({
      sourceId: z.string(),
      name: z.string(),
      received: z.number(),
      stored: z.number(),
      rejected: z.array(z.object({ reason: z.string(), count: z.number() })),
      /** Events a stage dropped that are still dropped, per reason (stage). */
      dropped: z.array(z.object({ reason: z.string(), count: z.number() })),
      /** Events the tracking plan blocked at ingest that a replay of blocked events released since (counted in stored, not in dropped). */
      released: z.number(),
    }),
  ),
  destinations: z.array(
    z.object({
      destinationId: z.string(),
      name: z.string(),
      sourceId: z.string(),
      filtered: z.array(z.object({ reason: z.string(), count: z.number() })),
      firstAttempts: z.number(),
      delivered: z.number(),
      discarded: z.number(),
      archived: z.number(),
      retriedAttempts: z.number(),
      pendingNow: z.number(),
      retryingNow: z.number(),
    }),
  ),
});
export type TOverview = z.infer<typeof ZOverview>;
