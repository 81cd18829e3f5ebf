import type { Metadata } from 'next';
import { MembersScreen } from '@/components/members/members-screen.tsx';
import { requireWorkspace, workspacePath } from '../../../../_server/page-session.ts';

export const metadata: Metadata = { title: 'Members' };

export default async function MembersPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { user } = await requireWorkspace(slug, workspacePath(slug, 'settings', 'members'));
  return <MembersScreen currentUserId={user.id} />;
}
