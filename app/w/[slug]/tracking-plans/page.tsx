import type { Metadata } from 'next';
import { PlansScreen } from '@/components/tracking-plans/plans-screen.tsx';
import { requireWorkspace, workspacePath } from '../../../_server/page-session.ts';

export const metadata: Metadata = { title: 'Tracking plans' };

export default async function TrackingPlansPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await requireWorkspace(slug, workspacePath(slug, 'tracking-plans'));
  return <PlansScreen />;
}
