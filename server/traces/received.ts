/**
 * The "received" part of a trace: the message exactly as the client sent it, rebuilt from
 * the stored payload and the small `as_sent` difference ingest keeps (server/ingest/normalize.ts),
 * and the timestamp correction explained in words.
 */
import type { TAsSent } from '../ingest/normalize.ts';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The message as sent: the payload without the keys normalisation added, with the values it changed put back. */
export function rebuildAsSent(payload: unknown, asSent: TAsSent | null): unknown {
  if (!isObject(payload) || !asSent) return payload;
  const message: Record<string, unknown> = { ...payload };
  for (const key of asSent.added ?? []) delete message[key];
  for (const [key, value] of Object.entries(asSent.was ?? {})) message[key] = value;
  return message;
}

function seconds(ms: number): string {
  const s = Math.abs(ms) / 1000;
  return s < 10 ? `${s.toFixed(3).replace(/\.?0+$/, '')} s` : `${Math.round(s).toLocaleString('en-US')} s`;
}

export function explainTimestamp({ receivedAt, sentAt, originalTimestamp, timestamp }: { receivedAt: Date; sentAt: Date | null; originalTimestamp: Date | null; timestamp: Date }): string {
  if (!originalTimestamp) return 'The client sent no timestamp, so timestamp is receivedAt (the server clock).';
  if (!sentAt) return 'The client sent a timestamp but no sentAt, so its timestamp is kept as sent (its clock cannot be checked).';
  const skew = sentAt.getTime() - receivedAt.getTime();
  if (timestamp.getTime() === originalTimestamp.getTime() && skew !== 0 && timestamp.getTime() !== receivedAt.getTime() - (sentAt.getTime() - originalTimestamp.getTime())) {
    return 'The correction would leave the storable years, so the client’s own timestamp is kept.';
  }
  const clock = Math.abs(skew) < 1 ? 'matched the server clock' : `was ${seconds(skew)} ${skew > 0 ? 'ahead of' : 'behind'} the server (sentAt ${skew > 0 ? 'after' : 'before'} receivedAt, network time included)`;
  return `The client’s clock ${clock}. timestamp = receivedAt − (sentAt − originalTimestamp): the event happened ${seconds(sentAt.getTime() - originalTimestamp.getTime())} before it was sent.`;
}
