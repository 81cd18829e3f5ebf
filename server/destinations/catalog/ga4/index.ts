/**
 * Google Analytics 4, Measurement Protocol: `POST /mp/collect?measurement_id=…&api_secret=…`
 * with a client_id, an optional user_id and events of snake_case names. GA4 answers 2xx to
 * anything, so delivered means "received", not "valid"; test events go to its validation
 * server (`/debug/mp/collect`), whose `validationMessages` say what GA4 would drop.
 */
import { z } from 'zod';
import { definePartner } from '../define.ts';
import { contextValue, endpointField, epochMs, genericReading, jsonBody, regionField, secretField, str, textField } from '../fields.ts';
import { skip } from '../types.ts';

const REGIONS = { global: 'https://www.google-analytics.com', eu: 'https://region1.google-analytics.com' };

const ZGa4Settings = z.object({
  measurementId: textField('Measurement ID', 'In Google Analytics: Admin → Data streams → your stream → Measurement ID (G-…).', { placeholder: 'G-XXXXXXXXXX' }).pipe(z.string().regex(/^G-[A-Z0-9]{4,20}$/, 'must look like G-XXXXXXXXXX')),
  apiSecret: secretField('API secret', 'Admin → Data streams → your stream → Measurement Protocol API secrets → Create.'),
  region: regionField(['global', 'eu'], ['Global', 'EU (collect in the EU)'], 'Where Google collects the events.'),
  endpoint: endpointField(REGIONS.global),
});

/** GA4 event names: letters, digits and underscores, starting with a letter, at most 40 characters. */
export function ga4Name(name: string): string {
  const snake = name.trim().replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return (/^[a-z]/.test(snake) ? snake : `event_${snake}`).slice(0, 40);
}

/** GA4 parameters are scalars (or `items`): others become JSON text, names cut to 40, values to 100 characters. */
function params(properties: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(properties)) {
    const name = ga4Name(key);
    if (key === 'items' && Array.isArray(value)) out.items = value;
    else if (typeof value === 'number' || typeof value === 'boolean') out[name] = value;
    else if (typeof value === 'string') out[name] = value.slice(0, 100);
    else if (value !== null && value !== undefined) out[name] = JSON.stringify(value).slice(0, 100);
  }
  return out;
}

export const ga4 = definePartner({
  type: 'ga4',
  name: 'Google Analytics 4',
  category: 'analytics',
  logo: '/catalog/ga4.svg',
  description: 'Web and app analytics through the Measurement Protocol.',
  about:
    'Sends track calls to GA4 as events (names in GA4\'s snake_case: “Order Completed” becomes order_completed, with properties as parameters), page calls as page_view and screen calls as screen_view. The anonymous ID becomes client_id and the user ID user_id. GA4 accepts anything it receives without saying whether it was valid, so use “Send test event”: test events go to Google\'s validation server, which says what GA4 would drop.',
  supports: ['track', 'page', 'screen'],
  docsUrl: 'https://developers.google.com/analytics/devguides/collection/protocol/ga4',
  settings: ZGa4Settings,
  regions: REGIONS,
  buildRequest(input, settings, { isTest }) {
    const event = input.json;
    let mapped: { name: string; params: Record<string, unknown> };
    switch (event.type) {
      case 'track':
        mapped = { name: ga4Name(event.event ?? 'event'), params: params(event.properties) };
        break;
      case 'page':
        mapped = { name: 'page_view', params: { ...params(event.properties), page_location: str(event.properties?.url) ?? str(contextValue(event, 'page.url')), page_title: event.name ?? str(event.properties?.title) } };
        break;
      case 'screen':
        mapped = { name: 'screen_view', params: { ...params(event.properties), screen_name: event.name } };
        break;
      default:
        return skip(`GA4's Measurement Protocol takes events only; a ${event.type} call is not sent`);
    }
    const query = `measurement_id=${encodeURIComponent(settings.measurementId)}&api_secret=${encodeURIComponent(settings.apiSecret)}`;
    return {
      method: 'POST',
      url: `${settings.endpoint}/${isTest ? 'debug/mp/collect' : 'mp/collect'}?${query}`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: event.anonymousId ?? event.userId,
        ...(event.userId ? { user_id: event.userId } : {}),
        timestamp_micros: epochMs(event.timestamp) * 1000,
        events: [mapped],
      }),
    };
  },
  readResponse({ status, body }) {
    if (status >= 200 && status < 300) {
      const messages = jsonBody(body)?.validationMessages;
      if (Array.isArray(messages)) {
        if (messages.length === 0) return { explanation: 'GA4\'s validation server found nothing wrong with the event' };
        const first = messages[0] as Record<string, unknown>;
        return { verdict: 'discard', explanation: `GA4 would drop the event: ${str(first.description) ?? 'invalid'}${str(first.fieldPath) ? ` (field ${str(first.fieldPath)})` : ''}` };
      }
      return { explanation: `GA4 received the event (HTTP ${status}); the Measurement Protocol accepts events without checking them, so send a test event to have Google validate them` };
    }
    return genericReading('GA4', status);
  },
});
