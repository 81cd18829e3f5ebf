import type { Metadata } from 'next';
import { CreateWorkspaceForm } from '@/components/workspaces/create-workspace-form.tsx';
import { myWorkspaces, requireUser } from '../../_server/page-session.ts';

export const metadata: Metadata = { title: 'Create workspace' };

export default async function NewWorkspacePage() {
  const user = await requireUser('/workspaces/new');
  const workspaces = await myWorkspaces();
  const [first] = workspaces;
  return <CreateWorkspaceForm backHref={first ? `/w/${encodeURIComponent(first.slug)}` : null} userEmail={user.email} />;
}
