import type { Metadata } from 'next';
import { AccountScreen } from '@/components/account/account-screen.tsx';
import { requireWorkspace, workspacePath } from '../../../_server/page-session.ts';

export const metadata: Metadata = { title: 'Your account' };

export default async function AccountPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await requireWorkspace(slug, workspacePath(slug, 'account'));
  return <AccountScreen />;
}
