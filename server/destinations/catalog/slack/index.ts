/**
 * Slack, incoming webhooks: each event becomes a message from a template with event
 * fields (`{{event}}`, `{{userId}}`, `{{properties.plan}}` …). The webhook URL is the
 * secret; its path is sent to `endpoint` (hooks.slack.com by default). Slack answers in
 * plain text: `ok`, or an error word such as `invalid_payload`, `no_text`,
 * `invalid_token`, `no_service`, `channel_not_found`, `channel_is_archived`.
 */
import { z } from 'zod';
import { definePartner } from '../define.ts';
import { endpointField, genericReading, secretField } from '../fields.ts';
import { renderText } from '../template.ts';
import type { TSegmentEvent } from '../types.ts';

const SLACK_ERRORS: Record<string, string> = {
  invalid_payload: 'Slack could not read the message (invalid_payload): the template may produce an empty or malformed message',
  no_text: 'Slack says the message has no text (no_text): check the message template',
  invalid_token: 'Slack says the webhook URL is no longer valid (invalid_token): create a new incoming webhook and paste its URL',
  no_service: 'Slack says this incoming webhook does not exist or was disabled (no_service): paste a current webhook URL',
  no_service_id: 'Slack says the webhook URL is incomplete (no_service_id)',
  no_team: 'Slack says the webhook URL is incomplete (no_team)',
  team_disabled: 'Slack says the workspace of this webhook is disabled (team_disabled)',
  channel_not_found: 'Slack says the channel of this webhook no longer exists (channel_not_found)',
  channel_is_archived: 'Slack says the channel of this webhook is archived (channel_is_archived)',
  action_prohibited: 'Slack says an admin restricted posting to this channel (action_prohibited)',
  posting_to_general_channel_denied: 'Slack says only admins may post to this channel (posting_to_general_channel_denied)',
  too_many_attachments: 'Slack says the message has too many attachments',
  user_not_found: 'Slack says the user this webhook posts to no longer exists (user_not_found)',
  invalid_team: 'Slack says the webhook URL names an unknown workspace (invalid_team)',
  rollup_error: 'Slack had a server problem (rollup_error); the event will be retried',
};

const ZSlackSettings = z.object({
  webhookUrl: secretField('Webhook URL', 'The incoming webhook URL Slack gave you (Apps → Incoming Webhooks → Add New Webhook to Workspace), like https://hooks.slack.com/services/T…/B…/….', { placeholder: 'https://hooks.slack.com/services/…' })
    .refine((url) => /^https:\/\/[^/]+\/services\/[^/]+\/[^/]+\/[^/]+$/.test(url), 'must be a Slack incoming webhook URL (https://hooks.slack.com/services/…)'),
  template: z.string().trim().min(1, 'Message template is required').max(3000).default('*{{title}}* by {{user}}').meta({
    title: 'Message template',
    description: 'The message posted for each event, in Slack\'s mrkdwn. Fields in {{…}}: title, type, event, name, user, userId, anonymousId, email, and any properties.… or traits.… of the event.',
    'x-multiline': true,
  }),
  endpoint: endpointField('https://hooks.slack.com', 'Slack\'s webhook host; the path of your webhook URL is sent to it. Change it only for a proxy or a test server.'),
});

function title(event: TSegmentEvent): string {
  switch (event.type) {
    case 'track': return event.event ?? 'Event';
    case 'identify': return 'Identified';
    case 'page': return event.name ? `Viewed page ${event.name}` : 'Viewed a page';
    case 'screen': return event.name ? `Viewed screen ${event.name}` : 'Viewed a screen';
    case 'group': return `Joined group ${event.groupId ?? ''}`.trim();
    case 'alias': return `Aliased ${event.previousId ?? ''}`.trim();
  }
}

export const slack = definePartner({
  type: 'slack',
  name: 'Slack',
  category: 'messaging',
  logo: '/catalog/slack.svg',
  description: 'Posts a message to a Slack channel for each event.',
  about:
    'Posts one message per event to the channel of a Slack incoming webhook, written from a template you choose, for example “*Order Completed* by user 42 (€42.50)”. Useful for sign-ups, large orders and other moments a team wants to see as they happen; add a filter so only those events reach it.',
  supports: ['track', 'identify', 'page', 'screen', 'group', 'alias'],
  docsUrl: 'https://api.slack.com/messaging/webhooks',
  settings: ZSlackSettings,
  buildRequest(input, settings) {
    const event = input.json;
    const text = renderText(settings.template, {
      ...event,
      title: title(event),
      user: event.userId ?? event.anonymousId,
      email: (event.traits?.email ?? event.properties?.email ?? (event.context?.traits as Record<string, unknown> | undefined)?.email) as string | undefined,
    });
    return {
      method: 'POST',
      url: `${settings.endpoint}${new URL(settings.webhookUrl).pathname}`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    };
  },
  readResponse({ status, body }) {
    const word = body.trim();
    if (status === 200) return { explanation: 'Slack posted the message' };
    if (SLACK_ERRORS[word]) return { explanation: SLACK_ERRORS[word] };
    if (status === 429) return { explanation: 'Slack is limiting this webhook (about one message per second); the message will be retried' };
    return genericReading('Slack', status, word || undefined);
  },
});
