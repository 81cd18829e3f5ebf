/**
 * HubSpot custom behavioral events: `POST /events/v3/send` with a private app's access
 * token. Each custom event must be defined in HubSpot first and has an internal name
 * (pe<portal>_<name>); the person maps Segment event names to those. The contact is found
 * by e-mail. Answers: 204; 400 VALIDATION_ERROR; 401 INVALID_AUTHENTICATION; 403
 * MISSING_SCOPES; 429.
 */
import { z } from 'zod';
import { definePartner } from '../define.ts';
import { contextValue, endpointField, genericReading, jsonBody, secretField, str } from '../fields.ts';
import { skip } from '../types.ts';

const ZHubSpotSettings = z.object({
  accessToken: secretField('Private app access token', 'In HubSpot: Settings → Integrations → Private Apps → your app (scope analytics.behavioral_events.send) → Access token.', { placeholder: 'pat-…' }),
  eventNames: z
    .string()
    .trim()
    .min(1, 'Map at least one event')
    .max(10_000)
    .refine((text) => text.split('\n').every((line) => !line.trim() || /^.+=\s*pe\d+_[a-z0-9_]+\s*$/.test(line.trim())), 'each line must look like “Order Completed = pe1234567_order_completed”')
    .meta({ title: 'Event names', description: 'One line per event: the event name your app sends = the internal name HubSpot shows for the custom event (Data Management → Custom Events → Details).', 'x-multiline': true, placeholder: 'Order Completed = pe1234567_order_completed' }),
  endpoint: endpointField('https://api.hubapi.com'),
});

function eventMap(text: string): Map<string, string> {
  return new Map(text.split('\n').filter((l) => l.includes('=')).map((line) => {
    const at = line.lastIndexOf('=');
    return [line.slice(0, at).trim(), line.slice(at + 1).trim()] as const;
  }));
}

export const hubspot = definePartner({
  type: 'hubspot',
  name: 'HubSpot',
  category: 'marketing automation',
  logo: '/catalog/hubspot.svg',
  description: 'CRM: custom behavioral events on contacts\' timelines.',
  about:
    'Sends the track calls you map to HubSpot custom behavioral events, on the contact with the event\'s e-mail (from its properties or traits). Create each custom event in HubSpot first, then map your event name to its internal name here. Other events are skipped with the reason.',
  supports: ['track'],
  docsUrl: 'https://developers.hubspot.com/docs/api/analytics/events',
  settings: ZHubSpotSettings,
  buildRequest(input, settings) {
    const event = input.json;
    if (event.type !== 'track') return skip(`HubSpot custom behavioral events are track calls; a ${event.type} call is not sent`);
    const name = eventMap(settings.eventNames).get(event.event ?? '');
    if (!name) return skip(`No HubSpot event is mapped for “${event.event}”: add a line for it under Event names`);
    const email = str(event.properties?.email) ?? str(contextValue(event, 'traits.email'));
    if (!email) return skip('HubSpot finds the contact by e-mail, and this event has none (properties.email or context.traits.email)');
    const properties = Object.fromEntries(Object.entries(event.properties ?? {}).filter(([k, v]) => k !== 'email' && v !== null && typeof v !== 'object').map(([k, v]) => [k.toLowerCase().replace(/[^a-z0-9_]+/g, '_'), v]));
    return {
      method: 'POST',
      url: `${settings.endpoint}/events/v3/send`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${settings.accessToken}` },
      body: JSON.stringify({ eventName: name, email, occurredAt: event.timestamp, properties }),
    };
  },
  readResponse({ status, body }) {
    const answer = jsonBody(body);
    const message = str(answer?.message);
    const category = str(answer?.category);
    if (status >= 200 && status < 300) return { explanation: 'HubSpot recorded the event on the contact' };
    if (status === 401) return { explanation: 'HubSpot says the access token is invalid or expired. Copy the private app\'s current access token.' };
    if (status === 403) return { explanation: `HubSpot says the private app may not send events${category === 'MISSING_SCOPES' ? ': give it the analytics.behavioral_events.send scope' : ''}${message ? ` (${message})` : ''}` };
    if (status === 400) return { explanation: `HubSpot rejected the event${message ? `: ${message}` : ''}` };
    if (status === 429) {
      const policy = str(answer?.policyName);
      const which = policy === 'DAILY' ? 'the account\'s daily API limit is used up' : policy === 'SECONDLY' || policy === 'TEN_SECONDLY_ROLLING' ? 'too many requests in the last seconds' : 'too many requests';
      return { explanation: `HubSpot is rate limiting this private app (${which}); the event will be retried` };
    }
    return genericReading('HubSpot', status, message);
  },
});
