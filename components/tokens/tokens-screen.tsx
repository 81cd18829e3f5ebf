'use client';

/** API tokens for the REST API: create (shown once), list, revoke. */
import { useQuery } from '@tanstack/react-query';
import { Button, KeyIcon, PlusIcon } from 'evergreen-ui';
import { useState } from 'react';
import { PageHeader } from '../common/page-header.tsx';
import { Empty, Loading, QueryError } from '../common/states.tsx';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { useTRPC } from '../trpc/provider.tsx';
import { CreateTokenDialog } from './create-token-dialog.tsx';
import { TokensTable } from './tokens-table.tsx';

export function TokensScreen({ baseUrl }: { baseUrl: string }) {
  const trpc = useTRPC();
  const { workspace } = useWorkspace();
  const [isCreating, setIsCreating] = useState(false);
  const tokens = useQuery(trpc.tokens.list.queryOptions({ workspaceId: workspace.id }));
  const createButton = (
    <Button appearance="primary" iconBefore={PlusIcon} onClick={() => setIsCreating(true)}>
      Create token
    </Button>
  );

  return (
    <>
      <PageHeader
        title="API tokens"
        description={`Tokens let scripts and CI configure ${workspace.name} through the REST API at /api/v1. Each token acts with one role.`}
        actions={tokens.data && tokens.data.length > 0 ? createButton : null}
      />
      {tokens.isPending ? (
        <Loading label="Loading tokens…" />
      ) : tokens.isError ? (
        <QueryError error={tokens.error} onRetry={() => tokens.refetch()} />
      ) : tokens.data.length === 0 ? (
        <Empty
          icon={<KeyIcon color="#3366FF" />}
          iconBgColor="#EBF0FF"
          title="No API tokens yet"
          description="Create one to manage sources and destinations from code, for example to keep your setup in version control."
          action={createButton}
        />
      ) : (
        <TokensTable tokens={tokens.data} />
      )}
      <CreateTokenDialog isShown={isCreating} onClose={() => setIsCreating(false)} baseUrl={baseUrl} />
    </>
  );
}
