'use client';

/** One request followed live: overall status, then one row per target with its time and receipt. */
import { useQuery } from '@tanstack/react-query';
import { Badge, Heading, Pane, Paragraph, SideSheet, Table, Text } from 'evergreen-ui';
import { formatDateTime } from '../common/format.ts';
import { Loading, QueryError } from '../common/states.tsx';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { useTRPC } from '../trpc/provider.tsx';
import type { TRegulationTarget } from '../trpc/types.ts';
import { receiptLines, STATUS_INTENT, STATUS_LABELS, SUBJECT_LABELS, TYPE_LABELS } from './regulation-words.ts';

export function StatusBadge({ status }: { status: string }) {
  return <Badge color={STATUS_INTENT[status] ?? 'neutral'} data-testid="status">{STATUS_LABELS[status] ?? status}</Badge>;
}

function TargetRow({ target }: { target: TRegulationTarget }) {
  const lines = receiptLines(target.receipt);
  // A target given back after a failed attempt (a partner's 503, an S3 outage) waits for its retry.
  const isRetrying = target.status === 'pending' && target.attempts > 0;
  return (
    <Table.Row height="auto" minHeight={56} paddingY={10} data-testid="target-row" alignItems="flex-start">
      <Table.Cell flexBasis={160} flexGrow={0} flexDirection="column" alignItems="flex-start">
        <Text fontWeight={500}>{target.label}</Text>
        <Text size={300} color="muted">{target.kind === 'destination' ? 'destination' : target.kind.replace('_', ' ')}</Text>
      </Table.Cell>
      <Table.Cell flexBasis={140} flexGrow={0}>
        <StatusBadge status={isRetrying ? 'retrying' : target.status} />
      </Table.Cell>
      <Table.Cell flexBasis={150} flexGrow={0}>
        <Text size={300}>{target.finishedAt ? formatDateTime(target.finishedAt, { seconds: true }) : target.startedAt ? `since ${formatDateTime(target.startedAt, { seconds: true })}` : '—'}</Text>
      </Table.Cell>
      <Table.Cell flexDirection="column" alignItems="flex-start" data-testid="receipt">
        {lines.length === 0 ? <Text size={300} color="muted">Nothing yet</Text> : lines.map((line) => <Text key={line} size={300}>{line}</Text>)}
        {target.error && (
          <Text size={300} color={isRetrying ? '#996A13' : 'danger'} data-testid="target-error">
            {isRetrying ? `Attempt ${target.attempts} failed, retrying soon: ${target.error}` : target.error}
          </Text>
        )}
      </Table.Cell>
    </Table.Row>
  );
}

export function RegulationSheet({ regulationId, onClose }: { regulationId: string | null; onClose: () => void }) {
  const trpc = useTRPC();
  const { workspace } = useWorkspace();
  const regulation = useQuery({
    ...trpc.privacy.regulation.queryOptions({ workspaceId: workspace.id, regulationId: regulationId ?? '' }),
    enabled: Boolean(regulationId),
    refetchInterval: (query) => (query.state.data && ['initialized', 'running'].includes(query.state.data.status) ? 1000 : false),
  });
  const data = regulation.data;
  return (
    <SideSheet isShown={Boolean(regulationId)} onCloseComplete={onClose} width={820}>
      <Pane padding={24} data-testid="regulation-sheet">
        {regulation.isPending ? (
          <Loading label="Loading the request…" />
        ) : regulation.isError ? (
          <QueryError error={regulation.error} onRetry={() => regulation.refetch()} />
        ) : data ? (
          <>
            <Pane display="flex" alignItems="center" gap={12}>
              <Heading size={700}>{TYPE_LABELS[data.regulationType]}</Heading>
              <StatusBadge status={data.status} />
            </Pane>
            <Paragraph color="muted" marginTop={8}>
              {data.subjectCount.toLocaleString('en')} {SUBJECT_LABELS[data.subjectType].toLowerCase()}
              {data.subjectCount === 1 ? '' : 's'} · requested by {data.requestedBy} on {formatDateTime(data.createdAt, { seconds: true })}
              {data.finishedAt ? ` · done ${formatDateTime(data.finishedAt, { seconds: true })}` : ''}
            </Paragraph>
            <Text size={300} fontFamily="mono" display="block" marginTop={8} data-testid="subjects">
              {data.subjectIds.slice(0, 10).join(', ')}
              {data.subjectIds.length > 10 ? ` and ${data.subjectIds.length - 10} more` : ''}
            </Text>
            <Heading size={500} marginTop={24} marginBottom={8}>Targets and receipts</Heading>
            <Pane border="1px solid #E6E8F0" borderRadius={8} overflow="hidden" background="white">
              <Table>
                <Table.Head height={36} background="#F9FAFC">
                  <Table.TextHeaderCell flexBasis={160} flexGrow={0}>Target</Table.TextHeaderCell>
                  <Table.TextHeaderCell flexBasis={140} flexGrow={0}>Status</Table.TextHeaderCell>
                  <Table.TextHeaderCell flexBasis={150} flexGrow={0}>Time</Table.TextHeaderCell>
                  <Table.TextHeaderCell>Receipt</Table.TextHeaderCell>
                </Table.Head>
                <Table.Body>
                  {data.targets.map((target) => (
                    <TargetRow key={target.id} target={target} />
                  ))}
                </Table.Body>
              </Table>
            </Pane>
            <Paragraph size={300} color="muted" marginTop={12}>
              Receipts hold counts only. The identifiers above are kept with this request as the record of what was asked.
            </Paragraph>
          </>
        ) : null}
      </Pane>
    </SideSheet>
  );
}
