'use client';

import { Heading, Pane, Text } from 'evergreen-ui';
import type { TAuditEntry } from '../trpc/types.ts';

function JsonBlock({ title, value }: { title: string; value: unknown }) {
  const isEmpty = value === null || value === undefined;
  return (
    <Pane flex="1 1 320px" minWidth={0}>
      <Heading size={300} marginBottom={6} textTransform="uppercase" color="muted">{title}</Heading>
      {isEmpty ? (
        <Text size={300} color="muted">Nothing recorded</Text>
      ) : (
        <pre
          style={{ margin: 0, padding: 12, fontSize: 12, lineHeight: 1.5, background: 'white', border: '1px solid #E6E8F0', borderRadius: 6, overflowX: 'auto', maxHeight: 360, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
        >
          {JSON.stringify(value, null, 2)}
        </pre>
      )}
    </Pane>
  );
}

/** The expanded part of an audit row: the target's full id and its state before and after. */
export function AuditDiff({ entry }: { entry: TAuditEntry }) {
  return (
    <Pane background="#F9FAFC" borderBottom="1px solid #E6E8F0" paddingX={48} paddingY={16} data-testid="audit-diff">
      {entry.targetId && (
        <Text size={300} color="muted" display="block" marginBottom={12}>
          {entry.targetType} id <code>{entry.targetId}</code>
        </Text>
      )}
      <Pane display="flex" gap={16} flexWrap="wrap">
        <JsonBlock title="Before" value={entry.before} />
        <JsonBlock title="After" value={entry.after} />
      </Pane>
    </Pane>
  );
}
