/**
 * The plan's typed client as a .ts file for the browser (the "Typed client" button is a plain
 * link here): read through the same procedure as REST's GET /tracking-plans/{id}/client.ts,
 * as the signed-in visitor, and sent the same way (server/rest/respond.ts).
 */
import { fileResponse } from '@/server/rest/respond.ts';
import { TYPESCRIPT_MEDIA_TYPE } from '@/server/tracking-plans/typed-client.ts';
import { orNotFound, requireUuid } from '../../../../../_server/lookups.ts';
import { pageCaller, requireWorkspace, workspacePath } from '../../../../../_server/page-session.ts';

export const dynamic = 'force-dynamic';

export async function GET(_req: Request, { params }: { params: Promise<{ slug: string; trackingPlanId: string }> }) {
  const { slug, trackingPlanId } = await params;
  const { workspace } = await requireWorkspace(slug, workspacePath(slug, 'tracking-plans', trackingPlanId));
  const file = await orNotFound((await pageCaller()).trackingPlans.client({ workspaceId: workspace.id, trackingPlanId: requireUuid(trackingPlanId) }));
  return fileResponse(file, TYPESCRIPT_MEDIA_TYPE);
}
