/**
 * For tests: HubSpot's custom behavioral events endpoint as documented: `POST
 * /events/v3/send`, Bearer private app token, JSON with eventName (a defined event),
 * one of email/utk/objectId, properties. Answers 204; 400 VALIDATION_ERROR for an unknown
 * event; 401 INVALID_AUTHENTICATION; 403 MISSING_SCOPES for a token without the scope.
 */
import { json, startPartnerSim } from '../test-partner-sim.ts';

export const HUBSPOT_TOKEN = 'pat-na1-11111111-2222-3333-4444-555555555555';
export const HUBSPOT_UNSCOPED = 'pat-na1-99999999-0000-0000-0000-000000000000';
export const HUBSPOT_EVENTS = ['pe2468_order_completed'];

export function startHubSpot() {
  return startPartnerSim((req) => {
    if (req.method !== 'POST' || req.path !== '/events/v3/send') return json(404, { status: 'error', message: 'Not found', category: 'OBJECT_NOT_FOUND' });
    const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (token === HUBSPOT_UNSCOPED) {
      return json(403, { status: 'error', message: 'This app hasn\'t been granted all required scopes to make this call.', correlationId: 'c0ffee00-0000-4000-8000-000000000001', category: 'MISSING_SCOPES' });
    }
    if (token !== HUBSPOT_TOKEN) {
      return json(401, { status: 'error', message: 'Authentication credentials not found. This API supports OAuth 2.0 authentication.', correlationId: 'c0ffee00-0000-4000-8000-000000000002', category: 'INVALID_AUTHENTICATION' });
    }
    const body = JSON.parse(req.body) as { eventName?: string; email?: string; utk?: string; objectId?: string };
    if (!HUBSPOT_EVENTS.includes(String(body.eventName))) {
      return json(400, { status: 'error', message: `Event definition ${String(body.eventName)} not found.`, correlationId: 'c0ffee00-0000-4000-8000-000000000003', category: 'VALIDATION_ERROR' });
    }
    if (!body.email && !body.utk && !body.objectId) return json(400, { status: 'error', message: 'One of email, utk or objectId is required.', category: 'VALIDATION_ERROR' });
    return { status: 204, body: '' };
  });
}
