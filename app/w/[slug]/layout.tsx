import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { AppShell } from '@/components/shell/app-shell.tsx';
import { currentUser, myWorkspaces } from '../../_server/page-session.ts';

/**
 * The app shell around every workspace page. A signed-out visitor gets no shell: each page
 * redirects to sign-in itself, with its own path as the callback.
 */
export default async function WorkspaceLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const user = await currentUser();
  if (!user) return <>{children}</>;
  const workspaces = await myWorkspaces();
  const workspace = workspaces.find((w) => w.slug === slug);
  if (!workspace) notFound();
  return <AppShell value={{ workspace, workspaces, user: { name: user.name, email: user.email } }}>{children}</AppShell>;
}
