'use client';

/**
 * One source: its write keys and settings (Overview), its live event stream (Debugger) and
 * the destinations it feeds. Each tab has its own URL (`?tab=debugger`).
 */
import { useQuery } from '@tanstack/react-query';
import { Pane, Tab, Tablist } from 'evergreen-ui';
import { usePathname, useRouter } from 'next/navigation';
import { useState } from 'react';
import { formatDate } from '../common/format.ts';
import { SourceDebugger } from '../debugger/source-debugger.tsx';
import { PageHeader } from '../common/page-header.tsx';
import { ReadOnlyHint } from '../common/roles.tsx';
import { Loading, QueryError } from '../common/states.tsx';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { useTRPC } from '../trpc/provider.tsx';
import { SourceDestinations } from './source-destinations.tsx';
import { SourceSettingsCard } from './source-settings-card.tsx';
import { EnabledBadge } from './sources-table.tsx';
import { WriteKeysCard } from './write-keys-card.tsx';

export type TSourceTab = 'overview' | 'debugger' | 'destinations';

/** `publicUrl` is the install's base URL from the server, for the debugger's example commands. */
export function SourceDetail({ sourceId, initialTab, publicUrl }: { sourceId: string; initialTab: TSourceTab; publicUrl: string }) {
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
    { id: 'debugger', label: 'Debugger' },
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
      {tab === 'debugger' && (
        <Pane id="panel-debugger" role="tabpanel">
          <SourceDebugger source={data} publicUrl={publicUrl} />
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
