/**
 * Braze, `POST /users/track` with a REST API key (Bearer). track → an `events` entry;
 * identify → an `attributes` entry (traits as custom attributes, email/first_name/…
 * as Braze's standard ones); page and screen → events named "Viewed … Page/Screen".
 * Braze answers 201 even when it drops entries: a body with `errors` and nothing processed
 * means the event was refused, which Switchyard treats as discarded, in Braze's words; 202
 * `queued` during maintenance; a 429 says when the rate-limit window resets in its
 * `X-RateLimit-Reset` header, which the retry waits for.
 */
import { z } from 'zod';
import { definePartner } from '../define.ts';
import { endpointField, genericReading, jsonBody, regionField, secretField, str, viewedName } from '../fields.ts';
import { skip } from '../types.ts';

const INSTANCES = ['US-01', 'US-02', 'US-03', 'US-04', 'US-05', 'US-06', 'US-07', 'US-08', 'EU-01', 'EU-02'] as const;
const HOSTS = ['iad-01', 'iad-02', 'iad-03', 'iad-04', 'iad-05', 'iad-06', 'iad-07', 'iad-08', 'fra-01', 'fra-02'];
const REGIONS = Object.fromEntries(INSTANCES.map((instance, i) => [instance, `https://rest.${HOSTS[i]}.braze.${instance.startsWith('EU') ? 'eu' : 'com'}`]));

const STANDARD: Record<string, string> = { email: 'email', firstName: 'first_name', lastName: 'last_name', phone: 'phone', gender: 'gender', birthday: 'dob', city: 'home_city', country: 'country' };

/** Braze takes up to 50 identifiers per /users/delete call. */
const DELETION_BATCH = 50;

const ZBrazeSettings = z.object({
  apiKey: secretField('REST API key', 'In Braze: Settings → APIs and Identifiers → REST API Keys; the key needs the users.track permission (and users.delete to forward privacy deletions).'),
  region: regionField(INSTANCES, [...INSTANCES], 'Your Braze instance, as in your dashboard\'s address (dashboard-01 → US-01, dashboard.fra-01 → EU-01).'),
  endpoint: endpointField(REGIONS['US-01']),
  appId: z.string().trim().max(100).optional().meta({ title: 'App identifier', description: 'Optional: the app these events belong to (Settings → APIs and Identifiers).', 'x-advanced': true }),
});

/**
 * When a 429 says to come back, in seconds from now: Braze's `X-RateLimit-Retry-After`
 * (seconds) when present, else `X-RateLimit-Reset` (the UTC epoch second the window resets).
 */
export function rateLimitWait(headers: Record<string, string | string[] | undefined> | undefined, now = Date.now()): number | undefined {
  const header = (name: string) => {
    const value = headers?.[name];
    return Number((Array.isArray(value) ? value[0] : value) ?? Number.NaN);
  };
  const retryAfter = header('x-ratelimit-retry-after');
  if (Number.isFinite(retryAfter) && retryAfter > 0) return Math.min(Math.ceil(retryAfter), 86_400);
  const reset = header('x-ratelimit-reset');
  if (Number.isFinite(reset) && reset * 1000 > now) return Math.min(Math.ceil(reset - now / 1000), 86_400);
  return undefined;
}

export const braze = definePartner({
  type: 'braze',
  name: 'Braze',
  category: 'marketing automation',
  logo: '/catalog/braze.svg',
  description: 'Customer engagement: campaigns and canvases triggered by what users do.',
  about:
    'Records each track call as a custom event on the Braze user with your user ID (external_id), page and screen calls as “Viewed … Page/Screen” events, and identify calls as user attributes (e-mail, first and last name and phone as Braze\'s standard attributes, other traits as custom attributes). Events of users without a user ID are sent by their anonymous ID as a user alias.',
  supports: ['track', 'identify', 'page', 'screen'],
  docsUrl: 'https://www.braze.com/docs/api/endpoints/user_data/post_user_track/',
  settings: ZBrazeSettings,
  regions: REGIONS,
  buildRequest(input, settings) {
    const event = input.json;
    const who = event.userId ? { external_id: event.userId } : event.anonymousId ? { user_alias: { alias_name: event.anonymousId, alias_label: 'anonymous_id' }, _update_existing_only: false } : null;
    if (!who) return skip('Braze needs a user ID or an anonymous ID');
    const app = settings.appId ? { app_id: settings.appId } : {};
    let body: Record<string, unknown>;
    switch (event.type) {
      case 'track':
      case 'page':
      case 'screen':
        body = { events: [{ ...who, ...app, name: event.type === 'track' ? event.event : viewedName(event), time: event.timestamp, properties: event.properties ?? {} }] };
        break;
      case 'identify': {
        const attributes: Record<string, unknown> = { ...who };
        for (const [key, value] of Object.entries(event.traits ?? {})) attributes[STANDARD[key] ?? key] = value;
        body = { attributes: [attributes] };
        break;
      }
      default:
        return skip(`Braze's /users/track takes events and attributes; a ${event.type} call has no Braze equivalent here`);
    }
    return { method: 'POST', url: `${settings.endpoint}/users/track`, headers: { 'content-type': 'application/json', authorization: `Bearer ${settings.apiKey}` }, body: JSON.stringify(body) };
  },
  readResponse({ status, body, headers }) {
    const answer = jsonBody(body);
    const message = str(answer?.message);
    const errors = Array.isArray(answer?.errors) ? (answer.errors as Array<Record<string, unknown>>) : [];
    const firstError = errors.length ? (str(errors[0].type) ?? (typeof errors[0] === 'string' ? errors[0] : undefined)) : undefined;
    if (status >= 200 && status < 300) {
      // During maintenance Braze answers 202 {"message":"queued"}: received, processed later.
      if (message === 'queued') return { explanation: 'Braze queued the event: it is pausing processing for maintenance and will record it afterwards' };
      const processed = Number(answer?.events_processed ?? 0) + Number(answer?.attributes_processed ?? 0) + Number(answer?.purchases_processed ?? 0);
      if (errors.length && processed === 0) return { verdict: 'discard', explanation: `Braze answered ${status} but refused the event: ${firstError ?? 'unknown error'}` };
      return { explanation: errors.length ? `Braze accepted the event with a warning: ${firstError ?? ''}` : 'Braze recorded the event' };
    }
    if (status === 400) return { explanation: `Braze rejected the request${message ? `: ${message}` : ''}${firstError ? ` (${firstError})` : ''}` };
    if (status === 401) return { explanation: `Braze says the REST API key is invalid${message ? ` (${message})` : ''}. Check the key and that it belongs to this instance.` };
    if (status === 403) return { explanation: `Braze says this REST API key may not call /users/track${message ? ` (${message})` : ''}: give it the users.track permission.` };
    if (status === 429) {
      const wait = rateLimitWait(headers);
      const until = wait ? ` until ${new Date(Date.now() + wait * 1000).toISOString().slice(11, 19)} UTC` : '';
      return { explanation: `Braze is rate limiting this workspace${until}${message ? ` (${message})` : ''}; the event will be retried${wait ? ' then' : ''}`, retryAfterSeconds: wait };
    }
    return genericReading('Braze', status, message);
  },
  // Privacy deletions: POST /users/delete (the key needs the users.delete permission), up to
  // 50 identifiers of ONE kind per call: external IDs (user IDs), user aliases (anonymous
  // IDs, as the events were sent) and e-mail addresses. Braze answers 201 with `deleted`.
  deleteUser(subject, settings) {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${settings.apiKey}` };
    const url = `${settings.endpoint}/users/delete`;
    const kinds: Array<[string, unknown[]]> = [
      ['external_ids', subject.userIds],
      ['user_aliases', subject.anonymousIds.map((id) => ({ alias_name: id, alias_label: 'anonymous_id' }))],
      ['email_addresses', subject.emails],
    ];
    const calls = [];
    for (const [field, ids] of kinds) {
      for (let i = 0; i < ids.length; i += DELETION_BATCH) calls.push({ method: 'POST' as const, url, headers, body: JSON.stringify({ [field]: ids.slice(i, i + DELETION_BATCH) }) });
    }
    return calls.length ? calls : skip('the subject has no identifier Braze deletes by');
  },
  readDeletion({ body }) {
    const deleted = jsonBody(body)?.deleted;
    return typeof deleted === 'number' ? `Braze deleted ${deleted} user profile${deleted === 1 ? '' : 's'}` : 'Braze accepted the deletion';
  },
});
