/**
 * For tests: Braze's `POST /users/track` as documented: Bearer REST API key, JSON with
 * `attributes` and/or `events` (each naming a user by external_id or user_alias; events
 * with a name and an ISO time). Answers 201 `{"message":"success", …_processed}`; 201 with
 * `errors` for objects it drops (here: an e-mail attribute that is not an address); 401.
 *
 * And `POST /users/delete`: the same key, which must also hold `users.delete` (403 for a
 * key made with `startBraze({ canDelete: false })`), 1 to 50 identifiers of exactly one
 * kind (external_ids, user_aliases, braze_ids, email_addresses, phone_numbers; 400
 * otherwise), answered 201 `{"deleted": n, "message": "success"}`; `deleted` lists what
 * it was asked to delete. `failDeletions(n, status, after)` fails n calls after `after` others.
 */
import { json, startPartnerSim, type TPartnerAnswer, type TPartnerRequest } from '../test-partner-sim.ts';

export const BRAZE_KEY = '5a3f0c1e-7b2d-4e9a-8c6f-1d2e3f4a5b6c';

const DELETE_KINDS = ['external_ids', 'user_aliases', 'braze_ids', 'email_addresses', 'phone_numbers'];

export async function startBraze({ canDelete = true } = {}) {
  const deleted: Array<{ kind: string; ids: unknown[] }> = [];
  let failing = { count: 0, status: 503, after: 0 };
  const deletion = (req: TPartnerRequest): TPartnerAnswer => {
    if (failing.after > 0) failing.after--;
    else if (failing.count > 0) {
      failing.count--;
      return json(failing.status, { message: failing.status === 429 ? 'Rate limit exceeded' : 'Internal server error' });
    }
    if (req.headers.authorization !== `Bearer ${BRAZE_KEY}`) return json(401, { message: 'Invalid API key: the key is unknown for this instance' });
    if (!canDelete) return json(403, { message: 'Access denied: this API key lacks the users.delete permission' });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(req.body) as Record<string, unknown>;
    } catch {
      return json(400, { message: 'Received unparsable JSON request body' });
    }
    const kinds = Object.keys(body).filter((key) => DELETE_KINDS.includes(key));
    if (kinds.length !== 1 || Object.keys(body).length !== 1) return json(400, { message: 'Only one of external_ids, user_aliases, braze_ids, email_addresses or phone_numbers may be given' });
    const ids = body[kinds[0]];
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 50) return json(400, { message: `${kinds[0]} must hold 1 to 50 identifiers` });
    if (kinds[0] === 'user_aliases' && ids.some((a) => typeof a !== 'object' || a === null || !('alias_name' in a) || !('alias_label' in a))) return json(400, { message: 'user_aliases need alias_name and alias_label' });
    deleted.push({ kind: kinds[0], ids });
    return json(201, { deleted: ids.length, message: 'success' });
  };
  const sim = await startPartnerSim((req) => {
    if (req.method === 'POST' && req.path === '/users/delete') return deletion(req);
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
  return {
    ...sim,
    deleted,
    /** Fails `count` deletion calls with `status`, after letting `after` calls through. */
    failDeletions: (count: number, status = 503, after = 0) => {
      failing = { count, status, after };
    },
  };
}
