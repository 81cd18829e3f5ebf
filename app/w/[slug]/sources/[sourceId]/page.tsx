import type { Metadata } from 'next';
import { SourceDetail, type TSourceTab } from '@/components/sources/source-detail.tsx';
import { publicUrl } from '@/server/env.ts';
import { orNotFound, requireUuid } from '../../../../_server/lookups.ts';
import { pageCaller, requireWorkspace, workspacePath } from '../../../../_server/page-session.ts';

export const metadata: Metadata = { title: 'Source' };

// Values exported by a client module are references on the server: the list lives here.
const TABS: TSourceTab[] = ['overview', 'debugger', 'destinations'];

export default async function SourcePage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string; sourceId: string }>;
  searchParams: Promise<{ tab?: string }>;
}) {
  const { slug, sourceId } = await params;
  const { tab } = await searchParams;
  const initialTab = TABS.find((t) => t === tab) ?? 'overview';
  const path = workspacePath(slug, 'sources', sourceId);
  // A signed-out visitor comes back to the same tab after signing in.
  const { workspace } = await requireWorkspace(slug, initialTab === 'overview' ? path : `${path}?tab=${initialTab}`);
  await orNotFound((await pageCaller()).sources.get({ workspaceId: workspace.id, sourceId: requireUuid(sourceId) }));
  return <SourceDetail sourceId={sourceId} initialTab={initialTab} publicUrl={publicUrl()} />;
}
