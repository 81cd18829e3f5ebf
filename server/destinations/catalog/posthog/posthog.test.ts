/** PostHog through the real tracking API and worker, against a local PostHog capture API. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CALL_TYPES } from '../types.ts';
import { createPartnerWorld, expectGolden, firstOutcome, goldenOf, partnerSuite, sendCall, testEvent } from '../test-partner.ts';
import { POSTHOG_KEY, startPostHog } from './simulator.ts';

const suite = partnerSuite(startPostHog);
const world = (settings: Record<string, unknown> = {}) => createPartnerWorld(suite.testDb, 'posthog', { projectApiKey: POSTHOG_KEY, endpoint: suite.sim.url, ...settings });

describe('PostHog destination', () => {
  it.each(CALL_TYPES)('captures a %s call in the shape PostHog documents', async (call) => {
    const { writeKey, destinationId } = await world();
    const before = suite.sim.requests.length;
    const messageId = await sendCall(suite.server, writeKey, call);
    const outcome = await firstOutcome(suite.testDb, destinationId, messageId);
    expect(outcome).toMatchObject({ state: 'succeeded', explanation: 'PostHog captured the event' });
    const sent = suite.sim.requests.slice(before);
    expect(sent).toHaveLength(1);
    const request = sent[0];
    await expectGolden(path.join(import.meta.dirname, 'golden', `${call}.json`), goldenOf(request!));
  });

  it('discards on an invalid project API key, in PostHog\'s words', async () => {
    const { writeKey, destinationId } = await world({ projectApiKey: 'phc_wrong' });
    const outcome = await firstOutcome(suite.testDb, destinationId, await sendCall(suite.server, writeKey, 'track', 'msg-bad-key'));
    expect(outcome).toMatchObject({ state: 'discarded', statusCode: 401 });
    expect(outcome.explanation).toBe('PostHog says the project API key is invalid (Project API key invalid. You can find your project API key in PostHog project settings.). Copy it from Project settings in PostHog.');
  });

  it('sets the EU cloud host when the EU region is chosen, and a self-hosted endpoint when one is given', async () => {
    const { createDestination } = await import('../../destinations.ts');
    const actor = { type: 'system' as const, id: null, label: 'test', role: 'admin' as const, ip: null };
    const base = await world();
    const eu = await createDestination({ db: suite.testDb.db, workspaceId: base.workspaceId, actor, input: { sourceId: base.sourceId, type: 'posthog', name: 'EU', settings: { projectApiKey: POSTHOG_KEY, region: 'eu' } } });
    expect(eu.destination.endpoint).toBe('https://eu.i.posthog.com');
    const own = await createDestination({ db: suite.testDb.db, workspaceId: base.workspaceId, actor, input: { sourceId: base.sourceId, type: 'posthog', name: 'Own', settings: { projectApiKey: POSTHOG_KEY, endpoint: 'https://posthog.internal.example.com/' } } });
    expect(own.destination.endpoint).toBe('https://posthog.internal.example.com');
    expect(own.destination.settings.projectApiKey).toBe(`••••${POSTHOG_KEY.slice(-4)}`);
  });

  it('test event with a recent real event of the source', async () => {
    const created = await world();
    await sendCall(suite.server, created.writeKey, 'page', 'msg-recent-page');
    const stored = await suite.testDb.db.event.findFirst({ where: { sourceId: created.sourceId, messageId: 'msg-recent-page' } });
    const result = await testEvent(suite.testDb, created, { eventId: stored!.id });
    expect(result.verdict).toBe('delivered');
    expect(result.request?.body).toContain('"$pageview"');
    expect(result.request?.body).not.toContain(POSTHOG_KEY);
  });
});
