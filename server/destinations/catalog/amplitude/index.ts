/**
 * Amplitude, HTTP V2 API (`POST /2/httpapi`): one event per request for now (the body is
 * already an `events` array, so batching later is a change of count, not of shape).
 * Identify becomes Amplitude's `$identify` event with `$set` user properties; page and
 * screen become "Viewed … Page/Screen" events. Answers: 200 with `events_ingested`; 400
 * naming the missing or invalid fields (or `Invalid API key`); 413; 429 with the throttled
 * users and devices; 5xx.
 */
import { z } from 'zod';
import { definePartner } from '../define.ts';
import { contextValue, endpointField, epochMs, genericReading, jsonBody, regionField, secretField, str, viewedName } from '../fields.ts';
import { skip } from '../types.ts';

const REGIONS = { standard: 'https://api2.amplitude.com', eu: 'https://api.eu.amplitude.com' };

const ZAmplitudeSettings = z.object({
  apiKey: secretField('API key', 'Your Amplitude project\'s API key: in Amplitude, Settings → Projects → your project → General.', { placeholder: 'e.g. 4f8d…' }),
  region: regionField(['standard', 'eu'], ['Standard (US)', 'EU residency'], 'Where your Amplitude project keeps its data.'),
  endpoint: endpointField(REGIONS.standard),
});

const fieldList = (value: unknown): string[] => (typeof value === 'object' && value !== null ? Object.keys(value) : []);

export const amplitude = definePartner({
  type: 'amplitude',
  name: 'Amplitude',
  category: 'product analytics',
  logo: '/catalog/amplitude.svg',
  description: 'Product analytics: funnels, retention and user journeys.',
  about:
    'Sends each track call to Amplitude as an event with its properties, page and screen calls as “Viewed … Page/Screen” events, and identify calls as user properties. The user ID and anonymous ID become Amplitude\'s user_id and device_id; the message ID becomes insert_id, so a retried event is never counted twice.',
  supports: ['track', 'identify', 'page', 'screen'],
  docsUrl: 'https://amplitude.com/docs/apis/analytics/http-v2',
  settings: ZAmplitudeSettings,
  regions: REGIONS,
  buildRequest(input, settings) {
    const event = input.json;
    const common = {
      user_id: event.userId,
      device_id: event.anonymousId,
      time: epochMs(event.timestamp),
      insert_id: event.messageId,
      ip: str(contextValue(event, 'ip')),
      language: str(contextValue(event, 'locale')),
      app_version: str(contextValue(event, 'app.version')),
      os_name: str(contextValue(event, 'os.name')),
      os_version: str(contextValue(event, 'os.version')),
      device_model: str(contextValue(event, 'device.model')),
    };
    let mapped: Record<string, unknown>;
    switch (event.type) {
      case 'track':
        mapped = { ...common, event_type: event.event, event_properties: event.properties ?? {} };
        break;
      case 'identify':
        mapped = { ...common, event_type: '$identify', user_properties: { $set: event.traits ?? {} } };
        break;
      case 'page':
      case 'screen':
        mapped = { ...common, event_type: viewedName(event), event_properties: { ...(event.name ? { name: event.name } : {}), ...event.properties } };
        break;
      default:
        return skip(`Amplitude's HTTP API has no ${event.type} call; this destination sends track, identify, page and screen`);
    }
    return {
      method: 'POST',
      url: `${settings.endpoint}/2/httpapi`,
      headers: { 'content-type': 'application/json', accept: '*/*' },
      body: JSON.stringify({ api_key: settings.apiKey, events: [mapped] }),
    };
  },
  readResponse({ status, body }) {
    const answer = jsonBody(body);
    const error = str(answer?.error);
    if (status === 200) return { explanation: `Amplitude accepted the event (events ingested: ${String(answer?.events_ingested ?? 1)})` };
    if (status === 400) {
      if (error && /invalid api key/i.test(error)) {
        return { explanation: 'Amplitude says the API key is invalid. Copy the API key from Amplitude (Settings → Projects → your project) into this destination\'s settings.' };
      }
      if (str(answer?.missing_field)) return { explanation: `Amplitude rejected the event: required field \`${String(answer?.missing_field)}\` is missing` };
      const invalid = fieldList(answer?.events_with_invalid_fields);
      if (invalid.length) return { explanation: `Amplitude rejected the event: invalid ${invalid.map((f) => `\`${f}\``).join(', ')}${error ? ` (${error})` : ''}` };
      const shortIds = fieldList(answer?.events_with_invalid_id_lengths);
      if (shortIds.length) return { explanation: `Amplitude rejected the event: ${shortIds.map((f) => `\`${f}\``).join(' and ')} must be at least 5 characters long (Amplitude's minimum ID length)` };
      const missing = fieldList(answer?.events_with_missing_fields);
      if (missing.length) return { explanation: `Amplitude rejected the event: missing ${missing.map((f) => `\`${f}\``).join(', ')}` };
      return { explanation: `Amplitude rejected the request${error ? `: ${error}` : ''}` };
    }
    if (status === 413) return { explanation: 'Amplitude says the request is too large (more than 1 MB or too many events)' };
    if (status === 429) {
      const users = fieldList(answer?.throttled_users);
      const devices = fieldList(answer?.throttled_devices);
      const who = [...users.map((u) => `user ${u}`), ...devices.map((d) => `device ${d}`)].join(', ');
      const limit = typeof answer?.eps_threshold === 'number' ? ` (more than ${answer.eps_threshold} events per second)` : '';
      return { explanation: `Amplitude is throttling ${who || 'this project'}${limit}; the event will be retried` };
    }
    return genericReading('Amplitude', status, error);
  },
});
