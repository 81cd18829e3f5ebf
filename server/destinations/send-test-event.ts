/**
 * "Send test event": builds the request a real delivery would send for a sample event (or
 * one of the source's recent events), sends it through the same path as the worker, and
 * returns the exact request (secrets masked) and the partner's answer in words. Nothing is
 * written: no event, no job, no transition, no rollup.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { callDestination, decideCall } from '../delivery/call-destination.ts';
import { HttpSender } from '../delivery/http-sender.ts';
import type { Db } from '../db/client.ts';
import { openJson } from '../crypto/secret-box.ts';
import { mask } from '../crypto/secret-box.ts';
import { AppError, notFound } from '../errors/app-error.ts';
import { CALL_TYPES, type TCallType } from './catalog/types.ts';
import { resolveDeliveryTuning } from './delivery-tuning.ts';
import { typeOf } from './destinations.ts';
import { sampleEvent } from './sample-events.ts';

export const ZTestEventInput = z.object({
  callType: z.enum(CALL_TYPES).optional().describe('Send a sample event of this call type (default track)'),
  eventId: z.uuid().optional().describe('Send this recent event of the destination\'s source instead of a sample'),
});

export const ZTestEventResult = z.object({
  /** delivered: the partner accepted it; rejected: it would be discarded; retry: it would be retried; skipped: not sent. */
  verdict: z.enum(['delivered', 'rejected', 'retry', 'skipped']),
  explanation: z.string(),
  event: z.record(z.string(), z.unknown()),
  request: z.object({ method: z.string(), url: z.string(), headers: z.record(z.string(), z.string()), body: z.string() }).nullable(),
  response: z
    .object({ status: z.number().nullable(), errorCode: z.string().nullable(), latencyMs: z.number(), body: z.string() })
    .nullable(),
});

export type TTestEventResult = z.infer<typeof ZTestEventResult>;

/** Every secret string in the stored envelope, longest first (so a secret containing another is masked whole). */
function secretStrings(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.length >= 4) into.push(value);
  } else if (Array.isArray(value)) value.forEach((v) => secretStrings(v, into));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => secretStrings(v, into));
  return into.sort((a, b) => b.length - a.length);
}

function masker(secrets: string[]): (text: string) => string {
  return (text) => secrets.reduce((out, secret) => out.split(secret).join(mask(secret)).split(encodeURIComponent(secret)).join(mask(secret)), text);
}

export async function sendTestEvent({
  db,
  workspaceId,
  destinationId,
  input,
  allowPrivate,
}: {
  db: Db;
  workspaceId: string;
  destinationId: string;
  input: z.infer<typeof ZTestEventInput>;
  allowPrivate: string | undefined;
}): Promise<TTestEventResult> {
  const row = await db.destination.findFirst({ where: { id: destinationId, workspaceId } });
  if (!row) throw notFound('destination');
  const def = typeOf(row.type);
  let payload: string;
  if (input.eventId) {
    const event = await db.event.findFirst({ where: { id: input.eventId, sourceId: row.sourceId }, select: { payload: true } });
    if (!event) throw new AppError('NOT_FOUND', 'event not found', { issues: { eventId: 'no such event in this destination\'s source' } });
    payload = JSON.stringify(event.payload);
  } else {
    payload = JSON.stringify(sampleEvent((input.callType ?? def.supports[0] ?? 'track') as TCallType, new Date()));
  }
  const stored = row.secrets ? openJson<unknown>(row.secrets) : undefined;
  const hide = masker(secretStrings(stored));
  const tuning = resolveDeliveryTuning(row.delivery);
  const target = { def, settings: def.storage.resolve(row.settings, stored), tuning };
  const sender = new HttpSender({ allowPrivate, connections: 1 });
  try {
    const result = await callDestination({ sender, target, jobId: `test-${randomUUID()}`, payload, now: new Date(), isTest: true });
    const event = JSON.parse(payload) as Record<string, unknown>;
    if (result.kind === 'skipped') return { verdict: 'skipped', explanation: result.reason, event, request: null, response: null };
    const decision = decideCall({ result, attempt: 1, now: new Date(), expireAt: new Date(Date.now() + tuning.retryWindowSeconds * 1000), tuning });
    const { request, outcome, reading } = result;
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [name, name === 'authorization' ? `${value.split(' ')[0]} ••••` : hide(value)]),
    );
    const verdict = decision.state === 'succeeded' ? 'delivered' : decision.state === 'awaiting_retry' || decision.state === 'archived' ? 'retry' : 'rejected';
    const explanation = reading?.explanation
      ?? (outcome.kind === 'network' ? `No answer from ${def.name}: ${outcome.code}${outcome.message ? ` (${outcome.message})` : ''}` : decision.state === 'succeeded' ? `${def.name} accepted the event (HTTP ${outcome.status})` : `${def.name} answered HTTP ${outcome.status}`);
    return {
      verdict,
      explanation,
      event,
      request: { method: request.method, url: hide(request.url), headers, body: hide(request.body) },
      response: {
        status: outcome.kind === 'http' ? outcome.status : null,
        errorCode: outcome.kind === 'network' ? outcome.code : null,
        latencyMs: outcome.latencyMs,
        body: outcome.kind === 'http' ? hide(outcome.bodyExcerpt) : (outcome.message ?? ''),
      },
    };
  } finally {
    await sender.close();
  }
}
