/**
 * The generic webhook: each event POSTed as stored, signed the Standard Webhooks way, with
 * the person's extra headers. Its settings keep their own store (signing secret generated
 * and rotated, headers encrypted), so it is one type among the others for the worker.
 */
import { webhookHeaders } from './signing.ts';
import type { TWebhookSecrets, TWebhookSettings } from '../../catalog.ts';
import { ZWebhookSettingsInput } from '../../catalog.ts';
import { buildWebhookConfig, viewWebhookSettings } from '../../webhook.ts';
import type { TDestinationTypeDef } from '../types.ts';

export interface TWebhookRuntime {
  url: string;
  headers: Record<string, string>;
  signingSecrets: string[];
}

export const webhook: TDestinationTypeDef<TWebhookRuntime> = {
  type: 'webhook',
  name: 'Webhook',
  category: 'raw',
  logo: '/catalog/webhook.svg',
  description: 'POSTs each event as JSON to a URL, signed the Standard Webhooks way.',
  about:
    'Sends every event of the source, exactly as Switchyard stored it, as a JSON POST to your URL. Each request carries webhook-id, webhook-timestamp and webhook-signature headers (Standard Webhooks), so your endpoint can check it came from Switchyard; you can add headers of your own, such as an Authorization header.',
  supports: ['track', 'identify', 'page', 'screen', 'group', 'alias'],
  docsUrl: 'https://www.standardwebhooks.com',
  settings: ZWebhookSettingsInput,
  storage: {
    build: (input, previous) => buildWebhookConfig(input, previous as { settings: TWebhookSettings; secrets: TWebhookSecrets } | undefined) as unknown as { settings: Record<string, unknown>; secrets: Record<string, unknown> },
    view: (settings, secrets) => viewWebhookSettings(settings as TWebhookSettings, (secrets ?? { signingSecret: '', headers: {} }) as TWebhookSecrets),
    resolve(settings, stored) {
      const secrets = (stored ?? { signingSecret: '', headers: {} }) as TWebhookSecrets;
      return {
        url: (settings as TWebhookSettings).url,
        headers: secrets.headers,
        signingSecrets: [secrets.signingSecret, ...(secrets.previousSigningSecrets ?? []).filter((s) => s.expiresAt > Date.now()).map((s) => s.secret)].filter(Boolean),
      };
    },
    endpointOf: (settings) => (settings as TWebhookSettings).url,
  },
  buildRequest(input, settings, { jobId, now }) {
    // The person's headers, then the signature's over them; copied key by key, not
    // `{ ...a, ...b }`, which is slow on this Node when both have keys (http-sender.ts outgoingHeaders).
    const headers = Object.assign({}, settings.headers);
    const signed = webhookHeaders({ id: jobId, body: input.raw, secrets: settings.signingSecrets, now });
    headers['webhook-id'] = signed['webhook-id'];
    headers['webhook-timestamp'] = signed['webhook-timestamp'];
    headers['webhook-signature'] = signed['webhook-signature'];
    return { method: 'POST', url: settings.url, headers, body: input.raw };
  },
  /** A signed `user.deleted` POST at the same URL, naming every identifier of the subject. */
  deleteUser(subject, settings, { now }) {
    const body = JSON.stringify({ type: 'user.deleted', regulationId: subject.regulationId, userIds: subject.userIds, anonymousIds: subject.anonymousIds, emails: subject.emails, timestamp: now.toISOString() });
    return [
      {
        method: 'POST',
        url: settings.url,
        headers: { ...settings.headers, 'content-type': 'application/json', ...webhookHeaders({ id: `regulation_${subject.regulationId}`, body, secrets: settings.signingSecrets, now }) },
        body,
      },
    ];
  },
};
