'use client';

import { Pane, Table, Text } from 'evergreen-ui';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { formatRelative } from '../common/format.ts';
import { EnabledBadge } from '../sources/sources-table.tsx';
import { useWorkspace } from '../shell/workspace-context.tsx';
import type { TDestination } from '../trpc/types.ts';

export function DestinationsTable({ destinations, isSourceShown = true }: { destinations: TDestination[]; isSourceShown?: boolean }) {
  const router = useRouter();
  const { href } = useWorkspace();
  return (
    <Pane border="1px solid #E6E8F0" borderRadius={8} overflow="hidden" background="white">
      <Table data-testid="destinations-table">
        <Table.Head height={40} background="#F9FAFC">
          <Table.TextHeaderCell flexGrow={2}>Name</Table.TextHeaderCell>
          {isSourceShown && <Table.TextHeaderCell>Source</Table.TextHeaderCell>}
          <Table.TextHeaderCell flexGrow={3}>Sends to</Table.TextHeaderCell>
          <Table.TextHeaderCell flexBasis={110} flexGrow={0}>Status</Table.TextHeaderCell>
          <Table.TextHeaderCell flexBasis={140} flexGrow={0}>Updated</Table.TextHeaderCell>
        </Table.Head>
        <Table.Body>
          {destinations.map((destination) => {
            const target = href('destinations', destination.id);
            return (
              <Table.Row key={destination.id} height={56} isSelectable onSelect={() => router.push(target)}>
                <Table.Cell flexGrow={2}>
                  <Pane minWidth={0}>
                    <Link href={target} style={{ textDecoration: 'none' }} onClick={(e) => e.stopPropagation()}>
                      <Text fontWeight={600} color="#2952CC">{destination.name}</Text>
                    </Link>
                    <Text display="block" size={300} color="muted">{destination.typeLabel}</Text>
                  </Pane>
                </Table.Cell>
                {isSourceShown && <Table.TextCell>{destination.sourceName}</Table.TextCell>}
                <Table.Cell flexGrow={3}>
                  <Text size={300} fontFamily="mono" color="#474d66" overflow="hidden" textOverflow="ellipsis" whiteSpace="nowrap" title={destination.endpoint}>
                    {destination.endpoint}
                  </Text>
                </Table.Cell>
                <Table.Cell flexBasis={110} flexGrow={0}>
                  <EnabledBadge isEnabled={destination.enabled} />
                </Table.Cell>
                <Table.TextCell flexBasis={140} flexGrow={0}>{formatRelative(destination.updatedAt)}</Table.TextCell>
              </Table.Row>
            );
          })}
        </Table.Body>
      </Table>
    </Pane>
  );
}
