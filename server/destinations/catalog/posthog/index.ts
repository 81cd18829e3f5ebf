/**
 * PostHog, capture API (`POST /batch/`, one event per batch for now): cloud US or EU, or
 * a self-hosted instance through `endpoint`. track → the event; identify → `$identify`
 * with `$set`; page → `$pageview`; screen → `$screen`; group → `$groupidentify`; alias →
 * `$create_alias`. Answers: 200 `{"status":"Ok"}` (or `{"status":1}`); 400 a validation
 * error; 401 an invalid project API key; 413; 503 while PostHog is overloaded.
 */
import { z } from 'zod';
import { definePartner } from '../define.ts';
import { contextValue, endpointField, genericReading, jsonBody, regionField, secretField, str } from '../fields.ts';

const REGIONS = { us: 'https://us.i.posthog.com', eu: 'https://eu.i.posthog.com' };

const ZPostHogSettings = z.object({
  projectApiKey: secretField('Project API key', 'In PostHog: Project settings → Project API key (starts with phc_).', { placeholder: 'phc_…' }),
  region: regionField(['us', 'eu'], ['US Cloud', 'EU Cloud'], 'Your PostHog Cloud region. For a self-hosted PostHog, set the endpoint under advanced settings.'),
  endpoint: endpointField(REGIONS.us, 'Your PostHog host: the cloud region\'s by default, or your self-hosted instance\'s address.'),
});

export const posthog = definePartner({
  type: 'posthog',
  name: 'PostHog',
  category: 'product analytics',
  logo: '/catalog/posthog.svg',
  description: 'Product analytics, cloud or self-hosted.',
  about:
    'Captures each event in PostHog: track calls as events, page calls as $pageview, screen calls as $screen, identify calls as $identify with the traits set on the person, group calls as $groupidentify and alias calls as $create_alias. Works with PostHog Cloud (US or EU) and with a self-hosted PostHog.',
  supports: ['track', 'identify', 'page', 'screen', 'group', 'alias'],
  docsUrl: 'https://posthog.com/docs/api/capture',
  settings: ZPostHogSettings,
  regions: REGIONS,
  buildRequest(input, settings) {
    const event = input.json;
    const distinctId = event.userId ?? event.anonymousId ?? '';
    const base: Record<string, unknown> = { ...(str(contextValue(event, 'ip')) ? { $ip: str(contextValue(event, 'ip')) } : {}), $lib: 'switchyard' };
    let name: string;
    let properties: Record<string, unknown>;
    let distinct = distinctId;
    switch (event.type) {
      case 'track':
        name = event.event ?? 'Event';
        properties = { ...base, ...event.properties };
        break;
      case 'identify':
        name = '$identify';
        properties = { ...base, $set: event.traits ?? {}, ...(event.anonymousId && event.userId ? { $anon_distinct_id: event.anonymousId } : {}) };
        break;
      case 'page':
        name = '$pageview';
        properties = { ...base, ...event.properties, $current_url: str(event.properties?.url) ?? str(contextValue(event, 'page.url')), ...(event.name ? { title: event.name } : {}) };
        break;
      case 'screen':
        name = '$screen';
        properties = { ...base, ...event.properties, $screen_name: event.name };
        break;
      case 'group': {
        const groupType = str(event.traits?.group_type) ?? 'company';
        name = '$groupidentify';
        properties = { ...base, $group_type: groupType, $group_key: event.groupId, $group_set: event.traits ?? {} };
        break;
      }
      case 'alias':
        name = '$create_alias';
        distinct = event.previousId ?? distinctId;
        properties = { ...base, alias: event.userId ?? distinctId };
        break;
    }
    return {
      method: 'POST',
      url: `${settings.endpoint}/batch/`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ api_key: settings.projectApiKey, batch: [{ event: name, distinct_id: distinct, properties, timestamp: event.timestamp, uuid: /^[0-9a-f-]{36}$/i.test(event.messageId) ? event.messageId : undefined }] }),
    };
  },
  readResponse({ status, body }) {
    const answer = jsonBody(body);
    const detail = str(answer?.detail);
    if (status === 200) return { explanation: 'PostHog captured the event' };
    if (status === 401) return { explanation: `PostHog says the project API key is invalid${detail ? ` (${detail})` : ''}. Copy it from Project settings in PostHog.` };
    if (status === 400) return { explanation: `PostHog rejected the event${detail ? `: ${detail}` : ''}` };
    return genericReading('PostHog', status, detail);
  },
});
