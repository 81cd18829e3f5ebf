/**
 * What is really happening to a destination's deliveries, for people (its page, the REST
 * activity): held for a configuration problem, paused by a Retry-After, paused by the
 * breaker until the next probe, sending under lowered limits, or normal; with the current
 * limits and why they last changed. Read from destination_flow (flow.ts), whose times are
 * the ones the claim statement obeys, so the page and the worker agree.
 */
import { z } from 'zod';
import type { TDeliveryTuning } from '../destinations/delivery-tuning.ts';
import { lastMinute, type TFlowState } from './flow-state.ts';

export const ZDeliveryStatus = z.object({
  state: z.enum(['normal', 'adapting', 'probing', 'paused', 'held']).describe('held: its settings cannot work; paused: a Retry-After; probing: the breaker is open; adapting: sending under lowered limits'),
  /** One sentence, times in UTC (the page renders its own with the reader's clock). */
  message: z.string(),
  needsAttention: z.boolean(),
  limits: z.object({
    concurrency: z.number().describe('Requests in flight allowed now'),
    maxInFlight: z.number().describe('The configured maximum'),
    rate: z.number().nullable().describe('Requests per second allowed now; null: no limit'),
    configuredRate: z.number().nullable(),
    reason: z.string().nullable().describe('Why the limits last changed'),
    changedAt: z.date().nullable(),
  }),
  lastMinute: z.object({ attempts: z.number(), failures: z.number(), successes: z.number() }),
  pausedUntil: z.date().nullable(),
  pauseReason: z.string().nullable(),
  breakerOpenedAt: z.date().nullable(),
  breakerReason: z.string().nullable(),
  nextProbeAt: z.date().nullable(),
  held: z.object({ code: z.string(), reason: z.string(), since: z.date() }).nullable(),
});

export type TDeliveryStatus = z.infer<typeof ZDeliveryStatus>;

const utc = (date: Date) => `${date.toISOString().slice(11, 19)} UTC`;

/** `flow` null: no row yet (nothing delivered, or nothing ever went wrong). */
/**
 * `nextDueAt`: when the earliest job of its queue is due (a probe needs one: with the
 * breaker open and every retry scheduled later, the next probe goes out then).
 */
export function describeDeliveryStatus({ flow, tuning, settingsAt, nextDueAt = null, now = new Date() }: { flow: TFlowState | null; tuning: TDeliveryTuning; settingsAt: Date; nextDueAt?: Date | null; now?: Date }): TDeliveryStatus {
  const concurrency = Math.max(1, Math.floor(Math.min(flow?.concurrency ?? tuning.maxInFlight, tuning.maxInFlight)));
  const rates = [tuning.ratePerSecond, flow?.rate ?? null].filter((r): r is number => r !== null);
  const rate = rates.length ? Math.round(Math.min(...rates) * 10) / 10 : null;
  const isHeld = Boolean(flow?.heldCode && flow.heldSettingsAt && flow.heldSettingsAt >= settingsAt);
  const isPaused = Boolean(flow?.pausedUntil && flow.pausedUntil > now);
  const isOpen = Boolean(flow?.breakerOpenedAt);
  const minute = flow ? lastMinute(flow, now) : { attempts: 0, failures: 0, successes: 0 };
  const nextProbeAt = isOpen && flow?.nextProbeAt ? new Date(Math.max(flow.nextProbeAt.getTime(), nextDueAt?.getTime() ?? 0)) : null;
  let state: TDeliveryStatus['state'] = 'normal';
  let message = 'Delivering normally.';
  if (isHeld && flow) {
    state = 'held';
    message = `Held: ${flow.heldReason}. Its events wait (none is discarded); delivery resumes when its settings are changed.`;
  } else if (isPaused && flow?.pausedUntil) {
    state = 'paused';
    message = `Rate limited by the partner until ${utc(flow.pausedUntil)} (${flow.pauseReason}).`;
  } else if (isOpen && flow) {
    state = 'probing';
    const probe = nextProbeAt && nextProbeAt > now ? `next probe at ${utc(nextProbeAt)}` : nextDueAt ? 'probing now' : 'next probe when an event arrives';
    message = `Paused after ${flow.breakerReason}; ${probe}. One request at a time until one succeeds.`;
  } else if (flow && (flow.concurrency !== null || flow.rate !== null)) {
    state = 'adapting';
    message = `Sending under lowered limits: ${concurrency} in flight${rate !== null ? `, ${rate}/s` : ''} (lowered after ${flow.limitReason}).`;
  }
  return {
    state,
    message,
    needsAttention: state === 'held' || state === 'paused' || state === 'probing',
    limits: { concurrency, maxInFlight: tuning.maxInFlight, rate, configuredRate: tuning.ratePerSecond, reason: flow?.limitReason ?? null, changedAt: flow?.limitChangedAt ?? null },
    lastMinute: minute,
    pausedUntil: isPaused ? flow!.pausedUntil : null,
    pauseReason: isPaused ? flow!.pauseReason : null,
    breakerOpenedAt: flow?.breakerOpenedAt ?? null,
    breakerReason: isOpen ? flow!.breakerReason : null,
    nextProbeAt,
    held: isHeld && flow ? { code: flow.heldCode!, reason: flow.heldReason!, since: flow.heldAt ?? now } : null,
  };
}
