/**
 * Raw HTTP: a request templated by the person, for tools not in the catalog. The body is a
 * template whose `{{path}}` fields are filled in with the event's values as JSON; one
 * optional header carries a credential (kept secret). The shared retry table decides.
 */
import { z } from 'zod';
import { definePartner } from '../define.ts';
import { genericReading } from '../fields.ts';
import { renderJson } from '../template.ts';

const ZHeaderName = z.string().trim().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'is not a valid HTTP header name');

const ZRawHttpSettings = z.object({
  endpoint: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .max(2048)
    .meta({ title: 'URL', description: 'Where each event is sent.', placeholder: 'https://api.example.com/events' }),
  method: z.enum(['POST', 'PUT']).default('POST').meta({ title: 'Method', description: 'The HTTP method of each request.', 'x-labels': ['POST', 'PUT'] }),
  bodyTemplate: z.string().trim().min(2).max(10_000).default('{{.}}').meta({
    title: 'Body template',
    description: 'The JSON body. Each {{field}} becomes that field of the event as JSON, e.g. {"name": {{event}}, "user": {{userId}}, "plan": {{properties.plan}}}; {{.}} is the whole event.',
    'x-multiline': true,
  }),
  authHeaderName: ZHeaderName.default('Authorization').meta({ title: 'Credential header', description: 'The header that carries your credential.', 'x-advanced': true }),
  authHeaderValue: z.string().max(4096).refine((v) => !/[\r\n\0]/.test(v), 'must not contain line breaks').optional().meta({ title: 'Credential', description: 'Optional, e.g. "Bearer sk_live_…". Stored encrypted and shown masked.', 'x-secret': true }),
});

export const rawHttp = definePartner({
  type: 'raw-http',
  name: 'Raw HTTP',
  category: 'raw',
  logo: '/catalog/raw-http.svg',
  description: 'Templates a JSON request for a tool that is not in the catalog.',
  about:
    'Sends each event to a URL of your choice with a body you write as a template: pick the fields the tool expects from the event ({{event}}, {{userId}}, {{properties.plan}} …). Add a credential header if the tool needs one. Any 2xx answer counts as delivered; 429 and 5xx are retried; other answers are not.',
  supports: ['track', 'identify', 'page', 'screen', 'group', 'alias'],
  settings: ZRawHttpSettings,
  buildRequest(input, settings) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (settings.authHeaderValue) headers[settings.authHeaderName.toLowerCase()] = settings.authHeaderValue;
    return { method: settings.method, url: settings.endpoint, headers, body: renderJson(settings.bodyTemplate, input.json) };
  },
  readResponse({ status, body }) {
    return genericReading('The endpoint', status, body.trim().slice(0, 200) || undefined);
  },
});
