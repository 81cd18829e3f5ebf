/**
 * Mixpanel, Import API (`POST /import?strict=1`): events as a JSON array (one per request
 * for now), authenticated with a service account (HTTP Basic, `project_id` in the query)
 * or the project's token (HTTP Basic user name, empty password). `time` in milliseconds,
 * `$insert_id` from the message ID so retries deduplicate. A 400 is per-record validation
 * (`failed_records`); 401 bad credentials; 413; 429 rate limited.
 */
import { z } from 'zod';
import { definePartner } from '../define.ts';
import { contextValue, endpointField, epochMs, genericReading, jsonBody, regionField, secretField, str, viewedName } from '../fields.ts';
import { skip } from '../types.ts';

const REGIONS = { us: 'https://api.mixpanel.com', eu: 'https://api-eu.mixpanel.com', india: 'https://api-in.mixpanel.com' };

const ZMixpanelSettings = z.object({
  projectToken: secretField('Project token', 'In Mixpanel: Settings → Project Settings → Access Keys → Project Token.'),
  serviceAccountUsername: z.string().trim().max(200).optional().meta({ title: 'Service account user name', description: 'Optional. A service account (Organization Settings → Service Accounts) instead of the project token for authentication.', 'x-advanced': true }),
  serviceAccountSecret: z.string().trim().max(200).optional().meta({ title: 'Service account secret', description: 'The service account\'s secret, if you use one.', 'x-secret': true, 'x-advanced': true }),
  projectId: z.string().trim().regex(/^\d*$/, 'must be the numeric project ID').max(20).optional().meta({ title: 'Project ID', description: 'Needed with a service account: Settings → Project Settings → Project ID.', 'x-advanced': true }),
  region: regionField(['us', 'eu', 'india'], ['US', 'EU residency', 'India residency'], 'Where your Mixpanel project keeps its data.'),
  endpoint: endpointField(REGIONS.us),
}).refine((s) => !s.serviceAccountUsername || (s.serviceAccountSecret && s.projectId), { message: 'A service account needs its secret and the project ID', path: ['serviceAccountSecret'] });

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export const mixpanel = definePartner({
  type: 'mixpanel',
  name: 'Mixpanel',
  category: 'product analytics',
  logo: '/catalog/mixpanel.svg',
  description: 'Product analytics: events, funnels and cohorts.',
  about:
    'Imports each track call into Mixpanel as an event with its properties, and page and screen calls as “Viewed … Page/Screen” events. The user ID (or anonymous ID) becomes distinct_id and the message ID becomes $insert_id, so a retried event is counted once. Mixpanel checks every event strictly and says exactly which property it rejected.',
  supports: ['track', 'page', 'screen'],
  docsUrl: 'https://developer.mixpanel.com/reference/import-events',
  settings: ZMixpanelSettings,
  regions: REGIONS,
  buildRequest(input, settings) {
    const event = input.json;
    if (event.type !== 'track' && event.type !== 'page' && event.type !== 'screen') {
      return skip(`Mixpanel's /import takes events only; a ${event.type} call would need its profile API, which this destination does not call`);
    }
    const name = event.type === 'track' ? event.event : viewedName(event);
    const properties = {
      ...event.properties,
      time: epochMs(event.timestamp),
      distinct_id: event.userId ?? event.anonymousId ?? '',
      $insert_id: event.messageId.slice(0, 36).replace(/[^A-Za-z0-9-]/g, '-'),
      ...(event.anonymousId ? { $device_id: event.anonymousId } : {}),
      ...(event.userId ? { $user_id: event.userId } : {}),
      ...(str(contextValue(event, 'ip')) ? { ip: str(contextValue(event, 'ip')) } : {}),
      token: settings.projectToken,
    };
    const useAccount = Boolean(settings.serviceAccountUsername && settings.serviceAccountSecret);
    return {
      method: 'POST',
      url: `${settings.endpoint}/import?strict=1${useAccount ? `&project_id=${encodeURIComponent(settings.projectId ?? '')}` : ''}`,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: useAccount ? basic(settings.serviceAccountUsername!, settings.serviceAccountSecret!) : basic(settings.projectToken, ''),
      },
      body: JSON.stringify([{ event: name, properties }]),
    };
  },
  readResponse({ status, body }) {
    const answer = jsonBody(body);
    const error = str(answer?.error);
    if (status === 200) return { explanation: `Mixpanel imported the event (${String(answer?.num_records_imported ?? 1)} record)` };
    if (status === 400) {
      const failed = Array.isArray(answer?.failed_records) ? (answer.failed_records as Array<Record<string, unknown>>) : [];
      if (failed.length) {
        const first = failed[0];
        const field = str(first.field)?.replace(/^properties\./, '');
        return { explanation: `Mixpanel rejected ${field ? `property \`${field}\`` : 'the event'}: ${str(first.message) ?? error ?? 'failed validation'}` };
      }
      return { explanation: `Mixpanel rejected the request${error ? `: ${error}` : ''}` };
    }
    if (status === 401) return { explanation: `Mixpanel says the credentials are invalid${error ? ` (${error})` : ''}. Check the project token, or the service account and project ID.` };
    if (status === 403) return { explanation: `Mixpanel refused access to this project${error ? ` (${error})` : ''}: the service account may not belong to it.` };
    return genericReading('Mixpanel', status, error);
  },
});
