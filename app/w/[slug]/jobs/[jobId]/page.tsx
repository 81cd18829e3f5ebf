import { redirect } from 'next/navigation';
import { orNotFound, requireUuid } from '../../../../_server/lookups.ts';
import { pageCaller, requireWorkspace, workspacePath } from '../../../../_server/page-session.ts';

/** A delivery job's attempts live on its event's trace: go there. */
export default async function JobPage({ params }: { params: Promise<{ slug: string; jobId: string }> }) {
  const { slug, jobId } = await params;
  const { workspace } = await requireWorkspace(slug, workspacePath(slug, 'jobs', jobId));
  const { eventId } = await orNotFound((await pageCaller()).traces.eventOfJob({ workspaceId: workspace.id, jobId: requireUuid(jobId) }));
  redirect(workspacePath(slug, 'events', eventId));
}
