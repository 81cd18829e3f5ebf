/**
 * For tests: Customer.io's Track API v1 as documented: HTTP Basic site ID : API key;
 * `PUT /api/v1/customers/{id}` (attributes), `POST /api/v1/customers/{id}/events` and
 * `POST /api/v1/events` (anonymous) with a `name`. Answers 200 `{}`, 401 for bad
 * credentials, 400 `{"meta":{"error":…}}` for a bad body.
 *
 * And `DELETE /api/v1/customers/{identifier}` (Delete a customer): no body, 200 `{}`
 * whether or not the person existed; `deleted` lists the identifiers asked for.
 * `failDeletions(n, status, after)` fails n calls after `after` others.
 */
import { json, startPartnerSim } from '../test-partner-sim.ts';

export const CIO_SITE = 'f00dbabe1234';
export const CIO_KEY = '9c8b7a6f5e4d3c2b1a09';

export async function startCustomerIo() {
  const deleted: string[] = [];
  let failing = { count: 0, status: 503, after: 0 };
  const sim = await startPartnerSim((req) => {
    const header = String(req.headers.authorization ?? '');
    if (req.method === 'DELETE' && failing.after > 0) failing.after--;
    else if (req.method === 'DELETE' && failing.count > 0) {
      failing.count--;
      return json(failing.status, { meta: { error: failing.status === 429 ? 'rate limited' : 'internal error' } });
    }
    if (header !== `Basic ${Buffer.from(`${CIO_SITE}:${CIO_KEY}`).toString('base64')}`) return json(401, { meta: { error: 'Unauthorized request' } });
    const person = /^\/api\/v1\/customers\/([^/]+)$/.exec(req.path);
    if (req.method === 'DELETE' && person) {
      if (req.body !== '') return json(400, { meta: { error: 'this request takes no body' } });
      deleted.push(decodeURIComponent(person[1]));
      return json(200, {});
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(req.body) as Record<string, unknown>;
    } catch {
      return json(400, { meta: { error: 'invalid JSON body' } });
    }
    const customer = /^\/api\/v1\/customers\/([^/]+)(\/events)?$/.exec(req.path);
    if (req.method === 'PUT' && customer && !customer[2]) {
      if (body.email !== undefined && typeof body.email !== 'string') return json(400, { meta: { error: 'email must be a string' } });
      return json(200, {});
    }
    if (req.method === 'POST' && ((customer && customer[2]) || req.path === '/api/v1/events')) {
      if (typeof body.name !== 'string' || !body.name) return json(400, { meta: { error: 'event name is required' } });
      if (req.path === '/api/v1/events' && !body.anonymous_id) return json(400, { meta: { error: 'anonymous_id is required for anonymous events' } });
      if (String(body.name).length > 100) return json(400, { meta: { error: 'event name is longer than 100 characters' } });
      return json(200, {});
    }
    return json(404, { meta: { error: 'Not found' } });
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
