/**
 * For tests: Mixpanel's Import API as documented. `POST /import` with `strict=1`, HTTP
 * Basic with the project token (or a service account and `project_id`), a JSON array of
 * events each with a name and properties.time (ms or s), distinct_id, $insert_id (≤ 36
 * characters of letters, digits and '-') and token. Answers 200 with num_records_imported,
 * 400 with failed_records, 401, and 429 when `throttle()`d. Its Engage API (`POST
 * /engage`, profile-set) checks the token and distinct ID of each update and answers 200
 * with status 1, or status 0 and the error (a token of no project, say).
 *
 * And the GDPR API's "Create a Deletion" (`POST /api/app/data-deletions/v3.0/?token=…`):
 * a Bearer GDPR OAuth token (401 otherwise), the project token in the query (400 when
 * missing), JSON with 1 to 2,000 `distinct_ids` and `compliance_type` GDPR or CCPA
 * (400 otherwise); answered 200 `{"status":"ok","results":{"task_id":…}}`. `deletions`
 * lists the distinct IDs of each task; `failDeletions(n, status)` fails the next n calls.
 */
import { json, startPartnerSim, type TPartnerAnswer, type TPartnerRequest } from '../test-partner-sim.ts';

export const MIXPANEL_TOKEN = 'f1e2d3c4b5a6f7e8d9c0b1a2f3e4d5c6';
export const MIXPANEL_ACCOUNT = { username: 'switchyard.abc123.mp-service-account', secret: 'Xq8sK2LmN4pR6tV8wY0zA2bC4dE6fG8h', projectId: '3141592' };

function authorised(req: TPartnerRequest): boolean {
  const header = String(req.headers.authorization ?? '');
  if (!header.startsWith('Basic ')) return false;
  const [user, password] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
  if (user === MIXPANEL_TOKEN && password === '') return true;
  return user === MIXPANEL_ACCOUNT.username && password === MIXPANEL_ACCOUNT.secret && req.query.get('project_id') === MIXPANEL_ACCOUNT.projectId;
}

export const MIXPANEL_GDPR_TOKEN = 'vZcErNw8JCq42BZUJyWoZmDWCKBxXc';

export async function startMixpanel() {
  let isThrottled = false;
  const deletions: string[][] = [];
  let failing = { count: 0, status: 503 };
  const deletion = (req: TPartnerRequest): TPartnerAnswer => {
    if (failing.count > 0) {
      failing.count--;
      return json(failing.status, { status: 'error', error: failing.status === 429 ? 'rate limit exceeded' : 'internal error' });
    }
    if (req.headers.authorization !== `Bearer ${MIXPANEL_GDPR_TOKEN}`) return json(401, { status: 'error', error: 'Invalid or expired OAuth token' });
    if (req.query.get('token') !== MIXPANEL_TOKEN) return json(400, { status: 'error', error: 'token query parameter must be the project token' });
    let body: { distinct_ids?: unknown; compliance_type?: unknown };
    try {
      body = JSON.parse(req.body) as typeof body;
    } catch {
      return json(400, { status: 'error', error: 'unable to parse request body' });
    }
    const ids = body.distinct_ids;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 2000 || ids.some((id) => typeof id !== 'string')) return json(400, { status: 'error', error: 'distinct_ids must hold 1 to 2000 strings' });
    if (body.compliance_type !== undefined && body.compliance_type !== 'GDPR' && body.compliance_type !== 'CCPA') return json(400, { status: 'error', error: 'compliance_type must be GDPR or CCPA' });
    deletions.push(ids as string[]);
    return json(200, { status: 'ok', results: { task_id: `task-${deletions.length}` } });
  };
  const profiles = new Map<string, Record<string, unknown>>();
  // Engage API profile-set: a JSON array of updates, each with the project token, a distinct ID
  // and one operation. Mixpanel answers 200 either way: {"status":1,"error":null} or
  // {"status":0,"error":…} with verbose=1, a bare 1 or 0 without.
  const engage = (req: TPartnerRequest): TPartnerAnswer => {
    const verbose = req.query.get('verbose') === '1';
    const refuse = (error: string): TPartnerAnswer => (verbose ? json(200, { status: 0, error }) : { status: 200, body: '0', contentType: 'text/plain' });
    if (!String(req.headers['content-type']).startsWith('application/json')) return refuse('unsupported content type');
    let updates: Array<Record<string, unknown>>;
    try {
      updates = JSON.parse(req.body) as typeof updates;
    } catch {
      return refuse('data, missing or empty');
    }
    if (!Array.isArray(updates) || updates.length === 0 || updates.length > 2000) return refuse('data must be an array of 1 to 2000 updates');
    for (const update of updates) {
      if (update.$token !== MIXPANEL_TOKEN) return refuse('$token, invalid: not the token of a project');
      if (typeof update.$distinct_id !== 'string' || !update.$distinct_id) return refuse('$distinct_id, missing or empty');
      const set = update.$set;
      if (typeof set !== 'object' || set === null || Array.isArray(set)) return refuse('$set must be an object');
    }
    for (const update of updates) profiles.set(update.$distinct_id as string, { ...profiles.get(update.$distinct_id as string), ...(update.$set as Record<string, unknown>) });
    return verbose ? json(200, { status: 1, error: null }) : { status: 200, body: '1', contentType: 'text/plain' };
  };
  const sim = await startPartnerSim((req) => {
    if (req.method === 'POST' && req.path === '/api/app/data-deletions/v3.0/') return deletion(req);
    if (req.method === 'POST' && req.path === '/engage') return engage(req);
    if (req.method !== 'POST' || req.path !== '/import') return json(404, { error: 'not found', status: 0 });
    if (!authorised(req)) return json(401, { code: 401, error: 'Invalid credentials: check the project token or service account', status: 'error' });
    if (isThrottled) return json(429, { code: 429, error: 'Project exceeded rate limits. Please retry the request with exponential backoff.', status: 'error' });
    if (!String(req.headers['content-type']).startsWith('application/json')) return json(400, { code: 400, error: 'unsupported content type', status: 'error' });
    let events: Array<{ event?: unknown; properties?: Record<string, unknown> }>;
    try {
      events = JSON.parse(req.body) as typeof events;
    } catch {
      return json(400, { code: 400, error: 'unable to parse request body', status: 'error' });
    }
    const failed: Array<Record<string, unknown>> = [];
    events.forEach((event, index) => {
      const p = event.properties ?? {};
      const insertId = p.$insert_id;
      const fail = (field: string, message: string) => failed.push({ index, insert_id: insertId, field, message });
      if (typeof event.event !== 'string' || !event.event) fail('event', "'event' must be a non-empty string");
      else if (typeof p.time !== 'number' || !Number.isInteger(p.time)) fail('properties.time', "'properties.time' is invalid: must be specified as seconds since epoch");
      else if ((p.time > 1e11 ? p.time : p.time * 1000) > Date.now() + 3_600_000) fail('properties.time', "'properties.time' is invalid: must not be more than 1 hour in the future");
      else if (typeof p.distinct_id !== 'string') fail('properties.distinct_id', "'properties.distinct_id' must be specified");
      else if (typeof insertId !== 'string' || !/^[A-Za-z0-9-]{1,36}$/.test(insertId)) fail('properties.$insert_id', "'properties.$insert_id' is invalid: must be a string of at most 36 alphanumeric characters or '-'");
      else if (p.token !== MIXPANEL_TOKEN) fail('properties.token', "'properties.token' does not match the project");
    });
    if (failed.length) return json(400, { code: 400, error: 'some data points in the request failed validation', status: 'Bad Request', num_records_imported: events.length - failed.length, failed_records: failed });
    return json(200, { code: 200, num_records_imported: events.length, status: 'OK' });
  });
  return {
    ...sim,
    throttle: (on: boolean) => { isThrottled = on; },
    /** User profiles as /engage left them, by distinct ID. */
    profiles,
    deletions,
    failDeletions: (count: number, status = 503) => {
      failing = { count, status };
    },
  };
}
