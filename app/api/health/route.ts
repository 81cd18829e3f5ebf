import { db } from '../../../server/db/client.ts';
import { checkHealth } from '../../../server/health/health.ts';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** 200 when the database and a delivery worker are up, 503 otherwise; the body says which. */
export async function GET(): Promise<Response> {
  const health = await checkHealth({ db: db() });
  return Response.json(health, {
    status: health.status === 'ok' ? 200 : 503,
    headers: { 'cache-control': 'no-store' },
  });
}
