/**
 * For tests: GA4's Measurement Protocol as documented. `/mp/collect` answers 204 to
 * anything (it never says what it dropped); `/debug/mp/collect`, the validation server,
 * answers 200 with `validationMessages` (here: a missing api_secret, a missing client_id,
 * event names that are not letters/digits/underscores or use a reserved prefix).
 */
import { json, startPartnerSim } from '../test-partner-sim.ts';

const RESERVED = [/^firebase_/, /^google_/, /^ga_/];

export function startGa4() {
  return startPartnerSim((req) => {
    if (req.method !== 'POST') return json(405, {});
    if (req.path === '/mp/collect') return { status: 204, body: '' };
    if (req.path !== '/debug/mp/collect') return json(404, {});
    const messages: Array<Record<string, unknown>> = [];
    let body: { client_id?: unknown; events?: Array<{ name?: unknown }> } = {};
    try {
      body = JSON.parse(req.body) as typeof body;
    } catch {
      messages.push({ fieldPath: '', description: 'Unable to parse the request body as JSON.', validationCode: 'VALUE_INVALID' });
    }
    if (!req.query.get('api_secret')) messages.push({ fieldPath: 'api_secret', description: 'Measurement Protocol API secret is required.', validationCode: 'VALUE_REQUIRED' });
    if (!body.client_id) messages.push({ fieldPath: 'client_id', description: 'client_id is required.', validationCode: 'VALUE_REQUIRED' });
    (body.events ?? []).forEach((event, i) => {
      const name = String(event.name ?? '');
      if (!/^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(name)) messages.push({ fieldPath: `events[${i}].name`, description: `Event at index: [${i}] has invalid name [${name}]. Only alphanumeric characters and underscores are allowed.`, validationCode: 'NAME_INVALID' });
      else if (RESERVED.some((r) => r.test(name))) messages.push({ fieldPath: `events[${i}].name`, description: `Event at index: [${i}] has name [${name}] which is reserved.`, validationCode: 'NAME_RESERVED' });
    });
    return json(200, { validationMessages: messages });
  });
}
