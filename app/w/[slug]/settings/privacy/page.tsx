import type { Metadata } from 'next';
import { AdminOnly } from '@/components/common/roles.tsx';
import { PrivacyScreen } from '@/components/privacy/privacy-screen.tsx';
import { requireWorkspace, workspacePath } from '../../../../_server/page-session.ts';

export const metadata: Metadata = { title: 'Privacy' };

export default async function PrivacyPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { workspace } = await requireWorkspace(slug, workspacePath(slug, 'settings', 'privacy'));
  if (workspace.role !== 'admin') return <AdminOnly title="Privacy" />;
  return <PrivacyScreen />;
}
