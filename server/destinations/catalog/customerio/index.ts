/**
 * Customer.io, Track API v1 with HTTP Basic (site ID : API key). identify → `PUT
 * /api/v1/customers/{id}` with the traits; track → `POST /api/v1/customers/{id}/events`
 * (or `/api/v1/events` with `anonymous_id` for people without a user ID); page → an event
 * of type `page` named by its URL. Answers 200 `{}`; 400 `{"meta":{"error":…}}`; 401.
 */
import { z } from 'zod';
import { definePartner } from '../define.ts';
import { contextValue, endpointField, epochMs, genericReading, jsonBody, regionField, secretField, str, textField } from '../fields.ts';
import { skip } from '../types.ts';

const REGIONS = { us: 'https://track.customer.io', eu: 'https://track-eu.customer.io' };

const ZCustomerIoSettings = z.object({
  siteId: textField('Site ID', 'In Customer.io: Settings → Workspace Settings → API Credentials → Tracking API Keys.'),
  apiKey: secretField('Tracking API key', 'The API key next to the site ID (Tracking API Keys).'),
  region: regionField(['us', 'eu'], ['US', 'EU'], 'Where your Customer.io account lives.'),
  endpoint: endpointField(REGIONS.us),
});

export const customerio = definePartner({
  type: 'customerio',
  name: 'Customer.io',
  category: 'marketing automation',
  logo: '/catalog/customerio.svg',
  description: 'Messaging automation: e-mails, push and SMS triggered by events.',
  about:
    'Creates or updates a Customer.io person for each identify call (traits become attributes), records track calls as events on that person (or as anonymous events before they sign up) and page calls as page views. Use these events to trigger your campaigns.',
  supports: ['track', 'identify', 'page'],
  docsUrl: 'https://docs.customer.io/api/track/',
  settings: ZCustomerIoSettings,
  regions: REGIONS,
  buildRequest(input, settings) {
    const event = input.json;
    const auth = `Basic ${Buffer.from(`${settings.siteId}:${settings.apiKey}`).toString('base64')}`;
    const headers = { 'content-type': 'application/json', authorization: auth };
    const seconds = Math.floor(epochMs(event.timestamp) / 1000);
    const person = event.userId ? `${settings.endpoint}/api/v1/customers/${encodeURIComponent(event.userId)}` : null;
    switch (event.type) {
      case 'identify':
        if (!person) return skip('Customer.io identifies people by user ID; this identify call has none');
        return { method: 'PUT', url: person, headers, body: JSON.stringify({ ...event.traits, _timestamp: seconds }) };
      case 'track':
        if (!person) return { method: 'POST', url: `${settings.endpoint}/api/v1/events`, headers, body: JSON.stringify({ name: event.event, anonymous_id: event.anonymousId, data: event.properties ?? {}, timestamp: seconds, id: event.messageId }) };
        return { method: 'POST', url: `${person}/events`, headers, body: JSON.stringify({ name: event.event, data: event.properties ?? {}, timestamp: seconds, id: event.messageId }) };
      case 'page': {
        if (!person) return skip('Customer.io records page views on a person; this page call has no user ID');
        const url = str(event.properties?.url) ?? str(contextValue(event, 'page.url')) ?? event.name ?? 'page';
        return { method: 'POST', url: `${person}/events`, headers, body: JSON.stringify({ name: url, type: 'page', data: event.properties ?? {}, timestamp: seconds, id: event.messageId }) };
      }
      default:
        return skip(`Customer.io's Track API has no ${event.type} call here`);
    }
  },
  readResponse({ status, body }) {
    const meta = jsonBody(body)?.meta as Record<string, unknown> | undefined;
    const error = str(meta?.error) ?? (Array.isArray(meta?.errors) ? String((meta.errors as unknown[])[0]) : undefined);
    if (status === 200) return { explanation: 'Customer.io recorded it' };
    if (status === 401) return { explanation: 'Customer.io says the site ID and API key do not match. Copy both from Tracking API Keys in Customer.io.' };
    if (status === 400) return { explanation: `Customer.io rejected the request${error ? `: ${error}` : ''}` };
    return genericReading('Customer.io', status, error ?? (body.trim().slice(0, 200) || undefined));
  },
  // Privacy deletions: the Track API's "Delete a customer" (DELETE /api/v1/customers/{identifier},
  // the same credentials), one call per person: by user ID (how this destination names people)
  // and by e-mail (workspaces that identify people by e-mail). Customer.io answers 200 `{}`.
  // Anonymous events have no deletion call in the Track API; they are not sent.
  deleteUser(subject, settings) {
    const identifiers = [...subject.userIds, ...subject.emails];
    if (identifiers.length === 0) return skip('Customer.io deletes people by ID or e-mail, and this subject has only anonymous IDs');
    const headers = { authorization: `Basic ${Buffer.from(`${settings.siteId}:${settings.apiKey}`).toString('base64')}` };
    return identifiers.map((id) => ({ method: 'DELETE' as const, url: `${settings.endpoint}/api/v1/customers/${encodeURIComponent(id)}`, headers, body: '' }));
  },
  readDeletion() {
    return 'Customer.io deleted the person';
  },
});
