import type { Metadata } from 'next';
import { DestinationDetail } from '@/components/destinations/destination-detail.tsx';
import { DELIVERY_DEFAULTS } from '@/server/destinations/delivery-tuning.ts';
import { orNotFound, requireUuid } from '../../../../_server/lookups.ts';
import { pageCaller, requireWorkspace, workspacePath } from '../../../../_server/page-session.ts';

export const metadata: Metadata = { title: 'Destination' };

export default async function DestinationPage({ params }: { params: Promise<{ slug: string; destinationId: string }> }) {
  const { slug, destinationId } = await params;
  const { workspace } = await requireWorkspace(slug, workspacePath(slug, 'destinations', destinationId));
  await orNotFound((await pageCaller()).destinations.get({ workspaceId: workspace.id, destinationId: requireUuid(destinationId) }));
  return <DestinationDetail destinationId={destinationId} defaults={DELIVERY_DEFAULTS} />;
}
