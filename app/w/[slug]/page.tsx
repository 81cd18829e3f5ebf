import { redirect } from 'next/navigation';
import { requireWorkspace, workspacePath } from '../../_server/page-session.ts';

export default async function WorkspaceHomePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await requireWorkspace(slug, workspacePath(slug));
  redirect(workspacePath(slug, 'sources'));
}
