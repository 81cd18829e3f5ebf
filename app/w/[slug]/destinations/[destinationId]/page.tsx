import type { Metadata } from 'next';
import { DestinationDetail, type TDestinationTab } from '@/components/destinations/destination-detail.tsx';
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
  const caller = await pageCaller();
  await orNotFound(caller.destinations.get({ workspaceId: workspace.id, destinationId: requireUuid(destinationId) }));
  const defaults = await caller.destinations.deliveryDefaults({ workspaceId: workspace.id });
  return <DestinationDetail destinationId={destinationId} defaults={defaults} isTestOpen={test === '1'} initialTab={initialTab} />;
}
