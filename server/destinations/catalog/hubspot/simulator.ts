/**
 * For tests: HubSpot as documented, with a private app token (Bearer) whose scopes decide
 * what it may call (403 MISSING_SCOPES naming the missing scope otherwise; 401
 * INVALID_AUTHENTICATION for an unknown token).
 *
 * * `POST /events/v3/send`: eventName (a defined event) and one of email, utk or objectId
 *   (an existing contact's record ID); property names starting with a letter, in lower-case
 *   letters, digits and underscores, at most 50 of them; 204. 400 VALIDATION_ERROR otherwise.
 *   (https://developers.hubspot.com/docs/api-reference/legacy/events/send-event-data/guide,
 *   https://developers.hubspot.com/changelog/new-property-limits-for-the-custom-behavioural-events-api)
 * * `GET /crm/v3/objects/contacts/{id}?idProperty=…`: a contact by e-mail or by a property
 *   with unique values (here `app_user_id`); 200 with its record, 404 OBJECT_NOT_FOUND, 400
 *   for a property that is not a unique identifier.
 * * `POST /crm/v3/objects/contacts/batch/upsert`: inputs of {idProperty, id, properties};
 *   creates or updates the contact, 200 with the results (`new` for a created one); 400
 *   VALIDATION_ERROR for a property the portal does not have.
 *
 * Errors have HubSpot's documented shape (https://developers.hubspot.com/docs/api-reference/error-handling).
 * `contacts` holds the portal's contacts by record ID.
 */
import { json, startPartnerSim, type TPartnerAnswer, type TPartnerRequest } from '../test-partner-sim.ts';

export const HUBSPOT_TOKEN = 'pat-na1-11111111-2222-3333-4444-555555555555';
export const HUBSPOT_UNSCOPED = 'pat-na1-99999999-0000-0000-0000-000000000000';
/** A token with the events scope only: contact look-ups and updates are refused. */
export const HUBSPOT_EVENTS_ONLY = 'pat-na1-88888888-0000-0000-0000-000000000000';
export const HUBSPOT_EVENTS = ['pe2468_order_completed'];
/** Contact properties with unique values that contacts can be found by. */
const UNIQUE_PROPERTIES = ['email', 'app_user_id'];
const PROPERTIES = new Set([...UNIQUE_PROPERTIES, 'firstname', 'lastname', 'phone', 'jobtitle', 'website', 'company', 'city', 'state', 'country', 'zip', 'address']);

const SCOPES: Record<string, string[]> = {
  [HUBSPOT_TOKEN]: ['analytics.behavioral_events.send', 'crm.objects.contacts.read', 'crm.objects.contacts.write'],
  [HUBSPOT_EVENTS_ONLY]: ['analytics.behavioral_events.send'],
  [HUBSPOT_UNSCOPED]: [],
};

const error = (status: number, category: string, message: string, extra: Record<string, unknown> = {}) =>
  json(status, { status: 'error', message, correlationId: `c0ffee00-0000-4000-8000-${String(status).padStart(12, '0')}`, category, ...extra });

export function startHubSpot() {
  const contacts = new Map<string, Record<string, string>>();
  let nextId = 101;
  const find = (property: string, value: string) => [...contacts.entries()].find(([, p]) => p[property] === value);
  const record = ([id, properties]: [string, Record<string, string>]) => ({ id, properties: { ...properties, hs_object_id: id }, createdAt: '2026-11-30T12:00:00.000Z', updatedAt: '2026-11-30T12:00:00.000Z', archived: false });

  const answer = (req: TPartnerRequest, scopes: string[]): TPartnerAnswer => {
    const needs = (scope: string): TPartnerAnswer | null =>
      scopes.includes(scope) ? null : error(403, 'MISSING_SCOPES', 'This app hasn\'t been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.', { errors: [{ message: `One or more of the following scopes are required.`, context: { requiredGranularScopes: [scope] } }] });
    const contact = /^\/crm\/v3\/objects\/contacts\/([^/]+)$/.exec(req.path);
    if (req.method === 'GET' && contact && contact[1] !== 'batch') {
      const refused = needs('crm.objects.contacts.read');
      if (refused) return refused;
      const property = req.query.get('idProperty') ?? 'hs_object_id';
      const value = decodeURIComponent(contact[1]);
      if (property === 'hs_object_id') return contacts.has(value) ? json(200, record([value, contacts.get(value)!])) : error(404, 'OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.', { context: { id: [value] } });
      if (!UNIQUE_PROPERTIES.includes(property)) return error(400, 'VALIDATION_ERROR', `Property ${property} is not a unique identifier property.`);
      const found = find(property, value);
      return found ? json(200, record(found)) : error(404, 'OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.', { context: { id: [value] } });
    }
    if (req.method === 'POST' && req.path === '/crm/v3/objects/contacts/batch/upsert') {
      const refused = needs('crm.objects.contacts.write');
      if (refused) return refused;
      const body = JSON.parse(req.body) as { inputs?: Array<{ idProperty?: string; id?: string; properties?: Record<string, string> }> };
      if (!Array.isArray(body.inputs) || body.inputs.length === 0 || body.inputs.length > 100) return error(400, 'VALIDATION_ERROR', 'inputs must hold 1 to 100 objects');
      const unknown = body.inputs.flatMap((i) => Object.keys(i.properties ?? {}).filter((p) => !PROPERTIES.has(p)));
      if (unknown.length) {
        return error(400, 'VALIDATION_ERROR', `Property values were not valid: [${unknown.map((name) => JSON.stringify({ isValid: false, message: `Property "${name}" does not exist`, error: 'PROPERTY_DOESNT_EXIST', name })).join(',')}]`);
      }
      const results = body.inputs.map((input) => {
        if (!input.idProperty || !UNIQUE_PROPERTIES.includes(input.idProperty) || !input.id) return null;
        const found = find(input.idProperty, input.id);
        const id = found?.[0] ?? String(nextId++);
        contacts.set(id, { ...found?.[1], ...input.properties, [input.idProperty]: input.id });
        return { ...record([id, contacts.get(id)!]), new: !found };
      });
      if (results.includes(null)) return error(400, 'VALIDATION_ERROR', 'idProperty must be email or a property with unique values, and id its value');
      return json(200, { status: 'COMPLETE', results, startedAt: '2026-11-30T12:00:00.000Z', completedAt: '2026-11-30T12:00:00.100Z' });
    }
    if (req.method === 'POST' && req.path === '/events/v3/send') {
      const refused = needs('analytics.behavioral_events.send');
      if (refused) return refused;
      const body = JSON.parse(req.body) as { eventName?: string; email?: string; utk?: string; objectId?: string; properties?: Record<string, unknown> };
      if (!HUBSPOT_EVENTS.includes(String(body.eventName))) return error(400, 'VALIDATION_ERROR', `Event definition ${String(body.eventName)} not found.`);
      const names = Object.keys(body.properties ?? {});
      const badName = names.find((name) => !/^[a-z][a-z0-9_]*$/.test(name));
      if (badName !== undefined) return error(400, 'VALIDATION_ERROR', `Property name ${badName} is not valid: names start with a letter and hold only lowercase letters, numbers and underscores.`);
      if (names.length > 50) return error(400, 'VALIDATION_ERROR', `An event occurrence may hold at most 50 properties; this one has ${names.length}.`);
      if (!body.email && !body.utk && !body.objectId) return error(400, 'VALIDATION_ERROR', 'One of email, utk or objectId is required.');
      if (body.objectId && !contacts.has(String(body.objectId))) return error(400, 'VALIDATION_ERROR', `Object with id ${String(body.objectId)} not found.`);
      return { status: 204, body: '' };
    }
    return error(404, 'OBJECT_NOT_FOUND', 'Not found');
  };

  return startPartnerSim((req) => {
    const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    const scopes = SCOPES[token];
    if (!scopes) return error(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found. This API supports OAuth 2.0 authentication.');
    if (scopes.length === 0) return error(403, 'MISSING_SCOPES', 'This app hasn\'t been granted all required scopes to make this call.');
    return answer(req, scopes);
  }).then((sim) => ({ ...sim, contacts }));
}
