'use client';

/** Settings → Privacy: deletion and suppression requests, followed target by target, and the suppression list. */
import { useQuery } from '@tanstack/react-query';
import { Button, Pane, PlusIcon, ShieldIcon, Table, Text } from 'evergreen-ui';
import { useState } from 'react';
import { Card } from '../common/card.tsx';
import { formatDateTime } from '../common/format.ts';
import { PageHeader } from '../common/page-header.tsx';
import { Empty, Loading, QueryError } from '../common/states.tsx';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { useTRPC } from '../trpc/provider.tsx';
import { NewRequestDialog } from './new-request-dialog.tsx';
import { RegulationSheet, StatusBadge } from './regulation-sheet.tsx';
import { SUBJECT_LABELS, TYPE_LABELS } from './regulation-words.ts';

function Suppressions() {
  const trpc = useTRPC();
  const { workspace } = useWorkspace();
  const suppressions = useQuery({ ...trpc.privacy.suppressions.queryOptions({ workspaceId: workspace.id }), refetchInterval: 5000 });
  const count = suppressions.data?.suppressedEvents ?? 0;
  return (
    <Card
      title="Suppressed subjects"
      testId="suppressions"
      description={`Their events are answered normally but not stored or delivered. ${count.toLocaleString('en')} event${count === 1 ? '' : 's'} suppressed in the last 30 days.`}
    >
      {suppressions.isPending ? (
        <Loading />
      ) : suppressions.isError ? (
        <QueryError error={suppressions.error} onRetry={() => suppressions.refetch()} />
      ) : suppressions.data.data.length === 0 ? (
        <Text color="muted">Nobody is suppressed.</Text>
      ) : (
        <Table>
          <Table.Head height={36} background="#F9FAFC">
            <Table.TextHeaderCell flexBasis={160} flexGrow={0}>Identified by</Table.TextHeaderCell>
            <Table.TextHeaderCell>Identifier</Table.TextHeaderCell>
            <Table.TextHeaderCell flexBasis={200} flexGrow={0}>Since</Table.TextHeaderCell>
          </Table.Head>
          <Table.Body>
            {suppressions.data.data.map((s) => (
              <Table.Row key={`${s.subjectType}:${s.subjectId}`} height={44} data-testid="suppression-row">
                <Table.TextCell flexBasis={160} flexGrow={0}>{SUBJECT_LABELS[s.subjectType]}</Table.TextCell>
                <Table.TextCell textProps={{ fontFamily: 'mono' }}>{s.subjectId}</Table.TextCell>
                <Table.TextCell flexBasis={200} flexGrow={0}>{formatDateTime(s.createdAt)}</Table.TextCell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
    </Card>
  );
}

export function PrivacyScreen() {
  const trpc = useTRPC();
  const { workspace } = useWorkspace();
  const [isCreating, setIsCreating] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const regulations = useQuery({
    ...trpc.privacy.regulations.queryOptions({ workspaceId: workspace.id }),
    refetchInterval: (query) => (query.state.data?.data.some((r) => ['initialized', 'running'].includes(r.status)) ? 2000 : false),
  });
  const createButton = (
    <Button appearance="primary" iconBefore={PlusIcon} onClick={() => setIsCreating(true)}>
      New request
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Privacy"
        description="GDPR deletion and suppression requests. Each request shows what happened in every place that held the data, with a receipt."
        actions={regulations.data && regulations.data.data.length > 0 ? createButton : null}
      />
      <Pane display="flex" flexDirection="column" gap={24}>
        {regulations.isPending ? (
          <Loading label="Loading requests…" />
        ) : regulations.isError ? (
          <QueryError error={regulations.error} onRetry={() => regulations.refetch()} />
        ) : regulations.data.data.length === 0 ? (
          <Empty
            icon={<ShieldIcon color="#3366FF" />}
            iconBgColor="#EBF0FF"
            title="No privacy requests yet"
            description="When someone asks to be forgotten, create a request with their e-mail, user ID or anonymous ID. Switchyard stops storing their events and deletes what it holds."
            action={createButton}
          />
        ) : (
          <Pane border="1px solid #E6E8F0" borderRadius={8} overflow="hidden" background="white">
            <Table data-testid="regulations-table">
              <Table.Head height={40} background="#F9FAFC">
                <Table.TextHeaderCell flexGrow={2}>Request</Table.TextHeaderCell>
                <Table.TextHeaderCell>Subjects</Table.TextHeaderCell>
                <Table.TextHeaderCell flexBasis={130} flexGrow={0}>Status</Table.TextHeaderCell>
                <Table.TextHeaderCell>Requested by</Table.TextHeaderCell>
                <Table.TextHeaderCell>Created</Table.TextHeaderCell>
              </Table.Head>
              <Table.Body>
                {regulations.data.data.map((r) => (
                  <Table.Row key={r.id} height={52} isSelectable onSelect={() => setOpenId(r.id)} data-testid="regulation-row">
                    <Table.TextCell flexGrow={2} textProps={{ fontWeight: 500 }}>{TYPE_LABELS[r.regulationType]}</Table.TextCell>
                    <Table.TextCell>{`${r.subjectCount.toLocaleString('en')} ${SUBJECT_LABELS[r.subjectType].toLowerCase()}${r.subjectCount === 1 ? '' : 's'}`}</Table.TextCell>
                    <Table.Cell flexBasis={130} flexGrow={0}>
                      <StatusBadge status={r.status} />
                    </Table.Cell>
                    <Table.TextCell>{r.requestedBy}</Table.TextCell>
                    <Table.TextCell>{formatDateTime(r.createdAt)}</Table.TextCell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table>
          </Pane>
        )}
        <Suppressions />
      </Pane>
      <NewRequestDialog isShown={isCreating} onClose={() => setIsCreating(false)} onCreated={(id) => setOpenId(id)} />
      <RegulationSheet regulationId={openId} onClose={() => setOpenId(null)} />
    </>
  );
}
