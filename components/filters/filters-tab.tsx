'use client';

/** A destination's filters, in the order they run: move them up and down, turn them on and off, edit, delete, add. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AddIcon, ArrowDownIcon, ArrowUpIcon, Badge, Button, EditIcon, FilterIcon, IconButton, Pane, Switch, Table, Text, TrashIcon, toaster } from 'evergreen-ui';
import { useState, type ChangeEvent } from 'react';
import { Card } from '../common/card.tsx';
import { ConfirmDialog } from '../common/confirm-dialog.tsx';
import { Empty, Loading, QueryError } from '../common/states.tsx';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { errorMessage } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';
import type { TFilter, TFilterAction } from '../trpc/types.ts';
import { FilterEditor } from './filter-editor.tsx';

export function describeAction(action: TFilterAction): string {
  switch (action.type) {
    case 'drop': return 'Drop the event';
    case 'sample': return `Keep ${Math.round(action.percent * 10_000) / 100} % (by ${action.path ?? 'messageId'})`;
    case 'drop_properties': return `Remove ${action.paths.join(', ')}`;
    case 'allow_properties': return `Keep only ${action.paths.join(', ')}`;
  }
}

const ORDER_NOTE = 'Filters run top to bottom on every new event routed here. The first one that drops the event (or samples it out) ends the list; property changes add up and apply to what is sent.';

export function FiltersTab({ destinationId }: { destinationId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { workspace, canEdit } = useWorkspace();
  const [editing, setEditing] = useState<TFilter | 'new' | null>(null);
  const [deleting, setDeleting] = useState<TFilter | null>(null);
  const filters = useQuery(trpc.filters.list.queryOptions({ workspaceId: workspace.id, destinationId }));
  const refresh = () => queryClient.invalidateQueries(trpc.filters.list.queryFilter());
  const toggle = useMutation(
    trpc.filters.update.mutationOptions({
      onSuccess: async (updated) => {
        toaster.success(updated.enabled ? `“${updated.title}” is on` : `“${updated.title}” is off`);
        await refresh();
      },
      onError: (error) => toaster.danger('The filter could not be changed', { description: errorMessage(error) }),
    }),
  );
  const remove = useMutation(
    trpc.filters.delete.mutationOptions({
      onSuccess: async () => {
        toaster.success('Filter deleted');
        setDeleting(null);
        await refresh();
      },
      onError: (error) => toaster.danger('The filter could not be deleted', { description: errorMessage(error) }),
    }),
  );

  const reorder = useMutation(
    trpc.filters.reorder.mutationOptions({
      onSuccess: async () => {
        toaster.success('Order saved', { description: 'New events go through the filters in this order within seconds.' });
        await refresh();
      },
      onError: async (error) => {
        toaster.danger('The order could not be saved', { description: errorMessage(error) });
        await refresh();
      },
    }),
  );
  /** Swaps the filter at `index` with its neighbour (`by` −1: up, +1: down) and saves the whole order. */
  function move(index: number, by: -1 | 1) {
    const ids = (filters.data?.data ?? []).map((f) => f.id);
    [ids[index], ids[index + by]] = [ids[index + by], ids[index]];
    reorder.mutate({ workspaceId: workspace.id, destinationId, filterIds: ids });
  }

  if (editing) return <FilterEditor destinationId={destinationId} filter={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />;
  if (filters.isPending) return <Loading label="Loading filters…" />;
  if (filters.isError) return <QueryError error={filters.error} onRetry={() => filters.refetch()} />;
  const rows = filters.data.data;
  const addButton = canEdit ? <Button appearance="primary" iconBefore={AddIcon} onClick={() => setEditing('new')}>Add filter</Button> : null;

  if (rows.length === 0) {
    return (
      <Empty
        title="No filters yet"
        description={`Every event routed to this destination is sent as it arrived. Add a filter to drop events, send a sample, or remove properties (such as e-mail addresses) before they leave. ${ORDER_NOTE}`}
        icon={<FilterIcon color="#8F95B2" />}
        action={addButton}
      />
    );
  }

  return (
    <Card title="Filters" description={ORDER_NOTE} actions={addButton} testId="filters-card">
      <Table>
        <Table.Head height={36} paddingX={24}>
          <Table.TextHeaderCell flexBasis={40} flexGrow={0}>#</Table.TextHeaderCell>
          <Table.TextHeaderCell flexGrow={2}>Filter</Table.TextHeaderCell>
          <Table.TextHeaderCell flexGrow={3}>When</Table.TextHeaderCell>
          <Table.TextHeaderCell flexGrow={2}>Then</Table.TextHeaderCell>
          <Table.TextHeaderCell flexBasis={canEdit ? 240 : 80} flexGrow={0}>On</Table.TextHeaderCell>
        </Table.Head>
        <Table.Body>
          {rows.map((filter, index) => (
            <Table.Row key={filter.id} height="auto" minHeight={56} paddingX={24} paddingY={10} data-testid="filter-row">
              <Table.TextCell flexBasis={40} flexGrow={0}>{index + 1}</Table.TextCell>
              <Table.Cell flexGrow={2} minWidth={0}>
                <Text size={300} fontWeight={600}>{filter.title}</Text>
              </Table.Cell>
              <Table.Cell flexGrow={3} minWidth={0}>
                <Text size={300} fontFamily="mono" style={{ overflowWrap: 'anywhere' }} data-testid="filter-condition">{filter.if}</Text>
              </Table.Cell>
              <Table.Cell flexGrow={2} minWidth={0}>
                <Text size={300} style={{ overflowWrap: 'anywhere' }}>{describeAction(filter.action)}</Text>
              </Table.Cell>
              <Table.Cell flexBasis={canEdit ? 240 : 80} flexGrow={0} gap={4}>
                {canEdit ? (
                  <>
                    <Switch
                      checked={filter.enabled}
                      disabled={toggle.isPending}
                      aria-label={`${filter.title} enabled`}
                      onChange={(e: ChangeEvent<HTMLInputElement>) => toggle.mutate({ workspaceId: workspace.id, filterId: filter.id, enabled: e.target.checked })}
                      marginRight={12}
                    />
                    <IconButton icon={ArrowUpIcon} appearance="minimal" aria-label={`Move ${filter.title} up`} disabled={index === 0 || reorder.isPending} onClick={() => move(index, -1)} />
                    <IconButton icon={ArrowDownIcon} appearance="minimal" aria-label={`Move ${filter.title} down`} disabled={index === rows.length - 1 || reorder.isPending} onClick={() => move(index, 1)} />
                    <IconButton icon={EditIcon} appearance="minimal" aria-label={`Edit ${filter.title}`} onClick={() => setEditing(filter)} />
                    <IconButton icon={TrashIcon} appearance="minimal" intent="danger" aria-label={`Delete ${filter.title}`} onClick={() => setDeleting(filter)} />
                  </>
                ) : (
                  <Badge color={filter.enabled ? 'green' : 'neutral'}>{filter.enabled ? 'on' : 'off'}</Badge>
                )}
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
      <Pane height={8} />
      <ConfirmDialog
        isShown={deleting !== null}
        title={`Delete “${deleting?.title ?? ''}”?`}
        confirmLabel="Delete filter"
        isConfirming={remove.isPending}
        onClose={() => setDeleting(null)}
        onConfirm={() => deleting && remove.mutate({ workspaceId: workspace.id, filterId: deleting.id })}
      >
        New events will no longer go through this filter. Events already received keep what it decided.
      </ConfirmDialog>
    </Card>
  );
}
