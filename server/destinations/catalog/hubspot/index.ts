/**
 * HubSpot: custom behavioral events (`POST /events/v3/send`) and contacts (CRM v3), with a
 * private app's access token. Each custom event must be defined in HubSpot first and has an
 * internal name (pe<portal>_<name>); the person maps Segment event names to those.
 *
 * An event needs its contact: by the user ID when a "user ID property" is set (a contact
 * property with unique values, e.g. app_user_id: the contact is looked up first, `GET
 * /crm/v3/objects/contacts/{userId}?idProperty=…`, and the event sent with its record ID,
 * which the worker then remembers for a while so the user's next events go in one call),
 * else by e-mail (properties.email or context.traits.email). An event with neither, or
 * whose user has no contact yet, is skipped with the reason. Identify calls create or
 * update the contact (`POST /crm/v3/objects/contacts/batch/upsert`, by the user ID
 * property, or by e-mail), setting HubSpot's standard contact properties from the traits.
 *
 * Checked against HubSpot's public documentation (2026-12-03):
 * - send an event occurrence: `POST https://api.hubapi.com/events/v3/send`, body eventName
 *   (pe{HubID}_{name}), properties, and one of email / utk / objectId, optional occurredAt
 *   (ISO 8601) and uuid; 204 without a body.
 *   https://developers.hubspot.com/docs/api-reference/legacy/events/send-event-data/guide
 *   https://developers.hubspot.com/docs/api-reference/latest/events/send-event-data/send-event-occurrence
 * - event property names: start with a letter; lower-case letters, digits and underscores
 *   (requests breaking the limits fail with a message naming the limit).
 *   https://developers.hubspot.com/changelog/new-property-limits-for-the-custom-behavioural-events-api
 * - read a contact by a unique property: `GET /crm/v3/objects/contacts/{id}?idProperty=…&properties=…`.
 *   https://developers.hubspot.com/docs/api-reference/crm-contacts-v3/guide
 *   https://developers.hubspot.com/docs/api-reference/latest/crm/objects/custom-objects/get-custom-object.md
 * - upsert contacts: `POST /crm/v3/objects/contacts/batch/upsert`, `{ inputs: [{ id, idProperty, properties }] }`;
 *   200 with `results[]` (`new` when created); the answer may also list `errors` (`numErrors`).
 *   https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/contacts/batch/upsert-contacts
 * - errors: `{ status: "error", message, correlationId, category, errors?: [{ message, in?, code?, context? }], context? }`,
 *   every field optional; 401 bad credentials; 403 missing scopes (documented as
 *   `context.missingScopes`, seen in answers as `errors[].context.requiredGranularScopes`).
 *   https://developers.hubspot.com/docs/api-reference/error-handling
 *   https://developers.hubspot.com/docs/faq/api-error-responses
 * - 429: `{ status: "error", message, errorType: "RATE_LIMIT", correlationId, policyName: "DAILY" | "SECONDLY" | … }`.
 *   https://developers.hubspot.com/docs/api/usage-details
 */
import { z } from 'zod';
import { definePartner } from '../define.ts';
import { contextValue, endpointField, genericReading, jsonBody, secretField, str } from '../fields.ts';
import { RecordIdCache } from '../record-id-cache.ts';
import { skip, type TBuiltRequest, type TLookup, type TPartnerAnswer, type TSegmentEvent } from '../types.ts';

const ZHubSpotSettings = z.object({
  accessToken: secretField(
    'Private app access token',
    'In HubSpot: Settings → Integrations → Private Apps → your app → Access token. Scopes: analytics.behavioral_events.send for events; crm.objects.contacts.read and crm.objects.contacts.write to find contacts by user ID and to create or update them from identify calls.',
    { placeholder: 'pat-…' },
  ),
  eventNames: z
    .string()
    .trim()
    .min(1, 'Map at least one event')
    .max(10_000)
    .refine((text) => text.split('\n').every((line) => !line.trim() || /^.+=\s*pe\d+_[a-z0-9_]+\s*$/.test(line.trim())), 'each line must look like “Order Completed = pe1234567_order_completed”')
    .meta({ title: 'Event names', description: 'One line per event: the event name your app sends = the internal name HubSpot shows for the custom event (Data Management → Custom Events → Details).', 'x-multiline': true, placeholder: 'Order Completed = pe1234567_order_completed' }),
  userIdProperty: z
    .string()
    .trim()
    .max(100)
    .regex(/^([a-z][a-z0-9_]*)?$/, 'must be a property\'s internal name: lower-case letters, digits and underscores, like app_user_id')
    .optional()
    .meta({
      title: 'User ID property',
      description:
        'Optional: the internal name of a contact property that holds your app\'s user ID and requires unique values (Settings → Properties → Contact properties → the property → “Require unique values”), e.g. app_user_id. With it, events find their contact by user ID and identify calls create or update the contact by it. Empty: contacts are found by e-mail only.',
      placeholder: 'app_user_id',
    }),
  endpoint: endpointField('https://api.hubapi.com'),
});

type THubSpotSettings = z.output<typeof ZHubSpotSettings>;

function eventMap(text: string): Map<string, string> {
  return new Map(text.split('\n').filter((l) => l.includes('=')).map((line) => {
    const at = line.lastIndexOf('=');
    return [line.slice(0, at).trim(), line.slice(at + 1).trim()] as const;
  }));
}

/** Segment traits → HubSpot's standard contact properties (others would need a property defined in HubSpot, and are not sent). */
const CONTACT_TRAITS: Record<string, string> = {
  email: 'email',
  firstName: 'firstname',
  first_name: 'firstname',
  lastName: 'lastname',
  last_name: 'lastname',
  phone: 'phone',
  title: 'jobtitle',
  website: 'website',
  company: 'company',
  city: 'city',
  state: 'state',
  country: 'country',
  postalCode: 'zip',
  street: 'address',
};

function contactProperties(traits: Record<string, unknown> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(traits)) {
    if (key === 'address' && value && typeof value === 'object') Object.assign(out, contactProperties(value as Record<string, unknown>));
    const name = CONTACT_TRAITS[key];
    const text = typeof value === 'object' && value !== null ? str((value as Record<string, unknown>).name) : value === null || value === undefined ? undefined : String(value);
    if (name && text !== undefined) out[name] = text;
  }
  return out;
}

const emailOf = (event: TSegmentEvent): string | undefined => str(event.properties?.email) ?? str(contextValue(event, 'traits.email'));

function headers(settings: THubSpotSettings): Record<string, string> {
  return { 'content-type': 'application/json', authorization: `Bearer ${settings.accessToken}` };
}

function upsertContact(event: TSegmentEvent, settings: THubSpotSettings): TBuiltRequest | ReturnType<typeof skip> {
  const email = str(event.traits?.email);
  const byUserId = settings.userIdProperty && event.userId ? settings.userIdProperty : undefined;
  if (!byUserId && !email) {
    return skip(settings.userIdProperty
      ? `HubSpot identifies contacts by ${settings.userIdProperty} or e-mail, and this identify call has neither a user ID nor traits.email`
      : 'HubSpot identifies contacts by e-mail here (no user ID property is set), and this identify call has no traits.email');
  }
  const properties = { ...contactProperties(event.traits), ...(byUserId ? { [byUserId]: event.userId! } : {}) };
  return {
    method: 'POST',
    url: `${settings.endpoint}/crm/v3/objects/contacts/batch/upsert`,
    headers: headers(settings),
    body: JSON.stringify({ inputs: [{ idProperty: byUserId ?? 'email', id: byUserId ? event.userId : email, properties }] }),
  };
}

/**
 * The scopes a 403 MISSING_SCOPES names: `context.missingScopes` as the error-handling page
 * documents it, or `errors[].context.requiredGranularScopes` as HubSpot's answers carry it.
 */
function missingScopes(answer: Record<string, unknown> | null): string[] {
  const listed = (context: unknown): string[] => {
    if (typeof context !== 'object' || context === null) return [];
    const { missingScopes: missing, requiredGranularScopes: required } = context as Record<string, unknown>;
    return [...(Array.isArray(missing) ? missing : []), ...(Array.isArray(required) ? required : [])].map(String);
  };
  const errors = Array.isArray(answer?.errors) ? (answer.errors as Array<Record<string, unknown>>) : [];
  return [...new Set([...listed(answer?.context), ...errors.flatMap((e) => listed(e.context))])];
}

/** The messages of a 2xx upsert answer's `errors` (HubSpot lists refused inputs there). */
function upsertErrors(answer: Record<string, unknown> | null): string[] {
  const errors = Array.isArray(answer?.errors) ? (answer.errors as Array<Record<string, unknown>>) : [];
  return errors.map((e) => str(e.message) ?? str(e.category) ?? 'an input was refused');
}

/**
 * An event property's name as HubSpot takes it: lower case, letters, digits and underscores,
 * starting with a letter (`Order ID` → order_id, `$revenue` → revenue); null when nothing is left.
 */
function propertyName(key: string): string | null {
  const name = key.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^[^a-z]+/, '');
  return name || null;
}

/**
 * Contact record IDs by user ID, per destination (record-id-cache.ts): a user whose contact
 * was found once costs one call (the event) instead of two for the next 15 minutes; the
 * entry is dropped when HubSpot says the record is not there any more (merged, deleted).
 */
const contactIds = new RecordIdCache({ maxEntries: 50_000, ttlMs: 15 * 60_000 });

/** HubSpot's answer says the record an event was sent to does not exist (404, or a 400 naming the missing object). */
function isRecordGone({ status, body }: TPartnerAnswer): boolean {
  if (status === 404) return true;
  if (status !== 400) return false;
  const answer = jsonBody(body);
  return str(answer?.category) === 'OBJECT_NOT_FOUND' || /\b(object|contact|record)\b[^.]*\bnot found\b/i.test(str(answer?.message) ?? '');
}

/** HubSpot's "Property values were not valid: [{…"message":"Property \"x\" does not exist"…}]", as its messages. */
function invalidProperties(message: string | undefined): string[] {
  if (!message?.startsWith('Property values were not valid')) return [];
  try {
    const list = JSON.parse(message.slice(message.indexOf('['))) as Array<Record<string, unknown>>;
    return list.map((e) => str(e.message) ?? str(e.error) ?? '').filter(Boolean);
  } catch {
    return [message];
  }
}

export const hubspot = definePartner({
  type: 'hubspot',
  name: 'HubSpot',
  category: 'marketing automation',
  logo: '/catalog/hubspot.svg',
  description: 'CRM: contacts from identify calls, custom behavioral events on their timelines.',
  about:
    'Sends the track calls you map to HubSpot custom behavioral events, on the contact with the event\'s user ID (when you name the contact property that holds it) or e-mail. Identify calls create or update that contact, with its e-mail, name, phone, company, job title and address. Create each custom event in HubSpot first, then map your event name to its internal name here. Other events are skipped with the reason.',
  supports: ['track', 'identify'],
  docsUrl: 'https://developers.hubspot.com/docs/api/analytics/events',
  settings: ZHubSpotSettings,
  buildRequest(input, settings, { destinationId, isTest, now }) {
    const event = input.json;
    if (event.type === 'identify') return upsertContact(event, settings);
    if (event.type !== 'track') return skip(`HubSpot takes track calls (as custom behavioral events) and identify calls (as contacts); a ${event.type} call is not sent`);
    const name = eventMap(settings.eventNames).get(event.event ?? '');
    if (!name) return skip(`No HubSpot event is mapped for “${event.event}”: add a line for it under Event names`);
    const email = emailOf(event);
    const properties: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(event.properties ?? {})) {
      const property = key === 'email' || value === null || typeof value === 'object' ? null : propertyName(key);
      if (property) properties[property] = value;
    }
    const send = (contact: { email: string } | { objectId: string }): TBuiltRequest => ({
      method: 'POST',
      url: `${settings.endpoint}/events/v3/send`,
      headers: headers(settings),
      body: JSON.stringify({ eventName: name, ...contact, occurredAt: event.timestamp, properties }),
    });
    const property = settings.userIdProperty;
    if (property && event.userId) {
      const userId = event.userId;
      // Remembered per destination, for the HubSpot account it was learned from; never for a test event (it shows the look-up).
      const key = destinationId && !isTest ? RecordIdCache.key(destinationId, property, userId) : null;
      const scope = `${settings.endpoint} ${settings.accessToken}`;
      const lookUp: TLookup = {
        lookup: {
          method: 'GET',
          url: `${settings.endpoint}/crm/v3/objects/contacts/${encodeURIComponent(userId)}?idProperty=${encodeURIComponent(property)}&properties=email`,
          headers: { accept: 'application/json', authorization: `Bearer ${settings.accessToken}` },
          body: '',
        },
        then({ status, body }) {
          const id = str(jsonBody(body)?.id);
          if (status >= 200 && status < 300 && id) {
            if (key) contactIds.set(key, scope, id, now.getTime());
            return send({ objectId: id });
          }
          if (status !== 404) return null;
          if (email) return send({ email });
          return skip(`HubSpot has no contact whose ${property} is ${userId}, and the event has no e-mail to find one by: an identify call with this user ID creates the contact`);
        },
      };
      const known = key ? contactIds.get(key, scope, now.getTime()) : undefined;
      if (!key || !known) return lookUp;
      // Sent straight to the remembered contact; its answer is the outcome, unless HubSpot says the contact is gone: then look it up again.
      return {
        lookup: send({ objectId: known }),
        then(answer) {
          if (!isRecordGone(answer)) return null;
          contactIds.delete(key);
          return lookUp;
        },
      };
    }
    if (email) return send({ email });
    return skip(property
      ? `HubSpot custom behavioral events need a contact: this event has no user ID (for ${property}) and no e-mail (properties.email or context.traits.email)`
      : 'HubSpot custom behavioral events need a contact, found here by e-mail, and this event has none (properties.email or context.traits.email); set a user ID property to find contacts by user ID');
  },
  readResponse({ status, body }) {
    const answer = jsonBody(body);
    const message = str(answer?.message);
    const category = str(answer?.category);
    if (status >= 200 && status < 300) {
      const refused = upsertErrors(answer);
      const results = Array.isArray(answer?.results) ? (answer.results as Array<Record<string, unknown>>) : [];
      // One contact per request: listed under errors and not under results, it was not written.
      if (refused.length && results.length === 0) return { verdict: 'discard', explanation: `HubSpot rejected the contact: ${refused.join('; ')}` };
      if (Array.isArray(answer?.results)) return { explanation: `HubSpot ${results[0]?.new === true ? 'created' : 'updated'} the contact` };
      return { explanation: 'HubSpot recorded the event on the contact' };
    }
    if (status === 401) return { explanation: 'HubSpot says the access token is invalid or expired. Copy the private app\'s current access token.' };
    if (status === 403) {
      const scopes = missingScopes(answer);
      if (scopes.length) return { explanation: `HubSpot says the private app lacks the ${scopes.join(', ')} scope${scopes.length > 1 ? 's' : ''}: add ${scopes.length > 1 ? 'them' : 'it'} to the app in HubSpot` };
      return { explanation: `HubSpot says the private app may not send events${category === 'MISSING_SCOPES' ? ': give it the analytics.behavioral_events.send scope' : ''}${message ? ` (${message})` : ''}` };
    }
    if (status === 400) {
      const invalid = invalidProperties(message);
      if (invalid.length) return { explanation: `HubSpot rejected the contact: ${invalid.join('; ')}` };
      return { explanation: `HubSpot rejected the event${message ? `: ${message}` : ''}` };
    }
    if (status === 429) {
      const policy = str(answer?.policyName);
      const which = policy === 'DAILY' ? 'the account\'s daily API limit is used up' : policy === 'SECONDLY' || policy === 'TEN_SECONDLY_ROLLING' ? 'too many requests in the last seconds' : 'too many requests';
      return { explanation: `HubSpot is rate limiting this private app (${which}); the event will be retried` };
    }
    return genericReading('HubSpot', status, message);
  },
});
