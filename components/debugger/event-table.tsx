'use client';

/** The debugger's list: newest first, rows that just arrived highlighted, older ones on request. */
import { Button, Pane, Table, Text } from 'evergreen-ui';
import { useState } from 'react';
import { useNow } from '../common/use-now.ts';
import type { TDestination } from '../trpc/types.ts';
import { MAX_ROWS } from './event-stream-state.ts';
import { COLUMNS, EventRow } from './event-row.tsx';
import type { TEventStream } from './use-event-stream.ts';

export function EventTable({ stream, destinations }: { stream: TEventStream; destinations: Map<string, TDestination> }) {
  const now = useNow(5000);
  const [openId, setOpenId] = useState<string | null>(null);
  const count = stream.events.length;
  return (
    <>
      <Pane border="1px solid #E6E8F0" borderRadius={8} overflow="hidden" background="white">
        <Table data-testid="event-table">
          <Table.Head height={40} background="#F9FAFC">
            <Table.HeaderCell flexBasis={COLUMNS.chevron} flexGrow={0} />
            <Table.TextHeaderCell flexBasis={COLUMNS.received} flexGrow={0}>Received</Table.TextHeaderCell>
            <Table.TextHeaderCell flexBasis={COLUMNS.type} flexGrow={0}>Type</Table.TextHeaderCell>
            <Table.TextHeaderCell flexGrow={2}>Name</Table.TextHeaderCell>
            <Table.TextHeaderCell flexGrow={2}>User</Table.TextHeaderCell>
            <Table.TextHeaderCell flexGrow={2}>Message ID</Table.TextHeaderCell>
          </Table.Head>
          <Table.Body>
            {stream.events.map((event) => (
              <EventRow
                key={event.id}
                event={event}
                now={now}
                isOpen={openId === event.id}
                isFresh={stream.freshIds.has(event.id)}
                destinations={destinations}
                onToggle={() => setOpenId(openId === event.id ? null : event.id)}
              />
            ))}
          </Table.Body>
        </Table>
      </Pane>
      <Pane display="flex" justifyContent="center" alignItems="center" gap={12} marginTop={16} data-testid="event-table-footer">
        {stream.canLoadOlder ? (
          <Button onClick={stream.loadOlder} isLoading={stream.isLoadingOlder}>
            Load older events
          </Button>
        ) : stream.isCapped ? (
          <Text size={300} color="muted">{`The debugger keeps the latest ${MAX_ROWS} events. Filter by type, name or user to look further back.`}</Text>
        ) : (
          <Text size={300} color="muted">{`${count} ${count === 1 ? 'event' : 'events'} · that's all`}</Text>
        )}
      </Pane>
    </>
  );
}
