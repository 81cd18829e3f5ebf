import { db } from '@/server/db/client.ts';
import { handleRestRequest } from '@/server/rest/dispatch.ts';

export const dynamic = 'force-dynamic';

async function handler(req: Request, { params }: { params: Promise<{ path: string[] }> }) {
  const { path } = await params;
  return handleRestRequest({ req, db: db(), path: `/${path.join('/')}` });
}

export { handler as GET, handler as POST, handler as PATCH, handler as DELETE, handler as PUT };
