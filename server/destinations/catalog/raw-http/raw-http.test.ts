/** Raw HTTP: a templated request to a tool not in the catalog, through the real tracking API and worker. */
import { describe, expect, it } from 'vitest';
import { createPartnerWorld, firstOutcome, partnerSuite, sendCall, testEvent } from '../test-partner.ts';
import { RAW_TOKEN, startRawTool } from './simulator.ts';

const suite = partnerSuite(startRawTool);
const TEMPLATE = '{"kind": {{type}}, "name": {{event}}, "user": {{userId}}, "revenue": {{properties.revenue}}, "missing": {{properties.nope}}}';
const world = (settings: Record<string, unknown> = {}) =>
  createPartnerWorld(suite.testDb, 'raw-http', { endpoint: `${suite.sim.url}/ingest`, bodyTemplate: TEMPLATE, authHeaderValue: RAW_TOKEN, ...settings });

describe('Raw HTTP destination', () => {
  it('sends the templated body with the credential header', async () => {
    const { writeKey, destinationId } = await world();
    const before = suite.sim.requests.length;
    const outcome = await firstOutcome(suite.testDb, destinationId, await sendCall(suite.server, writeKey, 'track'));
    expect(outcome).toMatchObject({ state: 'succeeded', statusCode: 202 });
    const [request] = suite.sim.requests.slice(before);
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({ kind: 'track', name: 'Order Completed', user: 'user-1001', revenue: 42.5, missing: null });
  });

  it('values that would break the JSON are escaped', async () => {
    const { writeKey, destinationId } = await world({ method: 'PUT' });
    const before = suite.sim.requests.length;
    const res = await fetch(`${suite.server.url}/v1/track`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      body: JSON.stringify({ event: 'Quote "this" \n and }}', userId: 'user-1', messageId: 'msg-escape' }),
    });
    expect(res.status).toBe(200);
    expect((await firstOutcome(suite.testDb, destinationId, 'msg-escape')).state).toBe('succeeded');
    const [request] = suite.sim.requests.slice(before);
    expect(request.method).toBe('PUT');
    expect(JSON.parse(request.body).name).toBe('Quote "this" \n and }}');
  });

  it('a refused credential is discarded with the status and body in words; the test panel masks the credential', async () => {
    const created = await world({ authHeaderValue: 'Bearer wrong-token-9999' });
    const outcome = await firstOutcome(suite.testDb, created.destinationId, await sendCall(suite.server, created.writeKey, 'track', 'msg-bad-token'));
    expect(outcome).toMatchObject({ state: 'discarded', statusCode: 401 });
    expect(outcome.explanation).toBe('The endpoint refused the credentials (HTTP 401): {"error":"bad token"}. Check the API key in this destination\'s settings.');
    const result = await testEvent(suite.testDb, created, { callType: 'identify' });
    expect(result.request?.headers.authorization).toBe('Bearer ••••');
    expect(JSON.stringify(result)).not.toContain('wrong-token-9999');
  });
});
