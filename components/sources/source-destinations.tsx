'use client';

/** The destinations one source feeds, on the source's Destinations tab. */
import { useQuery } from '@tanstack/react-query';
import { Button, Pane, PlusIcon, SendToIcon } from 'evergreen-ui';
import { useRouter } from 'next/navigation';
import { Empty, Loading, QueryError } from '../common/states.tsx';
import { DestinationsTable } from '../destinations/destinations-table.tsx';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { useTRPC } from '../trpc/provider.tsx';
import type { TSource } from '../trpc/types.ts';

export function SourceDestinations({ source }: { source: TSource }) {
  const trpc = useTRPC();
  const router = useRouter();
  const { workspace, canEdit, href } = useWorkspace();
  const destinations = useQuery(trpc.destinations.list.queryOptions({ workspaceId: workspace.id, sourceId: source.id }));
  const addButton = canEdit ? (
    <Button appearance="primary" iconBefore={PlusIcon} onClick={() => router.push(`${href('destinations', 'new')}?sourceId=${source.id}`)}>
      Add destination
    </Button>
  ) : null;

  if (destinations.isPending) return <Loading label="Loading destinations…" />;
  if (destinations.isError) return <QueryError error={destinations.error} onRetry={() => destinations.refetch()} />;
  if (destinations.data.length === 0) {
    return (
      <Empty
        icon={<SendToIcon color="#3366FF" />}
        iconBgColor="#EBF0FF"
        title={`No destinations for ${source.name} yet`}
        description={canEdit ? 'Add a webhook to deliver this source’s events somewhere.' : 'An editor or admin can add one.'}
        action={addButton}
      />
    );
  }
  return (
    <>
      {addButton && (
        <Pane display="flex" justifyContent="flex-end" marginBottom={12}>
          {addButton}
        </Pane>
      )}
      <DestinationsTable destinations={destinations.data} isSourceShown={false} />
    </>
  );
}
