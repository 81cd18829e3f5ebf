'use client';

/**
 * One source: its write keys and settings (Overview) and the destinations it feeds. The
 * tab list is where further views of the source (such as a live event debugger) belong.
 */
import { useQuery } from '@tanstack/react-query';
import { Pane, Tab, Tablist } from 'evergreen-ui';
import { usePathname, useRouter } from 'next/navigation';
import { useState } from 'react';
import { formatDate } from '../common/format.ts';
import { PageHeader } from '../common/page-header.tsx';
import { ReadOnlyHint } from '../common/roles.tsx';
import { Loading, QueryError } from '../common/states.tsx';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { useTRPC } from '../trpc/provider.tsx';
import { SourceDestinations } from './source-destinations.tsx';
import { SourceSettingsCard } from './source-settings-card.tsx';
import { EnabledBadge } from './sources-table.tsx';
import { WriteKeysCard } from './write-keys-card.tsx';

export type TSourceTab = 'overview' | 'destinations';

export function SourceDetail({ sourceId, initialTab }: { sourceId: string; initialTab: TSourceTab }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const { workspace, href } = useWorkspace();
  const [tab, setTab] = useState<TSourceTab>(initialTab);
  const source = useQuery(trpc.sources.get.queryOptions({ workspaceId: workspace.id, sourceId }));

  function selectTab(next: TSourceTab) {
    setTab(next);
    router.replace(next === 'overview' ? pathname : `${pathname}?tab=${next}`, { scroll: false });
  }

  if (source.isPending) return <Loading label="Loading source…" />;
  if (source.isError) return <QueryError error={source.error} onRetry={() => source.refetch()} />;
  const data = source.data;

  const tabs: { id: TSourceTab; label: string }[] = [
    { id: 'overview', label: 'Overview' },
    { id: 'destinations', label: `Destinations (${data.destinationCount})` },
  ];

  return (
    <>
      <PageHeader
        crumbs={[{ label: 'Sources', href: href('sources') }]}
        title={data.name}
        description={`Slug ${data.slug} · created ${formatDate(data.createdAt)}`}
        actions={<EnabledBadge isEnabled={data.enabled} />}
      />
      <ReadOnlyHint what="sources" />
      <Tablist marginBottom={20} borderBottom="1px solid #E6E8F0">
        {tabs.map((t) => (
          <Tab key={t.id} id={t.id} appearance="primary" paddingY={10} fontSize={14} isSelected={tab === t.id} onSelect={() => selectTab(t.id)} aria-controls={`panel-${t.id}`}>
            {t.label}
          </Tab>
        ))}
      </Tablist>
      {tab === 'overview' && (
        <Pane id="panel-overview" role="tabpanel" display="flex" flexDirection="column" gap={20}>
          <WriteKeysCard source={data} />
          <SourceSettingsCard source={data} />
        </Pane>
      )}
      {tab === 'destinations' && (
        <Pane id="panel-destinations" role="tabpanel">
          <SourceDestinations source={data} />
        </Pane>
      )}
    </>
  );
}
