'use client';

/** One event opened up: its full payload as stored, when it arrived, where it was routed and how delivery went, with a link to its full trace. */
import { useQuery } from '@tanstack/react-query';
import { Button, Heading, Pane, Text, TimelineEventsIcon } from 'evergreen-ui';
import Link from 'next/link';
import { CodeBlock } from '../common/code-block.tsx';
import { formatDateTime } from '../common/format.ts';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { useTRPC } from '../trpc/provider.tsx';
import type { TDestination, TEventView } from '../trpc/types.ts';
import { RoutingDecision } from './routing-decision.tsx';

function exact(date: Date): string {
  return `${formatDateTime(date, { seconds: true })}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

function Fact({ label, value, isMono }: { label: string; value: string; isMono?: boolean }) {
  return (
    <Pane minWidth={0}>
      <Text display="block" size={300} color="muted">{label}</Text>
      <Text display="block" size={300} fontFamily={isMono ? 'mono' : undefined} style={{ overflowWrap: 'anywhere' }}>
        {value}
      </Text>
    </Pane>
  );
}

/** While a delivery is still open (queued or retrying), look again every few seconds. */
const OPEN_REFRESH_MS = 5_000;

export function EventDetail({ event, destinations }: { event: TEventView; destinations: Map<string, TDestination> }) {
  const trpc = useTRPC();
  const { workspace, href } = useWorkspace();
  const deliveries = useQuery({
    ...trpc.events.deliveries.queryOptions({ workspaceId: workspace.id, eventId: event.id }),
    refetchInterval: (query) => (query.state.data?.some((d) => d.status === 'queued' || d.status === 'retrying') ? OPEN_REFRESH_MS : false),
  });
  const byDestination = deliveries.data ? new Map(deliveries.data.map((d) => [d.destinationId, d])) : undefined;
  return (
    <Pane
      display="flex"
      gap={24}
      flexWrap="wrap"
      paddingX={24}
      paddingY={20}
      background="#FAFBFF"
      borderBottom="1px solid #E6E8F0"
      data-testid="event-detail"
    >
      <Pane flex="1 1 480px" minWidth={0} display="flex" flexDirection="column" gap={10}>
        <Heading is="h4" size={300} textTransform="uppercase" letterSpacing="0.4px" color="muted">Payload</Heading>
        <CodeBlock code={JSON.stringify(event.payload, null, 2)} tone="light" isJson maxHeight={420} testId="event-json" label="Copy JSON" />
      </Pane>
      <Pane flex="0 1 300px" minWidth={240} display="flex" flexDirection="column" gap={20}>
        <Pane display="flex" flexDirection="column" gap={10}>
          <Heading is="h4" size={300} textTransform="uppercase" letterSpacing="0.4px" color="muted">Details</Heading>
          <Fact label="Received" value={exact(event.receivedAt)} />
          <Fact label="Timestamp" value={exact(event.timestamp)} />
          <Fact label="Message ID" value={event.messageId} isMono />
          {event.userId && event.anonymousId && <Fact label="Anonymous ID" value={event.anonymousId} isMono />}
        </Pane>
        <RoutingDecision pipeline={event.pipeline} destinations={destinations} deliveries={byDestination} />
        <Link href={href('events', event.id)} data-testid="open-trace">
          <Button iconBefore={TimelineEventsIcon} width="100%">Open the full trace</Button>
        </Link>
      </Pane>
    </Pane>
  );
}
