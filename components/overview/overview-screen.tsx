'use client';

/**
 * The workspace home: what a person checks every morning. Events received and delivered
 * over the last 24 hours, and the destinations that need attention, each with a link.
 */
import { useQuery } from '@tanstack/react-query';
import { Badge, Button, Heading, Pane, Paragraph, Strong, Text, TickCircleIcon } from 'evergreen-ui';
import Link from 'next/link';
import { Card } from '../common/card.tsx';
import { formatCount } from '../common/format.ts';
import { PageHeader } from '../common/page-header.tsx';
import { Loading, QueryError } from '../common/states.tsx';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { useTRPC } from '../trpc/provider.tsx';
import type { TWorkspaceOverview as TOverview } from '../trpc/types.ts';
import { TrafficChart } from './traffic-chart.tsx';

const REFRESH_MS = 30_000;

const KIND_LABEL: Record<TOverview['attention'][number]['reasons'][number]['kind'], { label: string; color: 'red' | 'orange' | 'yellow' | 'neutral' }> = {
  failing: { label: 'failing', color: 'red' },
  retrying: { label: 'retrying', color: 'orange' },
  queue_behind: { label: 'queue growing', color: 'yellow' },
  paused: { label: 'paused', color: 'neutral' },
  held: { label: 'settings need fixing', color: 'red' },
  rate_limited: { label: 'rate limited', color: 'orange' },
  probing: { label: 'breaker open', color: 'red' },
};

function Figure({ label, value, tone, testId }: { label: string; value: number; tone?: 'danger'; testId: string }) {
  return (
    <Pane flex="1 1 160px" background="white" border="1px solid #E6E8F0" borderRadius={8} paddingX={20} paddingY={16} data-testid={testId}>
      <Text display="block" size={300} color="muted">{label}</Text>
      <Heading size={800} marginTop={4} color={tone === 'danger' && value > 0 ? '#A73636' : undefined}>{formatCount(value)}</Heading>
    </Pane>
  );
}

function Attention({ overview }: { overview: TOverview }) {
  const { href } = useWorkspace();
  if (overview.destinationCount === 0) {
    return (
      <Paragraph color="muted">
        No destinations yet. <Link href={href('destinations', 'new')} style={{ color: '#2952CC' }}>Add one</Link> to deliver this workspace&apos;s events somewhere.
      </Paragraph>
    );
  }
  if (overview.attention.length === 0) {
    return (
      <Pane display="flex" alignItems="center" gap={8} data-testid="all-healthy">
        <TickCircleIcon color="success" />
        <Text>{`All ${overview.destinationCount} ${overview.destinationCount === 1 ? 'destination is' : 'destinations are'} delivering: nothing failing, paused or falling behind.`}</Text>
      </Pane>
    );
  }
  return (
    <Pane display="flex" flexDirection="column" data-testid="attention-list">
      {overview.attention.map((item, index) => (
        <Pane key={item.destinationId} display="flex" alignItems="flex-start" justifyContent="space-between" gap={16} paddingY={12} borderTop={index === 0 ? undefined : '1px solid #E6E8F0'} data-testid="attention-item">
          <Pane minWidth={0}>
            <Pane display="flex" alignItems="center" gap={8} flexWrap="wrap">
              <Link href={href('destinations', item.destinationId)} style={{ textDecoration: 'none' }}>
                <Strong color="#2952CC">{item.name}</Strong>
              </Link>
              <Text size={300} color="muted">{`from ${item.sourceName}`}</Text>
              {item.reasons.map((reason) => (
                <Badge key={reason.kind} color={KIND_LABEL[reason.kind].color}>{KIND_LABEL[reason.kind].label}</Badge>
              ))}
            </Pane>
            {item.reasons.map((reason) => (
              <Text key={reason.kind} display="block" size={300} color="muted" marginTop={4}>{reason.text}</Text>
            ))}
          </Pane>
          <Button is={Link} href={href('destinations', item.destinationId)} size="small" flexShrink={0}>Open</Button>
        </Pane>
      ))}
    </Pane>
  );
}

export function OverviewScreen() {
  const trpc = useTRPC();
  const { workspace, href } = useWorkspace();
  const overview = useQuery({ ...trpc.workspaces.overview.queryOptions({ workspaceId: workspace.id }), refetchInterval: REFRESH_MS });
  return (
    <>
      <PageHeader title="Overview" description={`How ${workspace.name}'s events are getting through: the last 24 hours, and what needs a look.`} />
      {overview.isPending ? (
        <Loading label="Loading the overview…" />
      ) : overview.isError ? (
        <QueryError error={overview.error} onRetry={() => overview.refetch()} />
      ) : (
        <Pane display="flex" flexDirection="column" gap={24}>
          <Card title="Needs attention" description="Destinations that are failing, retrying more than they deliver, held by their settings, rate limited, paused, or whose queue is falling behind (last hour)." testId="needs-attention">
            <Attention overview={overview.data} />
          </Card>
          <Pane display="flex" gap={16} flexWrap="wrap">
            <Figure label="Received, last 24 h" value={overview.data.totals.received} testId="total-received" />
            <Figure label="Delivered, last 24 h" value={overview.data.totals.delivered} testId="total-delivered" />
            <Figure label="Failed, last 24 h" value={overview.data.totals.failed} tone="danger" testId="total-failed" />
          </Pane>
          <Card title="Events per hour" description="Received by your sources; delivered and failed (refused or archived) across all destinations. A delivery counts once per destination.">
            {overview.data.totals.received === 0 && overview.data.totals.delivered === 0 ? (
              <Paragraph color="muted" data-testid="no-traffic">
                No events in the last 24 hours. Send a first one from a <Link href={href('sources')} style={{ color: '#2952CC' }}>source</Link>&apos;s Debugger tab.
              </Paragraph>
            ) : (
              <TrafficChart hours={overview.data.hours} />
            )}
          </Card>
        </Pane>
      )}
    </>
  );
}
