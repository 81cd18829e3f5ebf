import type { Metadata } from 'next';
import { TraceScreen } from '@/components/traces/trace-screen.tsx';
import { db } from '@/server/db/client.ts';
import { findEvent } from '@/server/traces/trace.ts';
import { orNotFound, requireUuid } from '../../../../_server/lookups.ts';
import { requireWorkspace, workspacePath } from '../../../../_server/page-session.ts';

export const metadata: Metadata = { title: 'Event trace' };

export default async function EventTracePage({ params }: { params: Promise<{ slug: string; eventId: string }> }) {
  const { slug, eventId } = await params;
  const { workspace } = await requireWorkspace(slug, workspacePath(slug, 'events', eventId));
  await orNotFound(findEvent({ db: db(), workspaceId: workspace.id, eventId: requireUuid(eventId) }));
  return <TraceScreen eventId={eventId} />;
}
