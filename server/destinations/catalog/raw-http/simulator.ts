/** For tests: a tool not in the catalog, taking JSON at /ingest with a bearer token. */
import { json, startPartnerSim } from '../test-partner-sim.ts';

export const RAW_TOKEN = 'Bearer sk_test_4eC39HqLyjWDarjtT1zdp7dc';

export function startRawTool() {
  return startPartnerSim((req) => {
    if (req.path !== '/ingest') return json(404, { error: 'no such route' });
    if (req.headers.authorization !== RAW_TOKEN) return json(401, { error: 'bad token' });
    try {
      JSON.parse(req.body);
    } catch {
      return json(400, { error: 'body is not JSON' });
    }
    return json(202, { queued: true });
  });
}
