import type { Metadata } from 'next';
import { AdminOnly } from '@/components/common/roles.tsx';
import { TokensScreen } from '@/components/tokens/tokens-screen.tsx';
import { publicUrl } from '@/server/env.ts';
import { requireWorkspace, workspacePath } from '../../../../_server/page-session.ts';

export const metadata: Metadata = { title: 'API tokens' };

export default async function TokensPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { workspace } = await requireWorkspace(slug, workspacePath(slug, 'settings', 'tokens'));
  if (workspace.role !== 'admin') return <AdminOnly title="API tokens" />;
  return <TokensScreen baseUrl={publicUrl()} />;
}
