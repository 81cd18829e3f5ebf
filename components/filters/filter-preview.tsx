'use client';

/** What a draft filter would do to the source's most recent events: counts, then each affected event with the removed properties. */
import { Badge, Pane, Table, Text } from 'evergreen-ui';
import { formatDateTime } from '../common/format.ts';
import type { TFilterPreview } from '../trpc/types.ts';

const DECISIONS = {
  dropped: { label: 'dropped', color: 'red' },
  sampled_out: { label: 'sampled out', color: 'orange' },
  changed: { label: 'changed', color: 'blue' },
  kept: { label: 'sent as is', color: 'neutral' },
} as const;

function Count({ decision, n }: { decision: keyof typeof DECISIONS; n: number }) {
  return (
    <Pane display="flex" alignItems="center" gap={6} data-testid={`preview-count-${decision}`}>
      <Text size={500} fontWeight={600}>{n}</Text>
      <Badge color={DECISIONS[decision].color}>{DECISIONS[decision].label}</Badge>
    </Pane>
  );
}

export function FilterPreview({ preview }: { preview: TFilterPreview }) {
  if (preview.total === 0) {
    return (
      <Pane padding={16} background="#FAFBFF" border="1px solid #E6E8F0" borderRadius={6} data-testid="filter-preview">
        <Text size={300} color="muted">This source has no events yet. Send a few and preview again to see what the filter would do.</Text>
      </Pane>
    );
  }
  const affected = preview.data.filter((row) => row.decision !== 'kept');
  return (
    <Pane display="flex" flexDirection="column" gap={12} data-testid="filter-preview">
      <Pane display="flex" alignItems="center" gap={20} flexWrap="wrap">
        <Text size={300} color="muted">{`Of the source's last ${preview.total} events:`}</Text>
        <Count decision="dropped" n={preview.counts.dropped} />
        <Count decision="sampled_out" n={preview.counts.sampled_out} />
        <Count decision="changed" n={preview.counts.changed} />
        <Count decision="kept" n={preview.counts.kept} />
      </Pane>
      {affected.length === 0 ? (
        <Text size={300} color="muted">None of them match: the filter would not change what this destination receives.</Text>
      ) : (
        <Table border="1px solid #E6E8F0" borderRadius={6}>
          <Table.Head height={36}>
            <Table.TextHeaderCell flexBasis={170} flexGrow={0}>Received</Table.TextHeaderCell>
            <Table.TextHeaderCell>Event</Table.TextHeaderCell>
            <Table.TextHeaderCell>User</Table.TextHeaderCell>
            <Table.TextHeaderCell flexBasis={120} flexGrow={0}>Outcome</Table.TextHeaderCell>
            <Table.TextHeaderCell flexGrow={2}>Properties removed</Table.TextHeaderCell>
          </Table.Head>
          <Table.Body maxHeight={360}>
            {affected.map((row) => (
              <Table.Row key={row.eventId} height="auto" minHeight={44} paddingY={8} data-testid="preview-row" data-decision={row.decision}>
                <Table.TextCell flexBasis={170} flexGrow={0}>{formatDateTime(row.receivedAt, { seconds: true })}</Table.TextCell>
                <Table.Cell minWidth={0}>
                  <Text size={300} fontWeight={500}>{row.name ?? row.type}</Text>
                </Table.Cell>
                <Table.Cell minWidth={0}>
                  <Text size={300} fontFamily="mono" overflow="hidden" textOverflow="ellipsis" whiteSpace="nowrap">{row.userId ?? row.anonymousId ?? '—'}</Text>
                </Table.Cell>
                <Table.Cell flexBasis={120} flexGrow={0}>
                  <Badge color={DECISIONS[row.decision].color}>{DECISIONS[row.decision].label}</Badge>
                </Table.Cell>
                <Table.Cell flexGrow={2} minWidth={0} display="block">
                  {row.removed.length === 0 ? (
                    <Text size={300} color="muted">—</Text>
                  ) : (
                    row.removed.map(({ path, value }) => (
                      <Text key={path} display="block" size={300} fontFamily="mono" color="#A73636" style={{ overflowWrap: 'anywhere' }} data-testid="preview-removed">
                        {`− ${path}: ${JSON.stringify(value)}`}
                      </Text>
                    ))
                  )}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
    </Pane>
  );
}
