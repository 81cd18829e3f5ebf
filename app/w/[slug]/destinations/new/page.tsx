import type { Metadata } from 'next';
import { NewDestination } from '@/components/destinations/new-destination.tsx';
import { pageCaller, requireWorkspace, workspacePath } from '../../../../_server/page-session.ts';

export const metadata: Metadata = { title: 'Add destination' };

export default async function NewDestinationPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<{ sourceId?: string; type?: string }> }) {
  const { slug } = await params;
  const { sourceId, type } = await searchParams;
  const query = sourceId ? `?sourceId=${encodeURIComponent(sourceId)}` : '';
  const { workspace } = await requireWorkspace(slug, `${workspacePath(slug, 'destinations', 'new')}${query}`);
  const defaults = await (await pageCaller()).destinations.deliveryDefaults({ workspaceId: workspace.id });
  return <NewDestination initialSourceId={typeof sourceId === 'string' ? sourceId : null} type={typeof type === 'string' ? type : null} defaults={defaults} />;
}
