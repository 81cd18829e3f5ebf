import type { Metadata } from 'next';
import { DestinationDetail } from '@/components/destinations/destination-detail.tsx';
import { db } from '@/server/db/client.ts';
import { DELIVERY_DEFAULTS } from '@/server/destinations/delivery-tuning.ts';
import { getDestination } from '@/server/destinations/destinations.ts';
import { orNotFound, requireUuid } from '../../../../_server/lookups.ts';
import { requireWorkspace, workspacePath } from '../../../../_server/page-session.ts';

export const metadata: Metadata = { title: 'Destination' };

export default async function DestinationPage({ params }: { params: Promise<{ slug: string; destinationId: string }> }) {
  const { slug, destinationId } = await params;
  const { workspace } = await requireWorkspace(slug, workspacePath(slug, 'destinations', destinationId));
  await orNotFound(getDestination({ db: db(), workspaceId: workspace.id, destinationId: requireUuid(destinationId) }));
  return <DestinationDetail destinationId={destinationId} defaults={DELIVERY_DEFAULTS} />;
}
