'use client';

/**
 * Delivery health: the overview per source (received → rejected → blocked, and how many of
 * the blocked a replay released since → stored) and per
 * destination (filtered → attempted → delivered / retrying / discarded / archived) for a
 * range, then the workspace's status-code charts.
 */
import { useQuery } from '@tanstack/react-query';
import { Pane, Table, Text, Tooltip } from 'evergreen-ui';
import Link from 'next/link';
import { useState, type ReactNode } from 'react';
import { Card } from '../common/card.tsx';
import { PageHeader } from '../common/page-header.tsx';
import { Loading, QueryError } from '../common/states.tsx';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { useTRPC } from '../trpc/provider.tsx';
import type { TDeliveryState } from '../trpc/types.ts';
import { RangePicker } from './range-picker.tsx';
import { rangeLabel, type TRangeValue } from './range.ts';
import { StatusCharts } from './status-charts.tsx';

const n = (value: number) => value.toLocaleString('en-US');

function Num({ value, href, tone, reasons, testId }: { value: number; href?: string; tone?: 'bad' | 'good' | 'warn'; reasons?: Array<{ reason: string; count: number }>; testId?: string }) {
  const color = value === 0 ? '#8f95b2' : tone === 'bad' ? '#A73636' : tone === 'good' ? '#317159' : tone === 'warn' ? '#996A13' : '#101840';
  let content: ReactNode = <Text size={400} fontWeight={600} color={color} data-testid={testId}>{n(value)}</Text>;
  if (href && value > 0) content = <Link href={href} style={{ textDecoration: 'none' }}>{content}</Link>;
  if (reasons && reasons.length > 0) content = <Tooltip content={reasons.map((r) => `${r.reason}: ${n(r.count)}`).join(' · ')}><span>{content}</span></Tooltip>;
  return content;
}

function Overview({ range }: { range: TRangeValue }) {
  const trpc = useTRPC();
  const { workspace, href } = useWorkspace();
  const overview = useQuery({ ...trpc.traces.overview.queryOptions({ workspaceId: workspace.id, range }), refetchInterval: 30_000 });
  if (overview.isPending) return <Loading label="Loading the overview…" />;
  if (overview.isError) return <QueryError error={overview.error} onRetry={() => overview.refetch()} />;
  const { sources, destinations } = overview.data;
  const sourceName = new Map(sources.map((s) => [s.sourceId, s.name]));
  const search = (sourceId: string) => `${href('events')}?range=${range}&sourceId=${sourceId}`;
  const sum = (list: Array<{ count: number }>) => list.reduce((total, e) => total + e.count, 0);
  return (
    <Pane display="flex" flexDirection="column" gap={20}>
      <Table background="white" border="1px solid #E6E8F0" borderRadius={8} data-testid="overview-sources">
        <Table.Head height={40}>
          <Table.TextHeaderCell flexBasis={240} flexGrow={0}>Source</Table.TextHeaderCell>
          <Table.TextHeaderCell>Received</Table.TextHeaderCell>
          <Table.TextHeaderCell>Rejected at ingest</Table.TextHeaderCell>
          <Table.TextHeaderCell>Blocked by a stage</Table.TextHeaderCell>
          <Table.TextHeaderCell>Stored</Table.TextHeaderCell>
        </Table.Head>
        <Table.Body>
          {sources.length === 0 && <Table.Row><Table.TextCell>No source yet.</Table.TextCell></Table.Row>}
          {sources.map((s) => (
            <Table.Row key={s.sourceId} height={52} data-testid="overview-source">
              <Table.Cell flexBasis={240} flexGrow={0}><Link href={href('sources', s.sourceId)} style={{ color: '#2952CC', textDecoration: 'none', fontSize: 14, fontWeight: 500 }}>{s.name}</Link></Table.Cell>
              <Table.Cell><Num value={s.received} href={search(s.sourceId)} /></Table.Cell>
              <Table.Cell><Num value={sum(s.rejected)} tone="bad" reasons={s.rejected} /></Table.Cell>
              <Table.Cell>
                <Pane>
                  <Num value={sum(s.dropped)} tone="warn" reasons={s.dropped} href={search(s.sourceId)} testId="overview-blocked" />
                  {s.released > 0 && <Text size={300} color="muted" display="block" data-testid="overview-released">{n(s.released)} released by replay</Text>}
                </Pane>
              </Table.Cell>
              <Table.Cell><Num value={s.stored} href={search(s.sourceId)} testId="overview-stored" /></Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table>
      <Table background="white" border="1px solid #E6E8F0" borderRadius={8} data-testid="overview-destinations">
        <Table.Head height={40}>
          <Table.TextHeaderCell flexBasis={240} flexGrow={0}>Destination</Table.TextHeaderCell>
          <Table.TextHeaderCell>Filtered out</Table.TextHeaderCell>
          <Table.TextHeaderCell>First attempts</Table.TextHeaderCell>
          <Table.TextHeaderCell>Delivered</Table.TextHeaderCell>
          <Table.TextHeaderCell>Retrying now</Table.TextHeaderCell>
          <Table.TextHeaderCell>Discarded</Table.TextHeaderCell>
          <Table.TextHeaderCell>Archived</Table.TextHeaderCell>
        </Table.Head>
        <Table.Body>
          {destinations.length === 0 && <Table.Row><Table.TextCell>No destination yet.</Table.TextCell></Table.Row>}
          {destinations.map((d) => {
            const charts = `${href('destinations', d.destinationId)}#status-codes`;
            // Each step opens the search on the events in that state at this destination.
            const events = (state: TDeliveryState) => `${href('events')}?range=${range}&destinationId=${d.destinationId}&state=${state}`;
            return (
              <Table.Row key={d.destinationId} height={56} data-testid="overview-destination">
                <Table.Cell flexBasis={240} flexGrow={0}>
                  <Pane>
                    <Link href={href('destinations', d.destinationId)} style={{ color: '#2952CC', textDecoration: 'none', fontSize: 14, fontWeight: 500 }}>{d.name}</Link>
                    <Text size={300} color="muted" display="block">from {sourceName.get(d.sourceId) ?? 'a deleted source'}</Text>
                  </Pane>
                </Table.Cell>
                <Table.Cell><Num value={sum(d.filtered)} reasons={d.filtered} href={events('filtered')} testId="overview-filtered" /></Table.Cell>
                <Table.Cell><Num value={d.firstAttempts} href={charts} /></Table.Cell>
                <Table.Cell><Num value={d.delivered} tone="good" href={events('delivered')} testId="overview-delivered" /></Table.Cell>
                <Table.Cell><Num value={d.retryingNow} tone="warn" href={events('retrying')} testId="overview-retrying" /></Table.Cell>
                <Table.Cell><Num value={d.discarded} tone="bad" href={events('discarded')} testId="overview-discarded" /></Table.Cell>
                <Table.Cell><Num value={d.archived} tone="warn" href={events('archived')} testId="overview-archived" /></Table.Cell>
              </Table.Row>
            );
          })}
        </Table.Body>
      </Table>
    </Pane>
  );
}

export function HealthScreen() {
  const [range, setRange] = useState<TRangeValue>('24h');
  return (
    <>
      <PageHeader title="Delivery health" description="Where events went: how many arrived per source, what was refused or filtered, and how every destination answered." />
      <Pane display="flex" flexDirection="column" gap={20}>
        <Card title="Overview" description={`The ${rangeLabel(range).toLowerCase()}, counted per hour. Numbers open the events behind them (first attempts open the destination’s status codes); hover a count to see its reasons.`} actions={<RangePicker value={range} onChange={setRange} />} testId="overview">
          <Overview range={range} />
        </Card>
        <StatusCharts title="Status codes, all destinations" />
      </Pane>
    </>
  );
}
