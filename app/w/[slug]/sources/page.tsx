import type { Metadata } from 'next';
import { SourcesScreen } from '@/components/sources/sources-screen.tsx';
import { requireWorkspace, workspacePath } from '../../../_server/page-session.ts';

export const metadata: Metadata = { title: 'Sources' };

export default async function SourcesPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await requireWorkspace(slug, workspacePath(slug, 'sources'));
  return <SourcesScreen />;
}
