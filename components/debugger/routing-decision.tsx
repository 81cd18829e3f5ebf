'use client';

/**
 * What the ingest pipeline decided for one event (`pipeline.routing`): the destinations it
 * was routed to and the ones it skipped, with the reason, by name; for a routed
 * destination, what its filters did (`pipeline.filters`) and what delivery made of it:
 * routing decided, delivery may still have failed, so the mark shows the delivery state
 * (a tick only for a delivered event).
 */
import { BanCircleIcon, CircleIcon, ErrorIcon, Heading, Pane, Text, TickCircleIcon, TimeIcon, type IconComponent } from 'evergreen-ui';
import Link from 'next/link';
import { formatDateTime, formatTime } from '../common/format.ts';
import { useWorkspace } from '../shell/workspace-context.tsx';
import type { TDestination, TEventDelivery } from '../trpc/types.ts';
import { filtersOf } from './filter-decision.ts';

interface TRouting {
  selected: string[];
  skipped: { id: string; reason: string }[];
  droppedBy: string | null;
}

const REASONS: Record<string, string> = {
  disabled: 'the destination was disabled',
  integrations: 'turned off by the event’s integrations option',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function routingOf(pipeline: unknown): TRouting | null {
  if (!isRecord(pipeline) || !isRecord(pipeline.routing)) return null;
  const { selected, skipped } = pipeline.routing;
  return {
    selected: Array.isArray(selected) ? selected.filter((id): id is string => typeof id === 'string') : [],
    skipped: Array.isArray(skipped) ? skipped.filter(isRecord).map((s) => ({ id: String(s.id), reason: String(s.reason) })) : [],
    droppedBy: typeof pipeline.droppedBy === 'string' ? pipeline.droppedBy : null,
  };
}

interface TMark {
  Icon: IconComponent;
  color: string;
  label: string;
  detail?: string;
}

function answerOf(delivery: TEventDelivery): string {
  if (delivery.statusCode) return `answered ${delivery.statusCode}`;
  if (delivery.errorCode) return delivery.errorCode;
  return 'no answer';
}

/** The mark and words for a routed destination's delivery; `undefined` while it is being looked up. */
export function deliveryMark(delivery: TEventDelivery | null | undefined): TMark {
  if (delivery === undefined) return { Icon: CircleIcon, color: 'muted', label: 'Routed · checking delivery…' };
  if (delivery === null || delivery.status === 'none') return { Icon: CircleIcon, color: 'muted', label: 'Routed · no delivery recorded' };
  const attempts = `${delivery.attempts} ${delivery.attempts === 1 ? 'attempt' : 'attempts'}`;
  switch (delivery.status) {
    case 'delivered':
      return { Icon: TickCircleIcon, color: 'success', label: `Delivered · ${answerOf(delivery)}`, detail: delivery.at ? `at ${formatDateTime(delivery.at, { seconds: true })}` : undefined };
    case 'queued':
      return { Icon: TimeIcon, color: 'muted', label: 'Routed · waiting for its first attempt', detail: delivery.nextAttemptAt ? `due at ${formatTime(delivery.nextAttemptAt)}` : undefined };
    case 'retrying':
      return { Icon: TimeIcon, color: 'warning', label: `Not delivered yet · ${answerOf(delivery)}`, detail: `${attempts}; retrying${delivery.nextAttemptAt ? `, next attempt due at ${formatTime(delivery.nextAttemptAt)}` : ''}` };
    case 'failed':
      return { Icon: ErrorIcon, color: 'danger', label: `Failed · ${answerOf(delivery)}`, detail: `${attempts}; not retried (the destination refused it)` };
    case 'archived':
      return { Icon: ErrorIcon, color: 'danger', label: `Not delivered · ${answerOf(delivery)}`, detail: `${attempts}; archived after its retry window, can be replayed` };
  }
}

function DestinationLine({ id, destination, mark, note }: { id: string; destination?: TDestination; mark: TMark | null; note?: string }) {
  const { href } = useWorkspace();
  const isRouted = mark !== null;
  const Icon = mark?.Icon ?? BanCircleIcon;
  return (
    <Pane display="flex" alignItems="flex-start" gap={8} minWidth={0} data-testid={isRouted ? 'routed-to' : 'skipped'}>
      <Icon size={14} color={mark?.color ?? 'muted'} marginTop={3} flexShrink={0} />
      <Pane minWidth={0}>
        {destination ? (
          <Link href={href('destinations', id)} style={{ textDecoration: 'none' }}>
            <Text size={300} fontWeight={500} color="#2952CC">{destination.name}</Text>
          </Link>
        ) : (
          <Text size={300} color="muted">{`A deleted destination (${id.slice(0, 8)})`}</Text>
        )}
        {destination && <Text size={300} color="muted">{` · ${destination.typeLabel}`}</Text>}
        {mark && (
          <Text display="block" size={300} color={mark.color === 'muted' ? 'muted' : mark.color === 'success' ? undefined : mark.color} data-testid="delivery-state">
            {mark.label}
          </Text>
        )}
        {mark?.detail && <Text display="block" size={300} color="muted">{mark.detail}</Text>}
        {note && <Text display="block" size={300} color="muted">{note}</Text>}
      </Pane>
    </Pane>
  );
}

const FILTER_NOTES: Record<string, string> = { dropped: 'Not sent', sampled_out: 'Not sent', changed: 'Sent changed' };

export function RoutingDecision({ pipeline, destinations, deliveries }: { pipeline: unknown; destinations: Map<string, TDestination>; deliveries: Map<string, TEventDelivery> | undefined }) {
  const routing = routingOf(pipeline);
  const filters = filtersOf(pipeline);
  const filterNote = (id: string) => {
    const record = filters?.destinations[id];
    return record && FILTER_NOTES[record.decision] ? `${FILTER_NOTES[record.decision]}: ${record.reason}` : undefined;
  };
  const isFilteredOut = (id: string) => ['dropped', 'sampled_out'].includes(filters?.destinations[id]?.decision ?? '');
  const isEmpty = !routing || (routing.selected.length === 0 && routing.skipped.length === 0);
  return (
    <Pane display="flex" flexDirection="column" gap={10} data-testid="routing-decision">
      <Heading is="h4" size={300} textTransform="uppercase" letterSpacing="0.4px" color="muted">Routing and delivery</Heading>
      {routing?.droppedBy && <Text size={300} color="danger">{`Dropped by the ${routing.droppedBy} stage: not delivered anywhere.`}</Text>}
      {isEmpty ? (
        <Text size={300} color="muted">No destinations were connected to this source when the event arrived, so it was stored only.</Text>
      ) : (
        <>
          {routing.selected.map((id) => (
            <DestinationLine
              key={id}
              id={id}
              destination={destinations.get(id)}
              mark={isFilteredOut(id) ? null : deliveryMark(deliveries ? (deliveries.get(id) ?? null) : undefined)}
              note={filterNote(id)}
            />
          ))}
          {routing.skipped.map((s) => (
            <DestinationLine key={s.id} id={s.id} destination={destinations.get(s.id)} mark={null} note={`Skipped: ${REASONS[s.reason] ?? s.reason}`} />
          ))}
        </>
      )}
    </Pane>
  );
}
