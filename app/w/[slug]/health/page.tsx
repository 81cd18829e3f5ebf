import type { Metadata } from 'next';
import { HealthScreen } from '@/components/traces/health-screen.tsx';
import { requireWorkspace, workspacePath } from '../../../_server/page-session.ts';

export const metadata: Metadata = { title: 'Delivery health' };

export default async function HealthPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await requireWorkspace(slug, workspacePath(slug, 'health'));
  return <HealthScreen />;
}
