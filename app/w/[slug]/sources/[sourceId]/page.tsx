import type { Metadata } from 'next';
import { SourceDetail, type TSourceTab } from '@/components/sources/source-detail.tsx';
import { db } from '@/server/db/client.ts';
import { getSource } from '@/server/sources/sources.ts';
import { orNotFound, requireUuid } from '../../../../_server/lookups.ts';
import { requireWorkspace, workspacePath } from '../../../../_server/page-session.ts';

export const metadata: Metadata = { title: 'Source' };

const TABS: TSourceTab[] = ['overview', 'destinations'];

export default async function SourcePage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string; sourceId: string }>;
  searchParams: Promise<{ tab?: string }>;
}) {
  const { slug, sourceId } = await params;
  const { tab } = await searchParams;
  const { workspace } = await requireWorkspace(slug, workspacePath(slug, 'sources', sourceId));
  await orNotFound(getSource({ db: db(), workspaceId: workspace.id, sourceId: requireUuid(sourceId) }));
  const initialTab = TABS.find((t) => t === tab) ?? 'overview';
  return <SourceDetail sourceId={sourceId} initialTab={initialTab} />;
}
