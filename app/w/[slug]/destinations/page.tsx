import type { Metadata } from 'next';
import { DestinationsScreen } from '@/components/destinations/destinations-screen.tsx';
import { requireWorkspace, workspacePath } from '../../../_server/page-session.ts';

export const metadata: Metadata = { title: 'Destinations' };

export default async function DestinationsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await requireWorkspace(slug, workspacePath(slug, 'destinations'));
  return <DestinationsScreen />;
}
