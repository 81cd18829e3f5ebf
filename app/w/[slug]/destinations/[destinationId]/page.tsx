import type { Metadata } from 'next';
import { DestinationDetail } from '@/components/destinations/destination-detail.tsx';
import { DELIVERY_DEFAULTS } from '@/server/destinations/delivery-tuning.ts';
import { orNotFound, requireUuid } from '../../../../_server/lookups.ts';
import { pageCaller, requireWorkspace, workspacePath } from '../../../../_server/page-session.ts';

export const metadata: Metadata = { title: 'Destination' };

export default async function DestinationPage({ params, searchParams }: { params: Promise<{ slug: string; destinationId: string }>; searchParams: Promise<{ test?: string }> }) {
  const { slug, destinationId } = await params;
  const { test } = await searchParams;
  const { workspace } = await requireWorkspace(slug, workspacePath(slug, 'destinations', destinationId));
  await orNotFound((await pageCaller()).destinations.get({ workspaceId: workspace.id, destinationId: requireUuid(destinationId) }));
  return <DestinationDetail destinationId={destinationId} defaults={DELIVERY_DEFAULTS} isTestOpen={test === '1'} />;
}
