import type { Metadata } from 'next';
import { AdminOnly } from '@/components/common/roles.tsx';
import { AuditScreen } from '@/components/audit/audit-screen.tsx';
import { requireWorkspace, workspacePath } from '../../../../_server/page-session.ts';

export const metadata: Metadata = { title: 'Audit log' };

export default async function AuditPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { workspace } = await requireWorkspace(slug, workspacePath(slug, 'settings', 'audit'));
  if (workspace.role !== 'admin') return <AdminOnly title="Audit log" />;
  return <AuditScreen />;
}
