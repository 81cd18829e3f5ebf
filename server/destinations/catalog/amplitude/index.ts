/**
 * Amplitude, HTTP V2 API (`POST /2/httpapi`): up to 25 events per request when the worker
 * has several for a destination (`batch`), each settled from Amplitude's answer.
 * Identify becomes Amplitude's `$identify` event with `$set` user properties; page and
 * screen become "Viewed … Page/Screen" events. Answers: 200 with `events_ingested`; 400
 * naming the missing or invalid fields (or `Invalid API key`, or the devices Amplitude
 * silenced); 413; 429 with the throttled users and devices, or those over the daily quota; 5xx.
 *
 * Privacy deletions go to the User Privacy API (`POST /api/2/deletions/users` on
 * amplitude.com or analytics.eu.amplitude.com, HTTP Basic with the API key and the
 * project's secret key): up to 100 user IDs per call, unknown IDs ignored. Amplitude
 * deletes by user ID (or its own Amplitude ID), not by device ID, so anonymous IDs are
 * not sent. It answers 200 with the day the deletion job runs and its status.
 */
import { z } from 'zod';
import { definePartner } from '../define.ts';
import { contextValue, endpointField, epochMs, genericReading, jsonBody, regionField, secretField, str, viewedName } from '../fields.ts';
import { skip, type TReading } from '../types.ts';

const REGIONS = { standard: 'https://api2.amplitude.com', eu: 'https://api.eu.amplitude.com' };

const ZAmplitudeSettings = z.object({
  apiKey: secretField('API key', 'Your Amplitude project\'s API key: in Amplitude, Settings → Projects → your project → General.', { placeholder: 'e.g. 4f8d…' }),
  region: regionField(['standard', 'eu'], ['Standard (US)', 'EU residency'], 'Where your Amplitude project keeps its data.'),
  endpoint: endpointField(REGIONS.standard),
  secretKey: z.string().trim().max(200).optional().meta({
    title: 'Secret key',
    description: 'Optional: needed only to forward privacy deletions (Amplitude\'s User Privacy API). Settings → Projects → your project → General, next to the API key.',
    'x-secret': true,
    'x-advanced': true,
  }),
});

/** The User Privacy API lives on the web hosts, not the ingestion ones; a custom endpoint (a proxy, a test server) takes both. */
const PRIVACY_HOSTS: Record<string, string> = { [REGIONS.standard]: 'https://amplitude.com', [REGIONS.eu]: 'https://analytics.eu.amplitude.com' };
const DELETION_BATCH = 100;

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
      const silenced = Array.isArray(answer?.silenced_devices) ? answer.silenced_devices.map(String) : [];
      if (silenced.length) return { explanation: `Amplitude has silenced device ${silenced.join(', ')} (it sent far more events than Amplitude allows) and drops its events` };
      return { explanation: `Amplitude rejected the request${error ? `: ${error}` : ''}` };
    }
    if (status === 413) return { explanation: 'Amplitude says the request is too large (more than 1 MB or too many events)' };
    if (status === 429) {
      const who = (users: unknown, devices: unknown) => [...fieldList(users).map((u) => `user ${u}`), ...fieldList(devices).map((d) => `device ${d}`)].join(', ');
      const throttled = who(answer?.throttled_users, answer?.throttled_devices);
      const overQuota = who(answer?.exceeded_daily_quota_users, answer?.exceeded_daily_quota_devices);
      const limit = typeof answer?.eps_threshold === 'number' ? ` (more than ${answer.eps_threshold} events per second)` : '';
      if (overQuota && !throttled) {
        return { explanation: `Amplitude's daily limit of 500,000 events is used up for ${overQuota}; the event will be retried (Amplitude takes events again once fewer were sent in the last 24 hours)` };
      }
      return { explanation: `Amplitude is throttling ${throttled || 'this project'}${limit}${overQuota ? `, and the daily limit is used up for ${overQuota}` : ''}; the event will be retried` };
    }
    return genericReading('Amplitude', status, error);
  },
  // Up to 25 events per request: events are at most 32 KB, so a request stays under Amplitude's 1 MB.
  batch: {
    max: 25,
    merge(requests) {
      const first = JSON.parse(requests[0].body) as { api_key: string };
      const events = requests.flatMap((r) => (JSON.parse(r.body) as { events: unknown[] }).events);
      return { ...requests[0], body: JSON.stringify({ api_key: first.api_key, events }) };
    },
    // Amplitude ingests all of a request or none of it. A 400 naming some events: those are
    // discarded, the others sent again without them; a 429 naming the throttled events:
    // all are sent again (the throttled ones say whose limit it was); a 413: all again.
    readBatch({ status, body }, count): TReading[] | null {
      const answer = jsonBody(body);
      const each = (read: (index: number) => TReading) => Array.from({ length: count }, (_, i) => read(i));
      if (status === 400) {
        const refused = new Map<number, string>();
        const note = (map: unknown, words: (field: string) => string) => {
          if (typeof map !== 'object' || map === null) return;
          for (const [field, indexes] of Object.entries(map)) if (Array.isArray(indexes)) for (const i of indexes) if (!refused.has(Number(i))) refused.set(Number(i), words(field));
        };
        note(answer?.events_with_missing_fields, (f) => `Amplitude rejected the event: missing \`${f}\``);
        note(answer?.events_with_invalid_fields, (f) => `Amplitude rejected the event: invalid \`${f}\``);
        note(answer?.events_with_invalid_id_lengths, (f) => `Amplitude rejected the event: \`${f}\` must be at least 5 characters long (Amplitude's minimum ID length)`);
        if (Array.isArray(answer?.silenced_events)) for (const i of answer.silenced_events) refused.set(Number(i), 'Amplitude has silenced this event\'s device (it sent far more events than Amplitude allows) and drops its events');
        if (refused.size === 0) return null;
        return each((i) => refused.get(i) ? { verdict: 'discard', explanation: refused.get(i)! } : { verdict: 'retry', explanation: `Amplitude refused the request for ${refused.size} other event${refused.size === 1 ? '' : 's'} in it; this event is sent again without them` });
      }
      if (status === 429) {
        const throttled = new Set((Array.isArray(answer?.throttled_events) ? answer.throttled_events : []).map(Number));
        if (throttled.size === 0) return null;
        const reason: string = amplitude.readResponse!({ status, body }).explanation;
        return each((i) => (throttled.has(i) ? { verdict: 'retry', explanation: reason } : { verdict: 'retry', explanation: 'Amplitude refused the request for throttled users or devices in it; this event will be sent again' }));
      }
      if (status === 413) return each(() => ({ verdict: 'retry', explanation: 'Amplitude says the request is too large; the event will be sent again' }));
      return null;
    },
  },
  deleteUser(subject, settings) {
    if (!settings.secretKey) return skip('Amplitude\'s User Privacy API needs the project\'s secret key: add it under this destination\'s advanced settings to forward deletions');
    if (subject.userIds.length === 0) return skip('Amplitude deletes by user ID, and this subject has none (only anonymous IDs, which Amplitude keeps as device IDs)');
    const url = `${PRIVACY_HOSTS[settings.endpoint] ?? settings.endpoint}/api/2/deletions/users`;
    const headers = { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${settings.apiKey}:${settings.secretKey}`).toString('base64')}` };
    const calls = [];
    for (let i = 0; i < subject.userIds.length; i += DELETION_BATCH) {
      calls.push({ method: 'POST' as const, url, headers, body: JSON.stringify({ user_ids: subject.userIds.slice(i, i + DELETION_BATCH), ignore_invalid_ids: 'True', requester: `Switchyard regulation ${subject.regulationId}` }) });
    }
    return calls;
  },
  readDeletion({ body }) {
    // One deletion job, or a list of them (one per project) when the org-wide option is on.
    const parsed: unknown = (() => {
      try {
        return JSON.parse(body);
      } catch {
        return null;
      }
    })();
    const answer = (Array.isArray(parsed) ? parsed[0] : parsed) as Record<string, unknown> | null;
    const day = str(answer?.day);
    const status = str(answer?.status);
    return `Amplitude scheduled the deletion job${day ? ` for ${day}` : ''}${status ? ` (status: ${status})` : ''}`;
  },
});
