/**
 * Mixpanel, Import API (`POST /import?strict=1`): events as a JSON array (one per request
 * for now), authenticated with a service account (HTTP Basic, `project_id` in the query)
 * or the project's token (HTTP Basic user name, empty password). `time` in milliseconds,
 * `$insert_id` from the message ID so retries deduplicate. A 400 is per-record validation
 * (`failed_records`); 401 bad credentials; 413; 429 rate limited. Identify calls go to the
 * Engage API (`POST /engage`, `$set`), which answers 200 with `status` 1 or 0.
 */
import { z } from 'zod';
import { definePartner } from '../define.ts';
import { contextValue, endpointField, epochMs, genericReading, jsonBody, regionField, secretField, str, viewedName } from '../fields.ts';
import { skip, type TBuiltRequest, type TReading, type TSegmentEvent, type TSkip } from '../types.ts';

const REGIONS = { us: 'https://api.mixpanel.com', eu: 'https://api-eu.mixpanel.com', india: 'https://api-in.mixpanel.com' };

const ZMixpanelSettings = z.object({
  projectToken: secretField('Project token', 'In Mixpanel: Settings → Project Settings → Access Keys → Project Token.'),
  serviceAccountUsername: z.string().trim().max(200).optional().meta({ title: 'Service account user name', description: 'Optional. A service account (Organization Settings → Service Accounts) instead of the project token for authentication.', 'x-advanced': true }),
  serviceAccountSecret: z.string().trim().max(200).optional().meta({ title: 'Service account secret', description: 'The service account\'s secret, if you use one.', 'x-secret': true, 'x-advanced': true }),
  projectId: z.string().trim().regex(/^\d*$/, 'must be the numeric project ID').max(20).optional().meta({ title: 'Project ID', description: 'Needed with a service account: Settings → Project Settings → Project ID.', 'x-advanced': true }),
  region: regionField(['us', 'eu', 'india'], ['US', 'EU residency', 'India residency'], 'Where your Mixpanel project keeps its data.'),
  endpoint: endpointField(REGIONS.us),
  gdprToken: z.string().trim().max(500).optional().meta({
    title: 'GDPR API token',
    description: 'Optional: needed only to forward privacy deletions (Mixpanel\'s GDPR API). A project owner or admin makes it under Profile & Preferences → Data & Privacy; it expires after a year.',
    'x-secret': true,
    'x-advanced': true,
  }),
}).refine((s) => !s.serviceAccountUsername || (s.serviceAccountSecret && s.projectId), { message: 'A service account needs its secret and the project ID', path: ['serviceAccountSecret'] });

/** The GDPR API is on the application hosts, not the ingestion ones; a custom endpoint (a proxy, a test server) takes both. */
const GDPR_HOSTS: Record<string, string> = { [REGIONS.us]: 'https://mixpanel.com', [REGIONS.eu]: 'https://eu.mixpanel.com', [REGIONS.india]: 'https://in.mixpanel.com' };
/** Mixpanel takes up to 2,000 distinct IDs per deletion task. */
const DELETION_BATCH = 2000;

/** Segment's reserved traits → Mixpanel's reserved profile properties; other traits keep their names. */
const PROFILE_TRAITS: Record<string, string> = { email: '$email', name: '$name', firstName: '$first_name', lastName: '$last_name', phone: '$phone', avatar: '$avatar', createdAt: '$created' };

/**
 * identify → Engage API "Set Property" (`POST /engage`, profile-set): the traits set on the
 * profile whose distinct_id is the user ID (the one /import events carry). The project
 * token in the body authenticates it; `verbose=1` makes Mixpanel say why it refused an
 * update (it answers 200 either way). `$ip` is the user's, so Mixpanel does not place the
 * profile where Switchyard runs (0 without one: no geolocation).
 */
function profileSet(event: TSegmentEvent, settings: { endpoint: string; projectToken: string }): TBuiltRequest | TSkip {
  if (!event.userId) return skip('Mixpanel keeps user profiles for identified users, and this identify call has no user ID (only an anonymous ID)');
  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event.traits ?? {})) set[PROFILE_TRAITS[key] ?? key] = value;
  return {
    method: 'POST',
    url: `${settings.endpoint}/engage?verbose=1`,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify([{ $token: settings.projectToken, $distinct_id: event.userId, $ip: str(contextValue(event, 'ip')) ?? '0', $set: set }]),
  };
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export const mixpanel = definePartner({
  type: 'mixpanel',
  name: 'Mixpanel',
  category: 'product analytics',
  logo: '/catalog/mixpanel.svg',
  description: 'Product analytics: events, funnels and cohorts.',
  about:
    'Imports each track call into Mixpanel as an event with its properties, and page and screen calls as “Viewed … Page/Screen” events. The user ID (or anonymous ID) becomes distinct_id and the message ID becomes $insert_id, so a retried event is counted once. Identify calls set their traits on the user\'s Mixpanel profile (email, name, first and last name and phone as Mixpanel\'s own profile properties). Mixpanel checks every event strictly and says exactly which property it rejected.',
  supports: ['track', 'identify', 'page', 'screen'],
  docsUrl: 'https://developer.mixpanel.com/reference/import-events',
  settings: ZMixpanelSettings,
  regions: REGIONS,
  buildRequest(input, settings) {
    const event = input.json;
    if (event.type === 'identify') return profileSet(event, settings);
    if (event.type !== 'track' && event.type !== 'page' && event.type !== 'screen') {
      return skip(`Mixpanel has no ${event.type} call for this destination: /import takes events and /engage user profiles (identify calls)`);
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
    // /engage answers 200 even when it refuses the update: {"status":1|0,"error":…} (verbose), or 1 / 0.
    const profileStatus = typeof answer?.status === 'number' ? answer.status : body.trim() === '1' || body.trim() === '0' ? Number(body.trim()) : undefined;
    if (status === 200 && profileStatus === 1) return { explanation: 'Mixpanel updated the user profile' };
    if (status === 200 && profileStatus === 0) return { verdict: 'discard', explanation: `Mixpanel refused the profile update${error ? `: ${error}` : ''}` };
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
    if (status === 413) return { explanation: `Mixpanel says the request is too large${error ? ` (${error})` : ''}: an event may be at most 1 MB of JSON` };
    if (status === 429) return { explanation: `Mixpanel is rate limiting this project${error ? ` (${error})` : ''}; the event will be retried` };
    return genericReading('Mixpanel', status, error);
  },
  // Up to 50 events per /import request (or profile updates per /engage request). Mixpanel
  // ingests what passes and lists what failed: a 400 with failed_records settles each event,
  // the listed ones discarded in Mixpanel's words, the rest delivered. Every other answer is
  // the same for all of them.
  batch: {
    max: 50,
    merge(requests) {
      return { ...requests[0], body: `[${requests.map((r) => r.body.slice(1, -1)).join(',')}]` };
    },
    readBatch({ status, body }, count): TReading[] | null {
      if (status !== 400) return null;
      const answer = jsonBody(body);
      const failed = Array.isArray(answer?.failed_records) ? (answer.failed_records as Array<Record<string, unknown>>) : null;
      // (A batch's answer is read up to 64 KB, room for the failed records of all 50 events.)
      if (!answer || !failed?.length) return null;
      const byIndex = new Map(failed.map((record) => [Number(record.index), record]));
      return Array.from({ length: count }, (_, i): TReading => {
        const record = byIndex.get(i);
        if (!record) return { verdict: 'succeeded', explanation: `Mixpanel imported the event; it rejected ${byIndex.size} other${byIndex.size === 1 ? '' : 's'} sent with it` };
        const field = str(record.field)?.replace(/^properties\./, '');
        return { verdict: 'discard', explanation: `Mixpanel rejected ${field ? `property \`${field}\`` : 'the event'}: ${str(record.message) ?? 'failed validation'}` };
      });
    },
  },
  // Privacy deletions: the GDPR API's "Create a Deletion" (POST /api/app/data-deletions/v3.0/
  // ?token=<project token>, Bearer GDPR OAuth token, up to 2,000 distinct IDs), which deletes
  // the events and the profile of each distinct ID. Events were sent with the user ID (or the
  // anonymous ID) as distinct_id and the anonymous ID as $device_id, so both kinds are sent.
  deleteUser(subject, settings) {
    if (!settings.gdprToken) return skip('Mixpanel deletes users only through its GDPR API, which needs a GDPR API token: add one under this destination\'s advanced settings to forward deletions');
    const distinctIds = [...subject.userIds, ...subject.anonymousIds];
    if (distinctIds.length === 0) return skip('the subject has no user ID or anonymous ID, which Mixpanel deletes by');
    const url = `${GDPR_HOSTS[settings.endpoint] ?? settings.endpoint}/api/app/data-deletions/v3.0/?token=${encodeURIComponent(settings.projectToken)}`;
    const headers = { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${settings.gdprToken}` };
    const calls = [];
    for (let i = 0; i < distinctIds.length; i += DELETION_BATCH) calls.push({ method: 'POST' as const, url, headers, body: JSON.stringify({ distinct_ids: distinctIds.slice(i, i + DELETION_BATCH), compliance_type: 'GDPR' }) });
    return calls;
  },
  readDeletion({ body }) {
    const results = jsonBody(body)?.results as Record<string, unknown> | undefined;
    const task = str(results?.task_id) ?? (typeof results?.task_id === 'number' ? String(results.task_id) : undefined);
    return task ? `Mixpanel created deletion task ${task}` : 'Mixpanel accepted the deletion';
  },
});
