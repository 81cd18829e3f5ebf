'use client';

/** Every destination in the workspace, across sources. */
import { useQuery } from '@tanstack/react-query';
import { Button, PlusIcon, SendToIcon } from 'evergreen-ui';
import { useRouter } from 'next/navigation';
import { PageHeader } from '../common/page-header.tsx';
import { ReadOnlyHint } from '../common/roles.tsx';
import { Empty, Loading, QueryError } from '../common/states.tsx';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { useTRPC } from '../trpc/provider.tsx';
import { DestinationsTable } from './destinations-table.tsx';

export function DestinationsScreen() {
  const trpc = useTRPC();
  const router = useRouter();
  const { workspace, canEdit, href } = useWorkspace();
  const destinations = useQuery(trpc.destinations.list.queryOptions({ workspaceId: workspace.id }));
  const sources = useQuery(trpc.sources.list.queryOptions({ workspaceId: workspace.id }));
  const hasSources = (sources.data?.length ?? 0) > 0;

  const addButton =
    canEdit && hasSources ? (
      <Button appearance="primary" iconBefore={PlusIcon} onClick={() => router.push(href('destinations', 'new'))}>
        Add destination
      </Button>
    ) : null;

  return (
    <>
      <PageHeader
        title="Destinations"
        description="Where Switchyard delivers your events. Each destination receives the events of one source and retries through outages."
        actions={destinations.data && destinations.data.length > 0 ? addButton : null}
      />
      <ReadOnlyHint what="destinations" />
      {destinations.isPending || sources.isPending ? (
        <Loading label="Loading destinations…" />
      ) : destinations.isError ? (
        <QueryError error={destinations.error} onRetry={() => destinations.refetch()} />
      ) : destinations.data.length === 0 ? (
        hasSources ? (
          <Empty
            icon={<SendToIcon color="#3366FF" />}
            iconBgColor="#EBF0FF"
            title="No destinations yet"
            description={canEdit ? 'Add a webhook to start delivering events from your sources.' : 'An editor or admin can add one.'}
            action={addButton}
          />
        ) : (
          <Empty
            icon={<SendToIcon color="#3366FF" />}
            iconBgColor="#EBF0FF"
            title="No destinations yet"
            description="Destinations receive the events of a source. Create a source first."
            action={<Button onClick={() => router.push(href('sources'))}>Go to sources</Button>}
          />
        )
      ) : (
        <DestinationsTable destinations={destinations.data} />
      )}
    </>
  );
}
