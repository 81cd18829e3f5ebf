'use client';

/** All sources of the workspace, and creating one. */
import { useQuery } from '@tanstack/react-query';
import { Button, DataLineageIcon, PlusIcon } from 'evergreen-ui';
import { useState } from 'react';
import { PageHeader } from '../common/page-header.tsx';
import { ReadOnlyHint } from '../common/roles.tsx';
import { Empty, Loading, QueryError } from '../common/states.tsx';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { useTRPC } from '../trpc/provider.tsx';
import { CreateSourceDialog } from './create-source-dialog.tsx';
import { SourcesTable } from './sources-table.tsx';

export function SourcesScreen() {
  const trpc = useTRPC();
  const { workspace, canEdit } = useWorkspace();
  const [isCreating, setIsCreating] = useState(false);
  const sources = useQuery(trpc.sources.list.queryOptions({ workspaceId: workspace.id }));

  const createButton = canEdit ? (
    <Button appearance="primary" iconBefore={PlusIcon} onClick={() => setIsCreating(true)}>
      Create source
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title="Sources"
        description="A source is where events come from: a website, an app or a server. Each one has its own write key that your code sends events with."
        actions={sources.data && sources.data.length > 0 ? createButton : null}
      />
      <ReadOnlyHint what="sources" />
      {sources.isPending ? (
        <Loading label="Loading sources…" />
      ) : sources.isError ? (
        <QueryError error={sources.error} onRetry={() => sources.refetch()} />
      ) : sources.data.length === 0 ? (
        <Empty
          icon={<DataLineageIcon color="#3366FF" />}
          iconBgColor="#EBF0FF"
          title="No sources yet"
          description={canEdit ? 'Create one to get a write key, then send your first event to the tracking API.' : 'No sources yet. An editor or admin can create one.'}
          action={createButton}
        />
      ) : (
        <SourcesTable sources={sources.data} />
      )}
      <CreateSourceDialog isShown={isCreating} onClose={() => setIsCreating(false)} />
    </>
  );
}
