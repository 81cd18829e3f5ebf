'use client';

import { Badge, ChevronDownIcon, ChevronRightIcon, Pane, Table, Text } from 'evergreen-ui';
import { Fragment, useState } from 'react';
import { formatDateTime } from '../common/format.ts';
import { RoleBadge } from '../common/roles.tsx';
import type { TAuditEntry } from '../trpc/types.ts';
import { AuditDiff } from './audit-diff.tsx';

export function AuditTable({ entries }: { entries: TAuditEntry[] }) {
  const [openId, setOpenId] = useState<string | null>(null);
  return (
    <Pane border="1px solid #E6E8F0" borderRadius={8} overflow="hidden" background="white">
      <Table data-testid="audit-table">
        <Table.Head height={40} background="#F9FAFC">
          <Table.HeaderCell flexBasis={36} flexGrow={0} />
          <Table.TextHeaderCell flexBasis={190} flexGrow={0}>Time</Table.TextHeaderCell>
          <Table.TextHeaderCell flexGrow={2}>Who</Table.TextHeaderCell>
          <Table.TextHeaderCell flexBasis={100} flexGrow={0}>Role</Table.TextHeaderCell>
          <Table.TextHeaderCell flexGrow={2}>Action</Table.TextHeaderCell>
          <Table.TextHeaderCell flexGrow={2}>Target</Table.TextHeaderCell>
          <Table.TextHeaderCell flexBasis={130} flexGrow={0}>IP</Table.TextHeaderCell>
        </Table.Head>
        <Table.Body>
          {entries.map((entry) => {
            const isOpen = openId === entry.id;
            const Chevron = isOpen ? ChevronDownIcon : ChevronRightIcon;
            return (
              <Fragment key={entry.id}>
                <Table.Row height={48} isSelectable onSelect={() => setOpenId(isOpen ? null : entry.id)} aria-expanded={isOpen} data-testid="audit-row" background={isOpen ? '#F3F6FF' : undefined}>
                  <Table.Cell flexBasis={36} flexGrow={0} paddingRight={0}>
                    <Chevron size={12} color="muted" />
                  </Table.Cell>
                  <Table.TextCell flexBasis={190} flexGrow={0}>{formatDateTime(entry.at, { seconds: true })}</Table.TextCell>
                  <Table.Cell flexGrow={2}>
                    <Text size={300} overflow="hidden" textOverflow="ellipsis" whiteSpace="nowrap" title={entry.actorLabel}>{entry.actorLabel}</Text>
                    {entry.actorType !== 'user' && <Badge marginLeft={6} color="teal">{entry.actorType}</Badge>}
                  </Table.Cell>
                  <Table.Cell flexBasis={100} flexGrow={0}>{entry.role ? <RoleBadge role={entry.role} /> : <Text size={300} color="muted">—</Text>}</Table.Cell>
                  <Table.Cell flexGrow={2}>
                    <code style={{ fontSize: 12, background: '#F4F5F9', padding: '2px 6px', borderRadius: 4, color: '#101840' }} data-testid="audit-action">{entry.action}</code>
                  </Table.Cell>
                  <Table.Cell flexGrow={2}>
                    <Text size={300} overflow="hidden" textOverflow="ellipsis" whiteSpace="nowrap" title={entry.targetId ?? undefined}>
                      {entry.targetType}
                      {entry.targetId && <Text size={300} color="muted" fontFamily="mono">{` ${entry.targetId.slice(0, 8)}`}</Text>}
                    </Text>
                  </Table.Cell>
                  <Table.TextCell flexBasis={130} flexGrow={0}>{entry.ip ?? '—'}</Table.TextCell>
                </Table.Row>
                {isOpen && <AuditDiff entry={entry} />}
              </Fragment>
            );
          })}
        </Table.Body>
      </Table>
    </Pane>
  );
}
