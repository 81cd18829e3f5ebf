/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): the signed content is
 * `${webhook-id}.${webhook-timestamp}.${body}`, HMAC-SHA256 with the secret's bytes
 * (base64 after `whsec_`), sent as `webhook-signature: v1,<base64>`. During a secret
 * rotation every active secret signs, space-separated, so receivers on either secret verify.
 */
import { createHmac } from 'node:crypto';

export function secretBytes(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

export function sign({ id, timestamp, body, secrets }: { id: string; timestamp: number; body: string; secrets: string[] }): string {
  const content = `${id}.${timestamp}.${body}`;
  return secrets.map((secret) => `v1,${createHmac('sha256', secretBytes(secret)).update(content).digest('base64')}`).join(' ');
}

export function webhookHeaders({ id, body, secrets, now = new Date() }: { id: string; body: string; secrets: string[]; now?: Date }): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': sign({ id, timestamp, body, secrets }),
  };
}
