import type { Metadata } from 'next';
import { OverviewScreen } from '@/components/overview/overview-screen.tsx';
import { requireWorkspace, workspacePath } from '../../_server/page-session.ts';

export const metadata: Metadata = { title: 'Overview' };

/** The workspace home: the last 24 hours and what needs attention. */
export default async function WorkspaceHomePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await requireWorkspace(slug, workspacePath(slug));
  return <OverviewScreen />;
}
