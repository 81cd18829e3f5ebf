/** Slack through the real tracking API and worker, against a local incoming webhook answering Slack's plain-text words. */
import { describe, expect, it } from 'vitest';
import { CALL_TYPES } from '../types.ts';
import { createPartnerWorld, firstOutcome, partnerSuite, sendCall } from '../test-partner.ts';
import { SLACK_PATH, startSlack } from './simulator.ts';

const suite = partnerSuite(startSlack);
const world = (settings: Record<string, unknown> = {}) =>
  createPartnerWorld(suite.testDb, 'slack', { webhookUrl: `https://hooks.slack.com${SLACK_PATH}`, endpoint: suite.sim.url, ...settings });

const MESSAGES: Record<string, string> = {
  track: '*Order Completed* by user-1001',
  identify: '*Identified* by user-1001',
  page: '*Viewed page Pricing* by user-1001',
  screen: '*Viewed screen Checkout* by user-1001',
  group: '*Joined group company-42* by user-1001',
  alias: '*Aliased anon-2002* by user-1001',
};

describe('Slack destination', () => {
  it.each(CALL_TYPES)('posts a %s call as a message from the default template', async (call) => {
    const { writeKey, destinationId } = await world();
    const before = suite.sim.requests.length;
    const outcome = await firstOutcome(suite.testDb, destinationId, await sendCall(suite.server, writeKey, call));
    expect(outcome).toMatchObject({ state: 'succeeded', explanation: 'Slack posted the message' });
    const sent = suite.sim.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0].path).toBe(SLACK_PATH);
    expect(JSON.parse(sent[0].body)).toEqual({ text: MESSAGES[call] });
  });

  it('fills a template with event properties and traits', async () => {
    const { writeKey, destinationId } = await world({ template: 'New order {{properties.orderId}}: {{properties.revenue}} {{properties.currency}} from {{userId}}' });
    const before = suite.sim.requests.length;
    await firstOutcome(suite.testDb, destinationId, await sendCall(suite.server, writeKey, 'track'));
    expect(JSON.parse(suite.sim.requests[before].body)).toEqual({ text: 'New order o-1: 42.5 EUR from user-1001' });
  });

  it('explains no_text (an empty message) and discards it', async () => {
    const { writeKey, destinationId } = await world({ template: '{{properties.missing}}' });
    const outcome = await firstOutcome(suite.testDb, destinationId, await sendCall(suite.server, writeKey, 'track', 'msg-empty'));
    expect(outcome).toMatchObject({ state: 'discarded', statusCode: 400, responseExcerpt: 'no_text' });
    expect(outcome.explanation).toBe('Slack says the message has no text (no_text): check the message template');
  });

  it('explains an unknown or removed webhook (404 no_service)', async () => {
    const { writeKey, destinationId } = await world({ webhookUrl: 'https://hooks.slack.com/services/T0001TEST/B0002TEST/revoked' });
    const outcome = await firstOutcome(suite.testDb, destinationId, await sendCall(suite.server, writeKey, 'track', 'msg-revoked'));
    expect(outcome).toMatchObject({ state: 'discarded', statusCode: 404 });
    expect(outcome.explanation).toMatch(/no_service/);
  });

  it('explains an archived channel (410)', async () => {
    const { writeKey, destinationId } = await world();
    suite.sim.archive(true);
    try {
      const outcome = await firstOutcome(suite.testDb, destinationId, await sendCall(suite.server, writeKey, 'track', 'msg-archived'));
      expect(outcome).toMatchObject({ state: 'discarded', statusCode: 410 });
      expect(outcome.explanation).toBe('Slack says the channel of this webhook is archived (channel_is_archived)');
    } finally {
      suite.sim.archive(false);
    }
  });

  it('refuses a webhook URL that is not a Slack incoming webhook, next to the field', async () => {
    await expect(world({ webhookUrl: 'https://example.com/hook' })).rejects.toMatchObject({ issues: { 'settings.webhookUrl': expect.stringContaining('Slack incoming webhook URL') } });
  });
});
