import type { Metadata } from 'next';
import { DestinationDetail, type TDestinationTab } from '@/components/destinations/destination-detail.tsx';
import { DELIVERY_DEFAULTS } from '@/server/destinations/delivery-tuning.ts';
import { orNotFound, requireUuid } from '../../../../_server/lookups.ts';
import { pageCaller, requireWorkspace, workspacePath } from '../../../../_server/page-session.ts';

export const metadata: Metadata = { title: 'Destination' };

// Values exported by a client module are references on the server: the list lives here.
const TABS: TDestinationTab[] = ['overview', 'filters'];

export default async function DestinationPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string; destinationId: string }>;
  searchParams: Promise<{ tab?: string; test?: string }>;
}) {
  const { slug, destinationId } = await params;
  const { tab, test } = await searchParams;
  const initialTab = TABS.find((t) => t === tab) ?? 'overview';
  const path = workspacePath(slug, 'destinations', destinationId);
  const { workspace } = await requireWorkspace(slug, initialTab === 'overview' ? path : `${path}?tab=${initialTab}`);
  await orNotFound((await pageCaller()).destinations.get({ workspaceId: workspace.id, destinationId: requireUuid(destinationId) }));
  return <DestinationDetail destinationId={destinationId} defaults={DELIVERY_DEFAULTS} isTestOpen={test === '1'} initialTab={initialTab} />;
}
