'use client';

/**
 * What the ingest pipeline decided for one event (`pipeline.routing`): the destinations it
 * was routed to and the ones it skipped, with the reason, by name; and for a routed
 * destination, what its filters did (`pipeline.filters`).
 */
import { BanCircleIcon, Heading, Pane, Text, TickCircleIcon } from 'evergreen-ui';
import Link from 'next/link';
import { useWorkspace } from '../shell/workspace-context.tsx';
import type { TDestination } from '../trpc/types.ts';
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

function DestinationLine({ id, destination, isRouted, note }: { id: string; destination?: TDestination; isRouted: boolean; note?: string }) {
  const { href } = useWorkspace();
  const Icon = isRouted ? TickCircleIcon : BanCircleIcon;
  return (
    <Pane display="flex" alignItems="flex-start" gap={8} minWidth={0} data-testid={isRouted ? 'routed-to' : 'skipped'}>
      <Icon size={14} color={isRouted ? 'success' : 'muted'} marginTop={3} flexShrink={0} />
      <Pane minWidth={0}>
        {destination ? (
          <Link href={href('destinations', id)} style={{ textDecoration: 'none' }}>
            <Text size={300} fontWeight={500} color="#2952CC">{destination.name}</Text>
          </Link>
        ) : (
          <Text size={300} color="muted">{`A deleted destination (${id.slice(0, 8)})`}</Text>
        )}
        {destination && <Text size={300} color="muted">{` · ${destination.typeLabel}`}</Text>}
        {note && <Text display="block" size={300} color="muted">{note}</Text>}
      </Pane>
    </Pane>
  );
}

const FILTER_NOTES: Record<string, string> = { dropped: 'Not sent', sampled_out: 'Not sent', changed: 'Sent changed' };

export function RoutingDecision({ pipeline, destinations }: { pipeline: unknown; destinations: Map<string, TDestination> }) {
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
      <Heading is="h4" size={300} textTransform="uppercase" letterSpacing="0.4px" color="muted">Routing</Heading>
      {routing?.droppedBy && <Text size={300} color="danger">{`Dropped by the ${routing.droppedBy} stage: not delivered anywhere.`}</Text>}
      {isEmpty ? (
        <Text size={300} color="muted">No destinations were connected to this source when the event arrived, so it was stored only.</Text>
      ) : (
        <>
          {routing.selected.map((id) => (
            <DestinationLine key={id} id={id} destination={destinations.get(id)} isRouted={!isFilteredOut(id)} note={filterNote(id)} />
          ))}
          {routing.skipped.map((s) => (
            <DestinationLine key={s.id} id={s.id} destination={destinations.get(s.id)} isRouted={false} note={`Skipped: ${REASONS[s.reason] ?? s.reason}`} />
          ))}
        </>
      )}
    </Pane>
  );
}
