'use client';

/** One destination: what it does, on/off, edit and delete (Overview tab), and its filters (Filters tab). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, EditIcon, Pane, Switch, Tab, Tablist, Text, TrashIcon, toaster } from 'evergreen-ui';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useId, useState, type ChangeEvent } from 'react';
import { ConfirmDialog } from '../common/confirm-dialog.tsx';
import { PageHeader } from '../common/page-header.tsx';
import { ReadOnlyHint } from '../common/roles.tsx';
import { Loading, QueryError } from '../common/states.tsx';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { errorMessage } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';
import type { TDeliveryTuning } from '../trpc/types.ts';
import { ActivityCard } from './activity-card.tsx';
import { DestinationEdit } from './destination-edit.tsx';
import { typeInfo, useDestinationTypes } from './catalog/use-destination-types.ts';
import { DestinationOverview } from './destination-overview.tsx';
import { PartnerEdit } from './partner-edit.tsx';
import { TestEventCard } from './test-event-card.tsx';
import { ReplayCard } from './replay-card.tsx';
import { FiltersTab } from '../filters/filters-tab.tsx';
import { StatusCharts } from '../traces/status-charts.tsx';

export type TDestinationTab = 'overview' | 'filters';

export function DestinationDetail({ destinationId, defaults, isTestOpen = false, initialTab = 'overview' }: { destinationId: string; defaults: TDeliveryTuning; isTestOpen?: boolean; initialTab?: TDestinationTab }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const [tab, setTab] = useState<TDestinationTab>(initialTab);
  function selectTab(next: TDestinationTab) {
    setTab(next);
    router.replace(next === 'overview' ? pathname : `${pathname}?tab=${next}`, { scroll: false });
  }
  const queryClient = useQueryClient();
  const { workspace, canEdit, href } = useWorkspace();
  const switchId = useId();
  const [isEditing, setIsEditing] = useState(false);
  const [isDeleting, setIsDeleting] = useState(false);
  const ids = { workspaceId: workspace.id, destinationId };
  const destination = useQuery(trpc.destinations.get.queryOptions(ids));
  const types = useDestinationTypes();
  const toggle = useMutation(
    trpc.destinations.update.mutationOptions({
      onSuccess: async (updated) => {
        toaster.success(updated.enabled ? 'Destination enabled' : 'Destination disabled', {
          description: updated.enabled ? 'New events are delivered to it again.' : 'New events are not delivered to it until you enable it again.',
        });
        queryClient.setQueryData(trpc.destinations.get.queryKey(ids), updated);
        await queryClient.invalidateQueries(trpc.destinations.list.queryFilter());
      },
      onError: (error) => toaster.danger('The destination could not be changed', { description: errorMessage(error) }),
    }),
  );
  const remove = useMutation(
    trpc.destinations.delete.mutationOptions({
      onSuccess: async () => {
        toaster.success('Destination deleted');
        await queryClient.invalidateQueries(trpc.destinations.pathFilter());
        await queryClient.invalidateQueries(trpc.sources.pathFilter());
        router.push(href('destinations'));
      },
      onError: (error) => toaster.danger('The destination could not be deleted', { description: errorMessage(error) }),
    }),
  );

  if (destination.isPending) return <Loading label="Loading destination…" />;
  if (destination.isError) return <QueryError error={destination.error} onRetry={() => destination.refetch()} />;
  const data = destination.data;

  return (
    <>
      <PageHeader
        crumbs={[{ label: 'Destinations', href: href('destinations') }]}
        title={data.name}
        description={
          <>
            {data.typeLabel} · events from{' '}
            <Link href={href('sources', data.sourceId)} style={{ color: '#2952CC' }}>
              {data.sourceName}
            </Link>
          </>
        }
        actions={
          canEdit && !isEditing ? (
            <>
              <Button iconBefore={EditIcon} onClick={() => { setIsEditing(true); selectTab('overview'); }}>Edit</Button>
              <Button iconBefore={TrashIcon} intent="danger" onClick={() => setIsDeleting(true)}>Delete</Button>
            </>
          ) : null
        }
      />
      <ReadOnlyHint what="destinations" />
      <Tablist marginBottom={20} borderBottom="1px solid #E6E8F0">
        {(['overview', 'filters'] as const).map((id) => (
          <Tab key={id} id={`tab-${id}`} appearance="primary" paddingY={10} fontSize={14} isSelected={tab === id} onSelect={() => selectTab(id)} aria-controls={`panel-${id}`}>
            {id === 'overview' ? 'Overview' : 'Filters'}
          </Tab>
        ))}
      </Tablist>
      {tab === 'filters' && (
        <Pane id="panel-filters" role="tabpanel">
          <FiltersTab destinationId={destinationId} />
        </Pane>
      )}
      {tab === 'overview' && (
        <Pane id="panel-overview" role="tabpanel">
          <Pane display="flex" alignItems="center" gap={12} background="white" border="1px solid #E6E8F0" borderRadius={8} paddingX={24} paddingY={16} marginBottom={20}>
            <Switch
              checked={data.enabled}
              disabled={!canEdit || toggle.isPending}
              onChange={(e: ChangeEvent<HTMLInputElement>) => toggle.mutate({ ...ids, enabled: e.target.checked })}
              id={switchId}
              data-testid="destination-enabled"
            />
            <Pane>
              <Text is="label" htmlFor={switchId} fontWeight={600} display="block">{data.enabled ? 'Enabled: events are delivered' : 'Disabled: events are not delivered'}</Text>
              <Text size={300} color="muted">
                {data.enabled ? `Turn it off to pause deliveries to ${data.type === 'webhook' ? 'this webhook' : data.typeLabel} without losing its settings.` : `Turn it on to deliver new events to ${data.type === 'webhook' ? 'this webhook' : data.typeLabel} again.`}
              </Text>
            </Pane>
          </Pane>
          <Pane display="flex" flexDirection="column" gap={20}>
            {isTestOpen && <TestEventCard destination={data} isOpen />}
            <ActivityCard destination={data} />
            <StatusCharts destinationId={data.id} />
            {isEditing && data.type === 'webhook' ? (
              <DestinationEdit destination={data} defaults={defaults} onDone={() => setIsEditing(false)} />
            ) : isEditing && typeInfo(types.data?.data, data.type) ? (
              <PartnerEdit destination={data} info={typeInfo(types.data?.data, data.type)!} onDone={() => setIsEditing(false)} />
            ) : (
              <DestinationOverview destination={data} defaults={defaults} />
            )}
            {!isTestOpen && <TestEventCard destination={data} />}
            <ReplayCard destination={data} />
          </Pane>
        </Pane>
      )}
      <ConfirmDialog
        isShown={isDeleting}
        title={`Delete “${data.name}”?`}
        confirmLabel="Delete destination"
        isConfirming={remove.isPending}
        onClose={() => setIsDeleting(false)}
        onConfirm={() => remove.mutate(ids)}
      >
        {`Events from ${data.sourceName} will no longer be delivered to ${data.type === 'webhook' ? data.endpoint : data.typeLabel}. Its settings${data.type === 'webhook' ? ' and signing secret' : ' and credentials'} are deleted. This cannot be undone.`}
      </ConfirmDialog>
    </>
  );
}
