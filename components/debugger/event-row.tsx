'use client';

/** One event in the debugger's list; selecting it opens its payload and routing below it. */
import { Badge, ChevronDownIcon, ChevronRightIcon, Pane, Table, Text, Tooltip } from 'evergreen-ui';
import { formatDateTime, formatRelative } from '../common/format.ts';
import type { TDestination, TEventView } from '../trpc/types.ts';
import { EventDetail } from './event-detail.tsx';
import { filtersOf } from './filter-decision.ts';

type TBadgeColor = 'neutral' | 'blue' | 'orange' | 'yellow' | 'green' | 'teal' | 'purple';

const TYPE_COLORS: Record<string, TBadgeColor> = {
  track: 'blue',
  identify: 'purple',
  page: 'teal',
  screen: 'green',
  group: 'orange',
  alias: 'yellow',
};

/** Seconds matter in a live view: "just now", "42 s ago", then minutes and more. */
export function receivedAgo(date: Date, now: Date): string {
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  return formatRelative(date, now);
}

export const COLUMNS = { chevron: 36, received: 130, type: 100 } as const;

function Ellipsis({ value, isMono, isMuted, testId }: { value: string; isMono?: boolean; isMuted?: boolean; testId?: string }) {
  return (
    <Text data-testid={testId} size={300} fontFamily={isMono ? 'mono' : undefined} color={isMuted ? 'muted' : undefined} overflow="hidden" textOverflow="ellipsis" whiteSpace="nowrap" title={value}>
      {value}
    </Text>
  );
}

export function EventRow({ event, isOpen, isFresh, now, destinations, onToggle }: { event: TEventView; isOpen: boolean; isFresh: boolean; now: Date; destinations: Map<string, TDestination>; onToggle: () => void }) {
  const Chevron = isOpen ? ChevronDownIcon : ChevronRightIcon;
  const filters = filtersOf(event.pipeline);
  const filterBadge = filters && filters.decision !== 'passed' ? (
    <Tooltip content={filters.reason}>
      <Badge color={filters.decision === 'filtered' ? 'orange' : 'blue'} flexShrink={0} data-testid="event-filtered">
        {filters.decision === 'filtered' ? 'filtered' : 'changed by filter'}
      </Badge>
    </Tooltip>
  ) : null;
  return (
    <>
      <Table.Row
        height={48}
        isSelectable
        onSelect={onToggle}
        aria-expanded={isOpen}
        background={isOpen ? '#F3F6FF' : undefined}
        className={isFresh ? 'sy-fresh-row' : undefined}
        data-testid="event-row"
        data-type={event.type}
      >
        <Table.Cell flexBasis={COLUMNS.chevron} flexGrow={0} paddingRight={0}>
          <Chevron size={12} color="muted" />
        </Table.Cell>
        <Table.Cell flexBasis={COLUMNS.received} flexGrow={0}>
          <Tooltip content={formatDateTime(event.receivedAt, { seconds: true })}>
            <Text size={300} color="#474d66">{receivedAgo(event.receivedAt, now)}</Text>
          </Tooltip>
        </Table.Cell>
        <Table.Cell flexBasis={COLUMNS.type} flexGrow={0}>
          <Badge color={TYPE_COLORS[event.type] ?? 'neutral'} data-testid="event-type">{event.type}</Badge>
        </Table.Cell>
        <Table.Cell flexGrow={2} minWidth={0} gap={8}>
          {event.name ? <Text size={300} fontWeight={500} overflow="hidden" textOverflow="ellipsis" whiteSpace="nowrap" title={event.name} data-testid="event-name">{event.name}</Text> : <Text size={300} color="muted">—</Text>}
          {filterBadge}
        </Table.Cell>
        <Table.Cell flexGrow={2} minWidth={0}>
          {event.userId ? (
            <Ellipsis value={event.userId} isMono />
          ) : event.anonymousId ? (
            <Pane display="flex" alignItems="center" gap={6} minWidth={0}>
              <Badge color="neutral" flexShrink={0}>anon</Badge>
              <Ellipsis value={event.anonymousId} isMono />
            </Pane>
          ) : (
            <Text size={300} color="muted">—</Text>
          )}
        </Table.Cell>
        <Table.Cell flexGrow={2} minWidth={0}>
          <Ellipsis value={event.messageId} isMono isMuted testId="event-message-id" />
        </Table.Cell>
      </Table.Row>
      {isOpen && <EventDetail event={event} destinations={destinations} />}
    </>
  );
}
