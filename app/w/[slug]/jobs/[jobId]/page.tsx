import { redirect } from 'next/navigation';
import { db } from '@/server/db/client.ts';
import { findEventOfJob } from '@/server/traces/trace.ts';
import { orNotFound, requireUuid } from '../../../../_server/lookups.ts';
import { requireWorkspace, workspacePath } from '../../../../_server/page-session.ts';

/** A delivery job's attempts live on its event's trace: go there. */
export default async function JobPage({ params }: { params: Promise<{ slug: string; jobId: string }> }) {
  const { slug, jobId } = await params;
  const { workspace } = await requireWorkspace(slug, workspacePath(slug, 'jobs', jobId));
  const eventId = await orNotFound(findEventOfJob({ db: db(), workspaceId: workspace.id, jobId: requireUuid(jobId) }));
  redirect(workspacePath(slug, 'events', eventId));
}
