/**
 * Every error a partner documents, per type, through the real tracking API and the real
 * worker against the local partner simulators: the answer (status, body, headers as the
 * partner's documentation gives them) → the state the event lands in and the explanation
 * a marketer reads in the trace.
 *
 * A case either makes the simulator produce the error from the request itself (a wrong key,
 * an invalid e-mail), or scripts the partner's documented answer for the case's request
 * (`answerFor`): the simulator still checks that request first, so the error comes back only
 * for a request the partner would otherwise take. Retried cases then let the partner accept,
 * and wait for the retry to be delivered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../../db/test-db.ts';
import { startEngine, waitFor } from '../../delivery/test-world.ts';
import { basicAuth } from '../../ingest/test-fixtures.ts';
import { startIngestTestServer, type TIngestTestServer } from '../../ingest/test-server.ts';
import { AMPLITUDE_KEY, startAmplitude } from './amplitude/simulator.ts';
import { BRAZE_KEY, startBraze } from './braze/simulator.ts';
import { CIO_KEY, CIO_SITE, startCustomerIo } from './customerio/simulator.ts';
import { startGa4 } from './ga4/simulator.ts';
import { HUBSPOT_TOKEN, HUBSPOT_UNSCOPED, startHubSpot } from './hubspot/simulator.ts';
import { MIXPANEL_TOKEN, startMixpanel } from './mixpanel/simulator.ts';
import { POSTHOG_KEY, startPostHog } from './posthog/simulator.ts';
import { SLACK_PATH, startSlack } from './slack/simulator.ts';
import { createPartnerWorld, firstOutcome, testEvent } from './test-partner.ts';
import { json, type TPartnerAnswer, type TPartnerSim } from './test-partner-sim.ts';

const STARTERS = {
  amplitude: startAmplitude,
  mixpanel: startMixpanel,
  braze: startBraze,
  ga4: startGa4,
  slack: startSlack,
  customerio: startCustomerIo,
  posthog: startPostHog,
  hubspot: startHubSpot,
} satisfies Record<string, () => Promise<TPartnerSim>>;

type TPartner = keyof typeof STARTERS;

const HUBSPOT_EVENTS = 'Order Completed = pe2468_order_completed\nRefund Requested = pe2468_refund_requested';

/** Each destination's working settings, pointed at its simulator. */
const SETTINGS: Record<TPartner, (url: string) => Record<string, unknown>> = {
  amplitude: (endpoint) => ({ apiKey: AMPLITUDE_KEY, endpoint }),
  mixpanel: (endpoint) => ({ projectToken: MIXPANEL_TOKEN, endpoint }),
  braze: (endpoint) => ({ apiKey: BRAZE_KEY, endpoint }),
  ga4: (endpoint) => ({ measurementId: 'G-TEST12345', apiSecret: 'mp-secret-abcdef', endpoint }),
  slack: (endpoint) => ({ webhookUrl: `https://hooks.slack.com${SLACK_PATH}`, endpoint }),
  customerio: (endpoint) => ({ siteId: CIO_SITE, apiKey: CIO_KEY, endpoint }),
  posthog: (endpoint) => ({ projectApiKey: POSTHOG_KEY, endpoint }),
  hubspot: (endpoint) => ({ accessToken: HUBSPOT_TOKEN, eventNames: HUBSPOT_EVENTS, endpoint }),
};

const DOCS = {
  amplitude: 'https://amplitude.com/docs/apis/analytics/http-v2 (responses: InvalidRequestError, SilencedDeviceID, PayloadTooLargeError, TooManyRequestsForDeviceError, ServerError)',
  mixpanel: 'https://docs.mixpanel.com/troubleshooting/errors (400 failed_records, 401, 403, 413, 429); /engage answers 200 with status 0 (docs.mixpanel.com/reference/profile-set)',
  braze: 'https://www.braze.com/docs/api/errors/ and /docs/api/api_limits/ (201 with errors, 202 queued, fatal 4XX, 429 with X-RateLimit-Reset, 5XX)',
  ga4: 'https://developers.google.com/analytics/devguides/collection/protocol/ga4/validating-events (2xx always; validationMessages on /debug/mp/collect)',
  slack: 'https://api.slack.com/messaging/webhooks#handling_errors (plain-text error words with their status)',
  customerio: 'https://docs.customer.io/api/track/ (200 {}, 400 {"meta":{"error"}}, 401, 429, 5xx)',
  posthog: 'https://posthog.com/docs/api/capture (400 validation_error, 401 invalid_api_key, 503 overloaded)',
  hubspot: 'https://developers.hubspot.com/docs/api/error-handling (400 VALIDATION_ERROR, 401, 403 MISSING_SCOPES, 429 RATE_LIMIT, 5xx)',
} satisfies Record<TPartner, string>;

interface TErrorCase {
  partner: TPartner;
  what: string;
  /** The partner's documented answer to this case's request (its marker: the user ID); left out, the simulator's own checks answer. */
  answer?: (marker: string) => TPartnerAnswer;
  /** Settings that differ from the working ones (a wrong key). */
  settings?: Record<string, unknown>;
  /** Fields of the sent call that differ (call type, event name, traits). */
  message?: Record<string, unknown>;
  /** `test`: a "send test event" rather than a delivery (GA4 validates test events only). */
  mode?: 'delivery' | 'test';
  state: 'discarded' | 'awaiting_retry' | 'succeeded' | 'rejected';
  explanation: string | RegExp | ((marker: string) => string);
  /** For a retried answer that says when to come back: the earliest the retry may be. */
  retryNotBefore?: (answer: TPartnerAnswer) => number;
}

const text = (status: number, body: string, headers?: Record<string, string>): TPartnerAnswer => ({ status, body, contentType: 'text/html', headers });
let brazeReset = 0;

const CASES: TErrorCase[] = [
  // Amplitude HTTP V2
  { partner: 'amplitude', what: '400 Invalid API key', settings: { apiKey: 'ffffffffffffffffffffffffffff0000' }, state: 'discarded', explanation: /^Amplitude says the API key is invalid\. Copy the API key from Amplitude/ },
  { partner: 'amplitude', what: '400 missing required field', answer: () => json(400, { code: 400, error: 'Request missing required field', events_with_missing_fields: { event_type: [0] } }), state: 'discarded', explanation: 'Amplitude rejected the event: missing `event_type`' },
  { partner: 'amplitude', what: '400 invalid field values', answer: () => json(400, { code: 400, error: 'Invalid field values on some events', events_with_invalid_fields: { time: [0] } }), state: 'discarded', explanation: 'Amplitude rejected the event: invalid `time` (Invalid field values on some events)' },
  {
    partner: 'amplitude',
    what: '400 device silenced',
    answer: (m) => json(400, { code: 400, eps_threshold: 100, error: 'Events silenced for device_id', exceeded_daily_quota_devices: {}, silenced_devices: [`${m}-anon`], silenced_events: [0], throttled_devices: {}, throttled_events: [] }),
    state: 'discarded',
    explanation: (m) => `Amplitude has silenced device ${m}-anon (it sent far more events than Amplitude allows) and drops its events`,
  },
  { partner: 'amplitude', what: '413 payload too large', answer: () => json(413, { code: 413, error: 'Payload too large' }), state: 'discarded', explanation: 'Amplitude says the request is too large (more than 1 MB or too many events)' },
  {
    partner: 'amplitude',
    what: '429 throttled user',
    answer: (m) => json(429, { code: 429, error: 'Too many requests for some devices and users', eps_threshold: 1000, throttled_devices: {}, throttled_users: { [m]: 4000 }, throttled_events: [0] }),
    state: 'awaiting_retry',
    explanation: (m) => `Amplitude is throttling user ${m} (more than 1000 events per second); the event will be retried`,
  },
  {
    partner: 'amplitude',
    what: '429 daily quota exceeded',
    answer: (m) => json(429, { code: 429, error: 'Too many requests for some devices and users', eps_threshold: 1000, throttled_devices: {}, throttled_users: {}, exceeded_daily_quota_users: { [m]: 500200 }, exceeded_daily_quota_devices: {}, throttled_events: [0] }),
    state: 'awaiting_retry',
    explanation: (m) => `Amplitude's daily limit of 500,000 events is used up for user ${m}; the event will be retried (Amplitude takes events again once fewer were sent in the last 24 hours)`,
  },
  { partner: 'amplitude', what: '500 server error', answer: () => json(500, { code: 500, error: 'Internal server error' }), state: 'awaiting_retry', explanation: 'Amplitude had a server problem (HTTP 500): Internal server error; the event will be retried' },
  { partner: 'amplitude', what: '503 service unavailable', answer: () => json(503, { code: 503, error: 'Service temporarily unavailable' }), state: 'awaiting_retry', explanation: 'Amplitude had a server problem (HTTP 503): Service temporarily unavailable; the event will be retried' },

  // Mixpanel /import
  {
    partner: 'mixpanel',
    what: '400 failed_records',
    answer: (m) => json(400, { code: 400, error: 'some data points in the request failed validation', status: 'Bad Request', num_records_imported: 0, failed_records: [{ index: 0, insert_id: `msg-${m}`, field: 'properties.time', message: "'properties.time' is invalid: must be specified as seconds since epoch" }] }),
    state: 'discarded',
    explanation: "Mixpanel rejected property `time`: 'properties.time' is invalid: must be specified as seconds since epoch",
  },
  { partner: 'mixpanel', what: '401 unauthorized', settings: { projectToken: 'not-the-project-token-0000' }, state: 'discarded', explanation: /^Mixpanel says the credentials are invalid .*Check the project token, or the service account and project ID\.$/ },
  { partner: 'mixpanel', what: '403 forbidden', answer: () => json(403, { code: 403, error: 'Forbidden', status: 'error' }), state: 'discarded', explanation: 'Mixpanel refused access to this project (Forbidden): the service account may not belong to it.' },
  { partner: 'mixpanel', what: '413 payload too large', answer: () => json(413, { code: 413, error: 'request exceeds max limit of 2097152 bytes', status: 'Request Entity Too Large' }), state: 'discarded', explanation: 'Mixpanel says the request is too large (request exceeds max limit of 2097152 bytes): an event may be at most 1 MB of JSON' },
  {
    partner: 'mixpanel',
    what: '429 rate limit exceeded',
    answer: () => json(429, { code: 429, error: 'Project exceeded rate limits. Please retry the request with exponential backoff.', status: 'Too Many Requests' }),
    state: 'awaiting_retry',
    explanation: 'Mixpanel is rate limiting this project (Project exceeded rate limits. Please retry the request with exponential backoff.); the event will be retried',
  },
  {
    partner: 'mixpanel',
    what: '/engage 200 with status 0 (identify)',
    message: { type: 'identify' },
    answer: () => json(200, { status: 0, error: "$set, invalid: '$email' must be a string" }),
    state: 'discarded',
    explanation: "Mixpanel refused the profile update: $set, invalid: '$email' must be a string",
  },

  // Braze /users/track
  { partner: 'braze', what: '201 whose errors refuse the only object', message: { type: 'identify', traits: { email: 'not-an-address' } }, state: 'discarded', explanation: "Braze answered 201 but refused the event: 'not-an-address' is not a valid email address" },
  { partner: 'braze', what: '202 queued during maintenance', answer: () => json(202, { message: 'queued' }), state: 'succeeded', explanation: 'Braze queued the event: it is pausing processing for maintenance and will record it afterwards' },
  {
    partner: 'braze',
    what: '400 fatal error',
    answer: () => json(400, { message: "Valid data must be provided in the 'attributes', 'events', or 'purchases' fields.", errors: [{ type: "'time' is not a valid ISO 8601 date", input_array: 'events', index: 0 }] }),
    state: 'discarded',
    explanation: "Braze rejected the request: Valid data must be provided in the 'attributes', 'events', or 'purchases' fields. ('time' is not a valid ISO 8601 date)",
  },
  { partner: 'braze', what: '401 unknown REST API key', settings: { apiKey: '00000000-0000-4000-8000-000000000000' }, state: 'discarded', explanation: /^Braze says the REST API key is invalid \(.+\)\. Check the key and that it belongs to this instance\.$/ },
  { partner: 'braze', what: '403 key without permission', answer: () => json(403, { message: 'Access denied' }), state: 'discarded', explanation: 'Braze says this REST API key may not call /users/track (Access denied): give it the users.track permission.' },
  {
    partner: 'braze',
    what: '429 with X-RateLimit-Reset',
    answer: () => {
      brazeReset = Math.ceil(Date.now() / 1000) + 3;
      return json(429, { message: 'Over rate limit' }, { 'x-ratelimit-limit': '250000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(brazeReset) });
    },
    state: 'awaiting_retry',
    explanation: /^Braze is rate limiting this workspace until \d\d:\d\d:\d\d UTC \(Over rate limit\); the event will be retried then$/,
    retryNotBefore: () => brazeReset * 1000,
  },
  { partner: 'braze', what: '503 server error', answer: () => json(503, { message: 'Service Unavailable' }), state: 'awaiting_retry', explanation: 'Braze had a server problem (HTTP 503): Service Unavailable; the event will be retried' },

  // GA4 Measurement Protocol
  { partner: 'ga4', what: '2xx to anything (/mp/collect)', state: 'succeeded', explanation: /^GA4 received the event \(HTTP 204\); the Measurement Protocol accepts events without checking them/ },
  {
    partner: 'ga4',
    what: 'validationMessages for a test event (/debug/mp/collect)',
    mode: 'test',
    answer: () => json(200, { validationMessages: [{ fieldPath: 'events', description: 'Event at index: [0] has invalid name [_order_completed]. Names must start with an alphabetic character.', validationCode: 'NAME_INVALID' }] }),
    state: 'rejected',
    explanation: 'GA4 would drop the event: Event at index: [0] has invalid name [_order_completed]. Names must start with an alphabetic character. (field events)',
  },

  // Slack incoming webhooks: plain-text answers
  { partner: 'slack', what: '400 invalid_payload', answer: () => text(400, 'invalid_payload'), state: 'discarded', explanation: 'Slack could not read the message (invalid_payload): the template may produce an empty or malformed message' },
  { partner: 'slack', what: '403 action_prohibited', answer: () => text(403, 'action_prohibited'), state: 'discarded', explanation: 'Slack says an admin restricted posting to this channel (action_prohibited)' },
  { partner: 'slack', what: '403 invalid_token', answer: () => text(403, 'invalid_token'), state: 'discarded', explanation: 'Slack says the webhook URL is no longer valid (invalid_token): create a new incoming webhook and paste its URL' },
  { partner: 'slack', what: '404 channel_not_found', answer: () => text(404, 'channel_not_found'), state: 'discarded', explanation: 'Slack says the channel of this webhook no longer exists (channel_not_found)' },
  { partner: 'slack', what: '404 no_service (unknown webhook)', settings: { webhookUrl: 'https://hooks.slack.com/services/T0001TEST/B0002TEST/revokedHookToken000000' }, state: 'discarded', explanation: 'Slack says this incoming webhook does not exist or was disabled (no_service): paste a current webhook URL' },
  { partner: 'slack', what: '410 channel_is_archived', answer: () => text(410, 'channel_is_archived'), state: 'discarded', explanation: 'Slack says the channel of this webhook is archived (channel_is_archived)' },
  { partner: 'slack', what: '429 rate limited', answer: () => text(429, 'rate_limited', { 'retry-after': '1' }), state: 'awaiting_retry', explanation: 'Slack is limiting this webhook (about one message per second); the message will be retried' },
  { partner: 'slack', what: '500 rollup_error', answer: () => text(500, 'rollup_error'), state: 'awaiting_retry', explanation: 'Slack had a server problem (rollup_error); the event will be retried' },

  // Customer.io Track API
  { partner: 'customerio', what: '400 with meta.error', answer: () => json(400, { meta: { error: 'event name is longer than 100 characters' } }), state: 'discarded', explanation: 'Customer.io rejected the request: event name is longer than 100 characters' },
  { partner: 'customerio', what: '401 unauthorized', settings: { apiKey: 'not-the-tracking-key' }, state: 'discarded', explanation: 'Customer.io says the site ID and API key do not match. Copy both from Tracking API Keys in Customer.io.' },
  { partner: 'customerio', what: '429 rate limited', answer: () => json(429, { meta: { error: 'rate limit exceeded' } }), state: 'awaiting_retry', explanation: 'Customer.io is rate limiting us (HTTP 429): rate limit exceeded; the event will be retried' },
  { partner: 'customerio', what: '500 server error', answer: () => json(500, { meta: { error: 'internal server error' } }), state: 'awaiting_retry', explanation: 'Customer.io had a server problem (HTTP 500): internal server error; the event will be retried' },

  // PostHog capture
  {
    partner: 'posthog',
    what: '400 validation_error',
    answer: () => json(400, { type: 'validation_error', code: 'invalid_payload', detail: 'Invalid payload: All events must have the event name field "event"!', attr: null }),
    state: 'discarded',
    explanation: 'PostHog rejected the event: Invalid payload: All events must have the event name field "event"!',
  },
  { partner: 'posthog', what: '401 invalid_api_key', settings: { projectApiKey: 'phc_notTheProjectKey0000000000000000000000' }, state: 'discarded', explanation: /^PostHog says the project API key is invalid \(Project API key invalid\. .+\)\. Copy it from Project settings in PostHog\.$/ },
  { partner: 'posthog', what: '503 overloaded', answer: () => json(503, { type: 'server_error', code: 'service_unavailable', detail: 'Service unavailable, please try again later', attr: null }), state: 'awaiting_retry', explanation: 'PostHog had a server problem (HTTP 503): Service unavailable, please try again later; the event will be retried' },

  // HubSpot custom behavioral events
  { partner: 'hubspot', what: '400 VALIDATION_ERROR (event not defined)', message: { event: 'Refund Requested' }, state: 'discarded', explanation: 'HubSpot rejected the event: Event definition pe2468_refund_requested not found.' },
  { partner: 'hubspot', what: '401 INVALID_AUTHENTICATION', settings: { accessToken: 'pat-na1-expired' }, state: 'discarded', explanation: 'HubSpot says the access token is invalid or expired. Copy the private app\'s current access token.' },
  { partner: 'hubspot', what: '403 MISSING_SCOPES', settings: { accessToken: HUBSPOT_UNSCOPED }, state: 'discarded', explanation: /^HubSpot says the private app may not send events: give it the analytics\.behavioral_events\.send scope/ },
  {
    partner: 'hubspot',
    what: '429 RATE_LIMIT (secondly)',
    answer: () => json(429, { status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT', correlationId: 'c0ffee00-0000-4000-8000-000000000429', policyName: 'SECONDLY', requestId: 'req-0429' }),
    state: 'awaiting_retry',
    explanation: 'HubSpot is rate limiting this private app (too many requests in the last seconds); the event will be retried',
  },
  {
    partner: 'hubspot',
    what: '429 RATE_LIMIT (daily)',
    answer: () => json(429, { status: 'error', message: 'You have reached your daily limit.', errorType: 'RATE_LIMIT', correlationId: 'c0ffee00-0000-4000-8000-000000000430', policyName: 'DAILY', requestId: 'req-0430' }),
    state: 'awaiting_retry',
    explanation: 'HubSpot is rate limiting this private app (the account\'s daily API limit is used up); the event will be retried',
  },
  { partner: 'hubspot', what: '502 bad gateway', answer: () => json(502, { status: 'error', message: 'Bad Gateway', category: 'INTERNAL_ERROR' }), state: 'awaiting_retry', explanation: 'HubSpot had a server problem (HTTP 502): Bad Gateway; the event will be retried' },
];

let testDb: TTestDb;
let server: TIngestTestServer;
let stopEngine: () => Promise<void>;
const sims = {} as Record<TPartner, TPartnerSim>;

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
  for (const partner of Object.keys(STARTERS) as TPartner[]) sims[partner] = await STARTERS[partner]();
  const engine = await startEngine(testDb.url);
  stopEngine = () => engine.stop();
});
afterAll(async () => {
  await stopEngine?.();
  for (const sim of Object.values(sims)) await sim.close();
  await server?.close();
  await testDb?.drop();
});

/** One call through the tracking API, carrying the case's marker as its user ID (and in its e-mail and anonymous ID). */
async function send(writeKey: string, marker: string, message: Record<string, unknown> = {}): Promise<string> {
  const messageId = `msg-${marker}`;
  const type = (message.type as string | undefined) ?? 'track';
  const body = {
    type,
    userId: marker,
    anonymousId: `${marker}-anon`,
    messageId,
    timestamp: new Date().toISOString(),
    context: { ip: '203.0.113.7', locale: 'en-GB' },
    ...(type === 'track' ? { event: 'Order Completed', properties: { email: `${marker}@example.com`, revenue: 42.5, currency: 'EUR' } } : { traits: { email: `${marker}@example.com`, plan: 'pro' } }),
    ...message,
  };
  const res = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basicAuth(writeKey) }, body: JSON.stringify({ batch: [body] }) });
  expect(res.status).toBe(200);
  return messageId;
}

describe('documented partner errors land in the right state with the right explanation', () => {
  it('covers every partner type in the catalog that sends to a partner', () => {
    expect(new Set(CASES.map((c) => c.partner))).toEqual(new Set(Object.keys(STARTERS)));
    for (const partner of Object.keys(DOCS)) expect(CASES.filter((c) => c.partner === partner).length).toBeGreaterThanOrEqual(2);
  });

  it.each(CASES.map((c, i) => ({ ...c, marker: `case${String(i).padStart(2, '0')}user` })))('$partner: $what → $state', async (c) => {
    const sim = sims[c.partner];
    const world = await createPartnerWorld(testDb, c.partner, { ...SETTINGS[c.partner](sim.url), ...c.settings });
    const answer = c.answer?.(c.marker);
    const expected = typeof c.explanation === 'function' ? c.explanation(c.marker) : c.explanation;
    // A test event carries the sample's IDs, not the case's marker: it is scripted by its path.
    const marker = c.mode === 'test' ? '/debug/mp/collect' : c.marker;
    if (answer) sim.answerFor(marker, answer);
    try {
      if (c.mode === 'test') {
        const result = await testEvent(testDb, world, { callType: 'track' });
        expect(result.verdict).toBe(c.state);
        expect(result.explanation).toEqual(expected instanceof RegExp ? expect.stringMatching(expected) : expected);
        return;
      }
      const outcome = await firstOutcome(testDb, world.destinationId, await send(world.writeKey, c.marker, c.message));
      expect({ state: outcome.state, explanation: outcome.explanation }).toEqual({ state: c.state, explanation: expected instanceof RegExp ? expect.stringMatching(expected) : expected });
      if (answer) expect(outcome.statusCode).toBe(answer.status);
      if (c.retryNotBefore) expect(outcome.retryAt!.getTime()).toBeGreaterThanOrEqual(c.retryNotBefore(answer!));
      if (c.state === 'awaiting_retry') {
        // The partner recovers: the retry is sent and delivered.
        sim.answerFor(marker, null);
        await waitFor(async () => (await testDb.db.jobTransition.count({ where: { destinationId: world.destinationId, state: 'succeeded' } })) === 1, { what: `the retry of ${c.what} to be delivered`, timeoutMs: 20_000 });
      }
    } finally {
      sim.answerFor(marker, null);
    }
  });
});
