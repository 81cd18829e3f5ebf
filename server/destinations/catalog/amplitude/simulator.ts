/**
 * For tests: Amplitude's HTTP V2 API as its documentation describes it. Checks the path,
 * the JSON content type, `api_key` against the project's key, and each event's required
 * fields (event_type; user_id or device_id of at least 5 characters; integer time);
 * answers with Amplitude's success and error bodies. `throttle()` makes it answer 429
 * for the given users, as Amplitude does past its per-user limit.
 *
 * Its User Privacy API (`POST /api/2/deletions/users`): HTTP Basic with the API key and
 * secret key (401 otherwise), a JSON body with 1 to 100 `user_ids` (400 otherwise),
 * answered 200 with the staged job; `deletedUserIds` lists what it was asked to delete.
 * `failDeletions(n, status)` answers the next n deletion calls with that status.
 */
import { json, startPartnerSim, type TPartnerAnswer, type TPartnerRequest } from '../test-partner-sim.ts';

export const AMPLITUDE_KEY = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';
export const AMPLITUDE_SECRET = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';

export async function startAmplitude({ apiKey = AMPLITUDE_KEY, secretKey = AMPLITUDE_SECRET } = {}) {
  let throttled: string[] = [];
  let isDown = false;
  const deletedUserIds: string[] = [];
  let failing = { count: 0, status: 503 };
  const deletion = (req: TPartnerRequest): TPartnerAnswer => {
    if (failing.count > 0) {
      failing.count--;
      return json(failing.status, { code: failing.status, error: failing.status === 429 ? 'Too many requests' : 'Service temporarily unavailable' }, failing.status === 429 ? { 'retry-after': '1' } : undefined);
    }
    if (req.headers.authorization !== `Basic ${Buffer.from(`${apiKey}:${secretKey}`).toString('base64')}`) return json(401, { error: 'Invalid API key or secret key' });
    if (!String(req.headers['content-type']).startsWith('application/json')) return json(400, { error: 'Invalid content-type header' });
    let body: { user_ids?: unknown; amplitude_ids?: unknown; requester?: unknown };
    try {
      body = JSON.parse(req.body) as typeof body;
    } catch {
      return json(400, { error: 'Invalid JSON request body' });
    }
    const userIds = body.user_ids;
    if (!Array.isArray(userIds) || userIds.length === 0 || userIds.some((id) => typeof id !== 'string')) return json(400, { error: 'user_ids or amplitude_ids must be a non-empty list' });
    if (userIds.length > 100) return json(400, { error: 'At most 100 user_ids or amplitude_ids per request' });
    deletedUserIds.push(...(userIds as string[]));
    const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    return json(200, { day, status: 'staging', amplitude_ids: userIds.map((id, i) => ({ amplitude_id: 1000 + i, user_id: id, requester: body.requester, requested_on_day: new Date().toISOString().slice(0, 10) })) });
  };
  const answer = (req: TPartnerRequest): TPartnerAnswer => {
    if (req.method === 'POST' && req.path === '/api/2/deletions/users') return deletion(req);
    if (req.method !== 'POST' || req.path !== '/2/httpapi') return json(404, { code: 404, error: 'Not found' });
    if (isDown) return json(503, { code: 503, error: 'Service temporarily unavailable' });
    if (!String(req.headers['content-type']).startsWith('application/json')) return json(400, { code: 400, error: 'Invalid content-type header' });
    let body: { api_key?: unknown; events?: Array<Record<string, unknown>> };
    try {
      body = JSON.parse(req.body) as typeof body;
    } catch {
      return json(400, { code: 400, error: 'Invalid JSON request body' });
    }
    if (!body.api_key) return json(400, { code: 400, error: 'Request missing required field', missing_field: 'api_key' });
    if (body.api_key !== apiKey) return json(400, { code: 400, error: `Invalid API key: ${String(body.api_key)}` });
    if (!Array.isArray(body.events) || body.events.length === 0) return json(400, { code: 400, error: 'Request missing required field', missing_field: 'events' });
    const missing: Record<string, number[]> = {};
    const invalid: Record<string, number[]> = {};
    const shortIds: Record<string, number[]> = {};
    body.events.forEach((event, i) => {
      if (typeof event.event_type !== 'string' || !event.event_type) (missing.event_type ??= []).push(i);
      if (!event.user_id && !event.device_id) (missing.user_id ??= []).push(i);
      for (const field of ['user_id', 'device_id']) if (typeof event[field] === 'string' && (event[field] as string).length < 5) (shortIds[field] ??= []).push(i);
      if (event.time !== undefined && !Number.isInteger(event.time)) (invalid.time ??= []).push(i);
    });
    if (Object.keys(missing).length) return json(400, { code: 400, error: 'Request missing required field', events_with_missing_fields: missing });
    if (Object.keys(shortIds).length) return json(400, { code: 400, error: 'Invalid id length for user_id or device_id', events_with_invalid_id_lengths: shortIds });
    if (Object.keys(invalid).length) return json(400, { code: 400, error: 'Invalid field values on some events', events_with_invalid_fields: invalid });
    const hit = body.events.map((e, i) => [e.user_id, i] as const).filter(([u]) => throttled.includes(String(u)));
    if (hit.length) {
      return json(429, {
        code: 429,
        error: 'Too many requests for some devices and users',
        eps_threshold: 30,
        throttled_devices: {},
        throttled_users: Object.fromEntries(hit.map(([u]) => [u, 31])),
        throttled_events: hit.map(([, i]) => i),
      });
    }
    return json(200, { code: 200, events_ingested: body.events.length, payload_size_bytes: req.body.length, server_upload_time: Date.now() });
  };
  const sim = await startPartnerSim(answer);
  return {
    ...sim,
    throttle: (users: string[]) => {
      throttled = users;
    },
    setDown: (down: boolean) => {
      isDown = down;
    },
    deletedUserIds,
    failDeletions: (count: number, status = 503) => {
      failing = { count, status };
    },
  };
}
