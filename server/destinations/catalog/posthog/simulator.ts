/**
 * For tests: PostHog's capture API (`POST /batch/`) as documented: a JSON body with the
 * project API key and a batch of events, each with an event name and a distinct_id.
 * Answers `{"status":"Ok"}`, 401 for an unknown key, 400 for an invalid payload.
 */
import { json, startPartnerSim } from '../test-partner-sim.ts';

export const POSTHOG_KEY = 'phc_k3yF0rT3st1ngPurp0s3sOnly1234567890abcd';

export function startPostHog() {
  return startPartnerSim((req) => {
    if (req.method !== 'POST' || req.path !== '/batch/') return json(404, { type: 'invalid_request', code: 'not_found', detail: 'Not found' });
    let body: { api_key?: unknown; batch?: Array<Record<string, unknown>> };
    try {
      body = JSON.parse(req.body) as typeof body;
    } catch {
      return json(400, { type: 'validation_error', code: 'invalid_payload', detail: 'Malformed request data: failed to decode JSON', attr: null });
    }
    if (body.api_key !== POSTHOG_KEY) {
      return json(401, { type: 'authentication_error', code: 'invalid_api_key', detail: 'Project API key invalid. You can find your project API key in PostHog project settings.', attr: null });
    }
    const bad = (body.batch ?? []).findIndex((e) => typeof e.event !== 'string' || !e.event || typeof e.distinct_id !== 'string' || !e.distinct_id);
    if (!Array.isArray(body.batch) || body.batch.length === 0 || bad >= 0) {
      return json(400, { type: 'validation_error', code: 'invalid_payload', detail: 'Invalid payload: All events must have the event field and a distinct_id', attr: null });
    }
    return json(200, { status: 'Ok' });
  });
}
