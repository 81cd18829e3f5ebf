'use client';

import { Badge, Pane, Table, Text } from 'evergreen-ui';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { formatDate } from '../common/format.ts';
import { useWorkspace } from '../shell/workspace-context.tsx';
import type { TSource } from '../trpc/types.ts';

export function EnabledBadge({ isEnabled }: { isEnabled: boolean }) {
  return <Badge color={isEnabled ? 'green' : 'neutral'}>{isEnabled ? 'Enabled' : 'Disabled'}</Badge>;
}

export function SourcesTable({ sources }: { sources: TSource[] }) {
  const router = useRouter();
  const { href } = useWorkspace();
  return (
    <Pane border="1px solid #E6E8F0" borderRadius={8} overflow="hidden" background="white">
      <Table data-testid="sources-table">
        <Table.Head height={40} background="#F9FAFC">
          <Table.TextHeaderCell flexBasis={280} flexShrink={0} flexGrow={2}>Name</Table.TextHeaderCell>
          <Table.TextHeaderCell>Status</Table.TextHeaderCell>
          <Table.TextHeaderCell flexGrow={2}>Write key</Table.TextHeaderCell>
          <Table.TextHeaderCell>Destinations</Table.TextHeaderCell>
          <Table.TextHeaderCell>Created</Table.TextHeaderCell>
        </Table.Head>
        <Table.Body>
          {sources.map((source) => {
            const activeKeys = source.writeKeys.filter((k) => !k.revokedAt);
            const target = href('sources', source.id);
            return (
              <Table.Row key={source.id} height={56} isSelectable onSelect={() => router.push(target)}>
                <Table.Cell flexBasis={280} flexShrink={0} flexGrow={2}>
                  <Pane minWidth={0}>
                    <Link href={target} style={{ textDecoration: 'none' }} onClick={(e) => e.stopPropagation()}>
                      <Text fontWeight={600} color="#2952CC">{source.name}</Text>
                    </Link>
                    <Text display="block" size={300} color="muted">{source.slug}</Text>
                  </Pane>
                </Table.Cell>
                <Table.Cell>
                  <EnabledBadge isEnabled={source.enabled} />
                </Table.Cell>
                <Table.Cell flexGrow={2}>
                  <Text size={300} fontFamily="mono" color="#474d66">
                    {activeKeys[0] ? `${activeKeys[0].key.slice(0, 12)}…` : 'none'}
                  </Text>
                  {activeKeys.length > 1 && (
                    <Badge marginLeft={8} color="yellow">{`${activeKeys.length} active`}</Badge>
                  )}
                </Table.Cell>
                <Table.TextCell isNumber>{source.destinationCount}</Table.TextCell>
                <Table.TextCell>{formatDate(source.createdAt)}</Table.TextCell>
              </Table.Row>
            );
          })}
        </Table.Body>
      </Table>
    </Pane>
  );
}
