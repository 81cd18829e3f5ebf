/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): the signed content is
 * `${webhook-id}.${webhook-timestamp}.${body}`, HMAC-SHA256 with the secret's bytes
 * (base64 after `whsec_`), sent as `webhook-signature: v1,<base64>`. During a secret
 * rotation every active secret signs, space-separated, so receivers on either secret verify.
 */
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

export function secretBytes(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

/** Secrets decoded once: a worker signs thousands of requests a second with a handful of them. */
const keys = new Map<string, KeyObject>();

function signingKey(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size > 1000) keys.clear();
    key = createSecretKey(secretBytes(secret));
    keys.set(secret, key);
  }
  return key;
}

export function sign({ id, timestamp, body, secrets }: { id: string; timestamp: number; body: string; secrets: string[] }): string {
  const content = `${id}.${timestamp}.${body}`;
  return secrets.map((secret) => `v1,${createHmac('sha256', signingKey(secret)).update(content).digest('base64')}`).join(' ');
}

export function webhookHeaders({ id, body, secrets, now = new Date() }: { id: string; body: string; secrets: string[]; now?: Date }): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': sign({ id, timestamp, body, secrets }),
  };
}
