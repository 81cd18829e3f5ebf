/**
 * Building blocks the types share: settings fields with their labels, and small readers of
 * events and answers. Field metadata travels through zod's `.meta()` into the JSON Schema
 * the catalog serves, from which the browser builds each type's form.
 */
import { z } from 'zod';
import type { TFieldMeta, TSegmentEvent } from './types.ts';

export function secretField(title: string, description: string, extra: Partial<TFieldMeta> = {}) {
  return z.string({ error: `${title} is required` }).trim().min(1, `${title} is required`).max(2048).meta({ title, description, 'x-secret': true, ...extra });
}

export function textField(title: string, description: string, extra: Partial<TFieldMeta> = {}) {
  return z.string({ error: `${title} is required` }).trim().min(1, `${title} is required`).max(2048).meta({ title, description, ...extra });
}

/**
 * The partner's base URL (DESIGN: `endpoint`): the documented host by default, set by the
 * region choice, changeable under advanced settings (proxies, self-hosted tools, tests).
 * Private addresses are refused at send time unless SWITCHYARD_ALLOW_PRIVATE_DESTINATIONS allows them.
 */
export function endpointField(defaultUrl: string, description = 'The partner API host requests go to. Change it only for a proxy, a self-hosted instance or a test server.') {
  return z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .max(2048)
    .refine((url) => {
      const parsed = new URL(url);
      return !parsed.username && !parsed.password && !parsed.search && !parsed.hash;
    }, 'must be a plain base URL, without credentials, query or fragment')
    .transform((url) => url.replace(/\/+$/, ''))
    .default(defaultUrl)
    .meta({ title: 'Endpoint', description, 'x-advanced': true });
}

/** A region choice; `regions` maps each value to the endpoint it sets. */
export function regionField<const T extends readonly [string, ...string[]]>(values: T, labels: { [K in keyof T]: string }, description: string) {
  return z.enum(values).default(values[0]).meta({ title: 'Region', description, 'x-labels': [...labels] });
}

export const userOf = (event: TSegmentEvent): string | undefined => event.userId ?? event.anonymousId;

export const epochMs = (iso: string): number => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? Date.now() : ms;
};

export function contextValue(event: TSegmentEvent, path: string): unknown {
  let node: unknown = event.context;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** The name a page or screen call becomes as an event where the partner has no such call. */
export function viewedName(event: TSegmentEvent): string {
  const kind = event.type === 'screen' ? 'Screen' : 'Page';
  return event.name ? `Viewed ${event.name} ${kind}` : `Viewed ${kind}`;
}

/** The body as JSON, or null when it is not (a plain-text or truncated answer). */
export function jsonBody(body: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The words for answers every partner can give, after its own reading found nothing more specific. */
export function genericReading(partner: string, status: number, detail?: string): { explanation: string } {
  const tail = detail ? `: ${detail}` : '';
  if (status >= 200 && status < 300) return { explanation: `${partner} accepted the event (HTTP ${status})` };
  if (status === 401 || status === 403) return { explanation: `${partner} refused the credentials (HTTP ${status})${tail}. Check the API key in this destination's settings.` };
  if (status === 404) return { explanation: `${partner} answered 404 Not Found${tail}. Check the endpoint and IDs in this destination's settings.` };
  if (status === 413) return { explanation: `${partner} says the event is too large (HTTP 413)${tail}` };
  if (status === 429) return { explanation: `${partner} is rate limiting us (HTTP 429)${tail}; the event will be retried` };
  if (status >= 500) return { explanation: `${partner} had a server problem (HTTP ${status})${tail}; the event will be retried` };
  return { explanation: `${partner} rejected the event (HTTP ${status})${tail}` };
}
