'use client';

/** The audit log: newest first, filtered by action prefix, paged with "Load older entries". */
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, DocumentIcon, Pane, SearchInput, Text } from 'evergreen-ui';
import { useEffect, useState, type ChangeEvent } from 'react';
import { PageHeader } from '../common/page-header.tsx';
import { Empty, Loading, QueryError } from '../common/states.tsx';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { useTRPC } from '../trpc/provider.tsx';
import { AuditTable } from './audit-table.tsx';
import { useFieldId } from '../common/use-field-id.ts';

const QUICK_FILTERS = [
  { label: 'All', prefix: '' },
  { label: 'Sources', prefix: 'source.' },
  { label: 'Destinations', prefix: 'destination.' },
  { label: 'Members', prefix: 'member.' },
  { label: 'Invites', prefix: 'invite.' },
  { label: 'API tokens', prefix: 'api_token.' },
];

export function AuditScreen() {
  const fieldId = useFieldId();
  const trpc = useTRPC();
  const { workspace } = useWorkspace();
  const [text, setText] = useState('');
  const [action, setAction] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setAction(text.trim()), 300);
    return () => clearTimeout(timer);
  }, [text]);
  const log = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      { workspaceId: workspace.id, limit: 50, action: action || undefined },
      { getNextPageParam: (page) => page.nextCursor },
    ),
  );
  const entries = log.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <>
      <PageHeader title="Audit log" description="Every change a person or an API token made in this workspace: who, in which role, from where, and what it looked like before and after." />
      <Pane display="flex" alignItems="center" gap={12} marginBottom={16} flexWrap="wrap">
        <SearchInput id={fieldId('f1')}
          placeholder="Action starts with… e.g. source.write_key"
          value={text}
          onChange={(e: ChangeEvent<HTMLInputElement>) => setText(e.target.value)}
          width={320}
          aria-label="Filter by action prefix"
        />
        <Pane display="flex" gap={4} flexWrap="wrap">
          {QUICK_FILTERS.map((filter) => (
            <Button key={filter.label} size="small" appearance={action === filter.prefix ? 'primary' : 'default'} onClick={() => { setText(filter.prefix); setAction(filter.prefix); }}>
              {filter.label}
            </Button>
          ))}
        </Pane>
      </Pane>
      {log.isPending ? (
        <Loading label="Loading the audit log…" />
      ) : log.isError ? (
        <QueryError error={log.error} onRetry={() => log.refetch()} />
      ) : entries.length === 0 ? (
        <Empty icon={<DocumentIcon color="#8f95b2" />} title={action ? `No entries for “${action}”` : 'Nothing recorded yet'} description={action ? 'Try a shorter prefix, or clear the filter.' : 'Changes to sources, destinations, members and tokens appear here.'} />
      ) : (
        <>
          <AuditTable entries={entries} />
          <Pane display="flex" justifyContent="center" alignItems="center" gap={12} marginTop={16}>
            {log.hasNextPage ? (
              <Button onClick={() => log.fetchNextPage()} isLoading={log.isFetchingNextPage}>Load older entries</Button>
            ) : (
              <Text size={300} color="muted">{`${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} · that's all`}</Text>
            )}
          </Pane>
        </>
      )}
    </>
  );
}
