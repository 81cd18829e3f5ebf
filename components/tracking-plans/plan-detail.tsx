'use client';

/**
 * One tracking plan: its violations (grouped by event and kind, 1 h / 24 h / 7 d, a
 * sparkline of the week, example events opening their trace, and a replay of blocked events
 * once the plan is fixed), the sources that follow it with their enforcement, and its rules
 * as JSON (edit = a new version; export and the typed client .ts file are one click away).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Badge, Button, DownloadIcon, HistoryIcon, Pane, SelectField, Table, Text, Textarea, toaster } from 'evergreen-ui';
import Link from 'next/link';
import { useState, type ChangeEvent } from 'react';
import { Card } from '../common/card.tsx';
import { MONO_STYLE } from '../common/mono.ts';
import { PageHeader } from '../common/page-header.tsx';
import { Loading, QueryError } from '../common/states.tsx';
import { useFieldId } from '../common/use-field-id.ts';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { errorMessage } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';
import type { TTrackingPlan, TViolationGroup, TViolationKind } from '../trpc/types.ts';
import { BlockedReplayDialog, KINDS, type TBlockedReplayPreset } from './blocked-replay-dialog.tsx';
import { Sparkline } from './sparkline.tsx';

function download(filename: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}

/** A group of events without a name (identify, group …) is named by its type, which is no event name to replay by. */
const UNNAMED = new Set(['identify', 'group', 'alias', 'page', 'screen']);

const kindLabel = (kind: string) => KINDS[kind as TViolationKind] ?? kind;

function ViolationRow({ group, canReplay, onReplay }: { group: TViolationGroup; canReplay: boolean; onReplay: (preset: TBlockedReplayPreset) => void }) {
  const { href } = useWorkspace();
  return (
    <Table.Row height="auto" minHeight={52} paddingY={8} data-testid="violation-row">
      <Table.Cell flexGrow={2} minWidth={0}><Text size={300} fontWeight={600}>{group.event}</Text></Table.Cell>
      <Table.Cell flexGrow={2} minWidth={0} gap={6}>
        <Text size={300}>{kindLabel(group.kind)}</Text>
        {group.blocked > 0 && <Badge color="red" textTransform="none" data-testid="violation-blocked">{group.blocked} blocked</Badge>}
        {group.released > 0 && (
          <Badge color="green" textTransform="none" data-testid="violation-released" title={group.lastReleasedAt ? `Latest released ${group.lastReleasedAt.toLocaleString()}` : undefined}>
            {group.released} released by replay
          </Badge>
        )}
      </Table.Cell>
      <Table.Cell flexGrow={3} minWidth={0} display="block">
        <Text is="div" size={300} fontFamily="mono" style={{ overflowWrap: 'anywhere' }}>{group.message}</Text>
        <Pane display="flex" gap={10} marginTop={4} flexWrap="wrap" alignItems="center">
          {group.exampleEventIds.map((id, n) => (
            <Link key={id} href={href('events', id)} style={{ color: '#2952CC', fontSize: 12 }} data-testid="violation-example">example {n + 1}</Link>
          ))}
          {canReplay && group.isBlocked && (
            <Button appearance="minimal" size="small" height={20} paddingX={4} onClick={() => onReplay({ eventName: UNNAMED.has(group.event) ? undefined : group.event, kind: group.kind as TViolationKind })}>
              Replay blocked…
            </Button>
          )}
        </Pane>
      </Table.Cell>
      <Table.Cell flexBasis={132} flexGrow={0}>
        <Sparkline values={group.series} title={`${group.event}, ${kindLabel(group.kind)}: ${group.lastWeek} in 7 days, per 6 hours (latest right)`} />
      </Table.Cell>
      <Table.TextCell flexBasis={64} flexGrow={0}>{group.lastHour}</Table.TextCell>
      <Table.TextCell flexBasis={64} flexGrow={0}>{group.lastDay}</Table.TextCell>
      <Table.TextCell flexBasis={64} flexGrow={0}>{group.lastWeek}</Table.TextCell>
    </Table.Row>
  );
}

function Violations({ plan }: { plan: TTrackingPlan }) {
  const trpc = useTRPC();
  const { workspace, canEdit } = useWorkspace();
  const violations = useQuery({ ...trpc.trackingPlans.violations.queryOptions({ workspaceId: workspace.id, trackingPlanId: plan.id }), refetchInterval: 5000 });
  const sources = useQuery(trpc.sources.list.queryOptions({ workspaceId: workspace.id }));
  const sourceNames = new Map((sources.data ?? []).map((s) => [s.id, s.name]));
  const [replayPreset, setReplayPreset] = useState<TBlockedReplayPreset | null>(null);
  return (
    <Card
      title="Violations"
      description="Events of the last 7 days that broke the plan, by event and kind. Blocked events are stored but not delivered; after fixing the plan, replay them."
      testId="violations"
      actions={canEdit && plan.sources.length > 0 ? <Button iconBefore={HistoryIcon} onClick={() => setReplayPreset({})}>Replay blocked events</Button> : undefined}
    >
      {violations.isPending ? (
        <Loading label="Loading violations…" />
      ) : violations.isError ? (
        <QueryError error={violations.error} onRetry={() => violations.refetch()} />
      ) : violations.data.data.length === 0 ? (
        <Pane><Text size={300} color="muted">No violations in the last 7 days.</Text></Pane>
      ) : (
        <Table>
          <Table.Head height={36}>
            <Table.TextHeaderCell flexGrow={2}>Event</Table.TextHeaderCell>
            <Table.TextHeaderCell flexGrow={2}>Kind</Table.TextHeaderCell>
            <Table.TextHeaderCell flexGrow={3}>Latest</Table.TextHeaderCell>
            <Table.TextHeaderCell flexBasis={132} flexGrow={0}>7 days</Table.TextHeaderCell>
            <Table.TextHeaderCell flexBasis={64} flexGrow={0}>1 h</Table.TextHeaderCell>
            <Table.TextHeaderCell flexBasis={64} flexGrow={0}>24 h</Table.TextHeaderCell>
            <Table.TextHeaderCell flexBasis={64} flexGrow={0}>7 d</Table.TextHeaderCell>
          </Table.Head>
          <Table.Body>
            {violations.data.data.map((group) => (
              <ViolationRow key={`${group.event}:${group.kind}`} group={group} canReplay={canEdit && plan.sources.length > 0} onReplay={setReplayPreset} />
            ))}
          </Table.Body>
        </Table>
      )}
      {replayPreset && <BlockedReplayDialog plan={plan} sourceNames={sourceNames} preset={replayPreset} onClose={() => setReplayPreset(null)} />}
    </Card>
  );
}

function Sources({ plan }: { plan: TTrackingPlan }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const fieldId = useFieldId();
  const { workspace, canEdit } = useWorkspace();
  const sources = useQuery(trpc.sources.list.queryOptions({ workspaceId: workspace.id }));
  const [sourceId, setSourceId] = useState('');
  const [unplannedEvents, setUnplanned] = useState<'allow' | 'block'>('allow');
  const [violations, setViolations] = useState<'allow' | 'omit' | 'block'>('allow');
  const connect = useMutation(
    trpc.trackingPlans.connectSource.mutationOptions({
      onSuccess: async () => {
        toaster.success('Source connected', { description: 'New events are checked against the plan within seconds.' });
        await queryClient.invalidateQueries(trpc.trackingPlans.pathFilter());
      },
      onError: (error) => toaster.danger('The source could not be connected', { description: errorMessage(error) }),
    }),
  );
  const names = new Map((sources.data ?? []).map((s) => [s.id, s.name]));
  const chosen = sourceId || sources.data?.[0]?.id || '';
  return (
    <Card title="Sources" description="A source follows one plan. Choose what happens to events the plan does not list, and to events that break its rules." testId="plan-sources">
      <Pane display="flex" flexDirection="column" gap={12}>
        {plan.sources.length === 0 && <Text size={300} color="muted">No source follows this plan yet.</Text>}
        {plan.sources.map((s) => (
          <Text key={s.sourceId} size={300} data-testid="plan-source">
            <strong>{names.get(s.sourceId) ?? s.sourceId}</strong>{` · unplanned events: ${s.unplannedEvents} · violations: ${s.violations}`}
          </Text>
        ))}
        {canEdit && (
          <Pane display="flex" gap={12} alignItems="flex-end" flexWrap="wrap">
            <SelectField id={fieldId('source')} label="Source" width={220} value={chosen} onChange={(e: ChangeEvent<HTMLSelectElement>) => setSourceId(e.target.value)} marginBottom={0}>
              {(sources.data ?? []).map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
            </SelectField>
            <SelectField id={fieldId('unplanned')} label="Unplanned events" width={180} value={unplannedEvents} onChange={(e: ChangeEvent<HTMLSelectElement>) => setUnplanned(e.target.value as 'allow' | 'block')} marginBottom={0}>
              <option value="allow">Allow</option>
              <option value="block">Block</option>
            </SelectField>
            <SelectField id={fieldId('violations')} label="Violations" width={220} value={violations} onChange={(e: ChangeEvent<HTMLSelectElement>) => setViolations(e.target.value as 'allow' | 'omit' | 'block')} marginBottom={0}>
              <option value="allow">Allow</option>
              <option value="omit">Omit offending properties</option>
              <option value="block">Block</option>
            </SelectField>
            <Button onClick={() => connect.mutate({ workspaceId: workspace.id, sourceId: chosen, trackingPlanId: plan.id, unplannedEvents, violations })} isLoading={connect.isPending} disabled={!chosen}>
              Connect
            </Button>
          </Pane>
        )}
      </Pane>
    </Card>
  );
}

function Rules({ plan }: { plan: TTrackingPlan }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { workspace, canEdit, href } = useWorkspace();
  const [text, setText] = useState(() => JSON.stringify(plan.rules, null, 2));
  const [parseError, setParseError] = useState<string | null>(null);
  const replace = useMutation(
    trpc.trackingPlans.replace.mutationOptions({
      onSuccess: async (updated) => {
        toaster.success(`Saved as version ${updated.version}`);
        await queryClient.invalidateQueries(trpc.trackingPlans.pathFilter());
      },
    }),
  );
  function save() {
    try {
      const rules = JSON.parse(text) as TTrackingPlan['rules'];
      setParseError(null);
      replace.mutate({ workspaceId: workspace.id, trackingPlanId: plan.id, name: plan.name, rules });
    } catch (error) {
      setParseError(`The rules are not valid JSON: ${(error as Error).message}`);
    }
  }
  return (
    <Card
      title="Rules"
      description="JSON Schema (draft 2020-12): one per track event name (its properties), identify and group traits, and a common schema for every event."
      actions={
        <>
          <Button iconBefore={DownloadIcon} onClick={() => download(`${plan.name}.json`, JSON.stringify({ name: plan.name, rules: plan.rules }, null, 2), 'application/json')}>Export</Button>
          <Button is="a" href={href('tracking-plans', plan.id, 'client')} download iconBefore={DownloadIcon}>Typed client</Button>
        </>
      }
    >
      <Pane>
        <Textarea style={MONO_STYLE} minHeight={260} value={text} readOnly={!canEdit} onChange={(e: ChangeEvent<HTMLTextAreaElement>) => setText(e.target.value)} aria-label="Rules" />
        {(parseError || replace.error) && <Alert intent="danger" title="The rules could not be saved" marginTop={12}>{parseError ?? errorMessage(replace.error)}</Alert>}
        {canEdit && <Button marginTop={12} appearance="primary" onClick={save} isLoading={replace.isPending}>Save as a new version</Button>}
      </Pane>
    </Card>
  );
}

export function PlanDetail({ trackingPlanId }: { trackingPlanId: string }) {
  const trpc = useTRPC();
  const { workspace, href } = useWorkspace();
  const plan = useQuery(trpc.trackingPlans.get.queryOptions({ workspaceId: workspace.id, trackingPlanId }));
  if (plan.isPending) return <Loading label="Loading plan…" />;
  if (plan.isError) return <QueryError error={plan.error} onRetry={() => plan.refetch()} />;
  const data = plan.data;
  return (
    <>
      <PageHeader
        crumbs={[{ label: 'Tracking plans', href: href('tracking-plans') }]}
        title={data.name}
        description={`Version ${data.version} · ${data.rules.events.length} event${data.rules.events.length === 1 ? '' : 's'}`}
      />
      <Pane display="flex" flexDirection="column" gap={20}>
        <Violations plan={data} />
        <Sources plan={data} />
        <Rules key={data.version} plan={data} />
      </Pane>
    </>
  );
}
