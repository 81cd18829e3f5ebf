/**
 * Per-destination delivery tuning (DESIGN.md "Public API"). Stored now with each
 * destination, honoured by the delivery engine. Unset fields take the product defaults.
 */
import { z } from 'zod';

export const DELIVERY_DEFAULTS = {
  maxInFlight: 20,
  ratePerSecond: null as number | null,
  timeoutMs: 10_000,
  retryWindowSeconds: 4 * 3600,
  minBackoffSeconds: 5,
  maxBackoffSeconds: 15 * 60,
};

/** The longest retry window a destination may have (7 days). */
export const MAX_RETRY_WINDOW_SECONDS = 7 * 86_400;

export const ZDeliveryTuningInput = z
  .object({
    maxInFlight: z.number().int().min(1).max(1000).describe('Requests in flight to this destination at most').optional(),
    ratePerSecond: z.number().positive().max(100_000).nullable().describe('Requests per second at most; null for no limit').optional(),
    timeoutMs: z.number().int().min(500).max(120_000).describe('Time allowed for one request, in milliseconds').optional(),
    retryWindowSeconds: z.number().int().min(60).max(MAX_RETRY_WINDOW_SECONDS).describe('How long an event is retried before it is archived').optional(),
    minBackoffSeconds: z.number().int().min(1).max(86_400).describe('First retry delay').optional(),
    maxBackoffSeconds: z.number().int().min(1).max(86_400).describe('Longest retry delay').optional(),
  })
  .strict();

export type TDeliveryTuningInput = z.infer<typeof ZDeliveryTuningInput>;

export const ZDeliveryTuning = z.object({
  maxInFlight: z.number().int(),
  ratePerSecond: z.number().nullable(),
  timeoutMs: z.number().int(),
  retryWindowSeconds: z.number().int(),
  minBackoffSeconds: z.number().int(),
  maxBackoffSeconds: z.number().int(),
});

export type TDeliveryTuning = z.infer<typeof ZDeliveryTuning>;

/** Stored tuning merged over the defaults; returns field problems when the result is inconsistent. */
export function resolveDeliveryTuning(stored: unknown): TDeliveryTuning {
  const parsed = ZDeliveryTuningInput.safeParse(stored ?? {});
  const values = parsed.success ? parsed.data : {};
  return { ...DELIVERY_DEFAULTS, ...values };
}

export function checkDeliveryTuning(tuning: TDeliveryTuning): Record<string, string> | null {
  const issues: Record<string, string> = {};
  if (tuning.minBackoffSeconds > tuning.maxBackoffSeconds) {
    issues['delivery.minBackoffSeconds'] = 'must not be larger than maxBackoffSeconds';
  }
  if (tuning.maxBackoffSeconds > tuning.retryWindowSeconds) {
    issues['delivery.maxBackoffSeconds'] = 'must not be larger than retryWindowSeconds';
  }
  return Object.keys(issues).length ? issues : null;
}
