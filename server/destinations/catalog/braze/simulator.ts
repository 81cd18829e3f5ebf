/**
 * For tests: Braze's `POST /users/track` as documented: Bearer REST API key, JSON with
 * `attributes` and/or `events` (each naming a user by external_id or user_alias; events
 * with a name and an ISO time). Answers 201 `{"message":"success", …_processed}`; 201 with
 * `errors` for objects it drops (here: an e-mail attribute that is not an address); 401.
 */
import { json, startPartnerSim } from '../test-partner-sim.ts';

export const BRAZE_KEY = '5a3f0c1e-7b2d-4e9a-8c6f-1d2e3f4a5b6c';

export function startBraze() {
  return startPartnerSim((req) => {
    if (req.method !== 'POST' || req.path !== '/users/track') return json(404, { message: 'Not found' });
    if (req.headers.authorization !== `Bearer ${BRAZE_KEY}`) return json(401, { message: 'Invalid API key: the key is unknown for this instance' });
    let body: { attributes?: Array<Record<string, unknown>>; events?: Array<Record<string, unknown>> };
    try {
      body = JSON.parse(req.body) as typeof body;
    } catch {
      return json(400, { message: 'Received unparsable JSON request body' });
    }
    const errors: Array<Record<string, unknown>> = [];
    let attributes = 0;
    let events = 0;
    (body.attributes ?? []).forEach((a, index) => {
      if (!a.external_id && !a.user_alias) errors.push({ type: 'Missing external_id or user_alias', input_array: 'attributes', index });
      else if (a.email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(String(a.email))) errors.push({ type: `'${String(a.email)}' is not a valid email address`, input_array: 'attributes', index });
      else attributes++;
    });
    (body.events ?? []).forEach((e, index) => {
      if (!e.external_id && !e.user_alias) errors.push({ type: 'Missing external_id or user_alias', input_array: 'events', index });
      else if (typeof e.name !== 'string' || !e.name) errors.push({ type: 'Event name is required', input_array: 'events', index });
      else if (typeof e.time !== 'string' || Number.isNaN(Date.parse(e.time))) errors.push({ type: 'Time is not a valid ISO 8601 date', input_array: 'events', index });
      else events++;
    });
    return json(201, { message: 'success', ...(attributes ? { attributes_processed: attributes } : {}), ...(events ? { events_processed: events } : {}), ...(errors.length ? { errors } : {}) });
  });
}
