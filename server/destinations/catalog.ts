/**
 * The webhook type's settings schema and how its secrets are kept (the catalog of all
 * types is catalog/registry.ts). Non-secret settings are stored as JSON; secret ones
 * (signing secret, header values) go into one encrypted envelope and are only ever shown
 * masked after creation.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

const RESERVED_HEADERS = new Set([
  'host', 'content-length', 'content-type', 'connection', 'transfer-encoding', 'keep-alive', 'upgrade',
  'te', 'trailer', 'proxy-authorization', 'webhook-id', 'webhook-timestamp', 'webhook-signature', 'user-agent',
]);

const ZHeaderName = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'is not a valid HTTP header name')
  .refine((name) => !RESERVED_HEADERS.has(name.toLowerCase()), 'is set by Switchyard and cannot be overridden');

const ZHeaderValue = z.string().max(4096).refine((value) => !/[\r\n\0]/.test(value), 'must not contain line breaks');

export const ZWebhookUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .max(2048)
  .refine((url) => {
    const parsed = new URL(url);
    return !parsed.username && !parsed.password;
  }, 'must not contain a user name or password; put credentials in a header');

export const ZWebhookSettingsInput = z
  .object({
    url: ZWebhookUrl.describe('Where events are POSTed'),
    headers: z
      .record(ZHeaderName, ZHeaderValue.nullable())
      .refine((headers) => Object.keys(headers).length <= 20, 'at most 20 headers')
      .describe('Extra request headers. Values are secret: stored encrypted and shown masked. On update, null keeps the stored value.')
      .optional(),
  })
  .strict();

export type TWebhookSettingsInput = z.infer<typeof ZWebhookSettingsInput>;

/** What is stored in plain JSON. */
export interface TWebhookSettings {
  url: string;
  headerNames: string[];
}

/** What is stored encrypted. */
export interface TWebhookSecrets {
  signingSecret: string;
  /** Secrets replaced by a rotation, still signing until `expiresAt` (epoch ms). */
  previousSigningSecrets?: Array<{ secret: string; expiresAt: number }>;
  headers: Record<string, string>;
}

export function generateSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
