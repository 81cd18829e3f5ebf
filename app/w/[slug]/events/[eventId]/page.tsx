import type { Metadata } from 'next';
import { TraceScreen } from '@/components/traces/trace-screen.tsx';
import { orNotFound, requireUuid } from '../../../../_server/lookups.ts';
import { pageCaller, requireWorkspace, workspacePath } from '../../../../_server/page-session.ts';

export const metadata: Metadata = { title: 'Event trace' };

export default async function EventTracePage({ params }: { params: Promise<{ slug: string; eventId: string }> }) {
  const { slug, eventId } = await params;
  const { workspace } = await requireWorkspace(slug, workspacePath(slug, 'events', eventId));
  await orNotFound((await pageCaller()).traces.get({ workspaceId: workspace.id, eventId: requireUuid(eventId) }));
  return <TraceScreen eventId={eventId} />;
}
