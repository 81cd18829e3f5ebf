import type { Metadata } from 'next';
import { Suspense } from 'react';
import { SearchScreen } from '@/components/traces/search-screen.tsx';
import { requireWorkspace, workspacePath } from '../../../_server/page-session.ts';

export const metadata: Metadata = { title: 'Event search' };

export default async function EventSearchPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await requireWorkspace(slug, workspacePath(slug, 'events'));
  return (
    <Suspense fallback={null}>
      <SearchScreen />
    </Suspense>
  );
}
