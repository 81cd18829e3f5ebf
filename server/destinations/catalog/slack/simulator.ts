/**
 * For tests: a Slack incoming webhook as documented. The secret path names the hook;
 * the body is JSON with a non-empty `text`. Slack answers in plain text: `ok`, or
 * `invalid_payload`, `no_text`, `no_service` (unknown hook, 404), `channel_is_archived`
 * (410) when `archive()`d.
 */
import { startPartnerSim, text } from '../test-partner-sim.ts';

export const SLACK_PATH = '/services/T0001TEST/B0002TEST/xYzSecretHookToken123456';

export async function startSlack() {
  let isArchived = false;
  const sim = await startPartnerSim((req) => {
    if (req.method !== 'POST' || req.path !== SLACK_PATH) return text(404, 'no_service');
    if (isArchived) return text(410, 'channel_is_archived');
    if (!String(req.headers['content-type']).startsWith('application/json')) return text(400, 'invalid_payload');
    let body: { text?: unknown };
    try {
      body = JSON.parse(req.body) as typeof body;
    } catch {
      return text(400, 'invalid_payload');
    }
    if (typeof body.text !== 'string' || body.text.trim() === '') return text(400, 'no_text');
    return text(200, 'ok');
  });
  return { ...sim, archive: (on: boolean) => { isArchived = on; } };
}
