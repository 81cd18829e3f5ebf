import type { Metadata } from 'next';
import { PlanDetail } from '@/components/tracking-plans/plan-detail.tsx';
import { orNotFound, requireUuid } from '../../../../_server/lookups.ts';
import { pageCaller, requireWorkspace, workspacePath } from '../../../../_server/page-session.ts';

export const metadata: Metadata = { title: 'Tracking plan' };

export default async function TrackingPlanPage({ params }: { params: Promise<{ slug: string; trackingPlanId: string }> }) {
  const { slug, trackingPlanId } = await params;
  const { workspace } = await requireWorkspace(slug, workspacePath(slug, 'tracking-plans', trackingPlanId));
  await orNotFound((await pageCaller()).trackingPlans.get({ workspaceId: workspace.id, trackingPlanId: requireUuid(trackingPlanId) }));
  return <PlanDetail trackingPlanId={trackingPlanId} />;
}
