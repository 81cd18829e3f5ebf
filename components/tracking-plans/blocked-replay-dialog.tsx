'use client';

/**
 * "Replay blocked events": after fixing the plan (or its enforcement), an editor sends a
 * source's blocked events through the pipeline again. Those that pass now are delivered;
 * the others stay blocked. One replay looks at up to 1000 events; when more match, the
 * dialog offers to go on from where it stopped.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Dialog, Pane, Paragraph, SelectField, TextInputField } from 'evergreen-ui';
import { useRef, useState, type ChangeEvent } from 'react';
import { useFieldId } from '../common/use-field-id.ts';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { errorMessage } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';
import type { TBlockedReplay, TTrackingPlan, TViolationKind } from '../trpc/types.ts';

export const KINDS: Record<TViolationKind, string> = {
  unplanned_event: 'unplanned event',
  missing_required: 'missing required property',
  wrong_type: 'wrong type',
  unplanned_property: 'unplanned property',
  other: 'other rule',
};

const RANGES = [
  { value: '1h', label: 'Last hour', ms: 3600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 24 * 3600_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 24 * 3600_000 },
  { value: '30d', label: 'Last 30 days', ms: 30 * 24 * 3600_000 },
] as const;

export interface TBlockedReplayPreset {
  eventName?: string;
  kind?: TViolationKind;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function summaryOf(result: TBlockedReplay): string {
  if (result.examined === 0) return 'No blocked events match: nothing to replay.';
  const parts = [`${plural(result.replayed, 'event')} of ${result.examined} now pass${result.replayed === 1 ? 'es' : ''} the plan and ${result.replayed === 1 ? 'was' : 'were'} replayed (${plural(result.queued, 'delivery', 'deliveries')} queued).`];
  if (result.stillBlocked > 0) parts.push(`${plural(result.stillBlocked, 'event')} ${result.stillBlocked === 1 ? 'is' : 'are'} still blocked by the plan.`);
  if (result.suppressed > 0) parts.push(`${plural(result.suppressed, 'event')} of suppressed users ${result.suppressed === 1 ? 'was' : 'were'} left out.`);
  return parts.join(' ');
}

export function BlockedReplayDialog({ plan, sourceNames, preset, onClose }: { plan: TTrackingPlan; sourceNames: Map<string, string>; preset: TBlockedReplayPreset | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const fieldId = useFieldId();
  const { workspace } = useWorkspace();
  const [sourceId, setSourceId] = useState(plan.sources[0]?.sourceId ?? '');
  const [range, setRange] = useState<(typeof RANGES)[number]['value']>('7d');
  const [eventName, setEventName] = useState(preset?.eventName ?? '');
  const [kind, setKind] = useState<TViolationKind | ''>(preset?.kind ?? '');
  const [runs, setRuns] = useState<{ result: TBlockedReplay; window: { from: Date; to: Date } }[]>([]);
  /** The range of the replay being run; going on keeps it, so the cursor stays meaningful. */
  const rangeRef = useRef<{ from: Date; to: Date }>({ from: new Date(), to: new Date() });
  const last = runs.at(-1);
  const replay = useMutation(
    trpc.trackingPlans.replayBlocked.mutationOptions({
      onSuccess: async (result) => {
        setRuns((done) => [...done, { result, window: rangeRef.current }]);
        await queryClient.invalidateQueries(trpc.trackingPlans.violations.queryFilter());
      },
    }),
  );

  function start() {
    const to = new Date();
    const from = new Date(to.getTime() - RANGES.find((r) => r.value === range)!.ms);
    rangeRef.current = { from, to };
    setRuns([]);
    replay.mutate({ workspaceId: workspace.id, sourceId, from, to, eventName: eventName.trim() || undefined, kind: kind || undefined });
  }
  function goOn() {
    if (!last?.result.nextCursor) return;
    replay.mutate({ workspaceId: workspace.id, sourceId, ...last.window, eventName: eventName.trim() || undefined, kind: kind || undefined, cursor: last.result.nextCursor });
  }
  const total = runs.reduce((sum, run) => ({ replayed: sum.replayed + run.result.replayed, queued: sum.queued + run.result.queued }), { replayed: 0, queued: 0 });

  return (
    <Dialog isShown title="Replay blocked events" onCloseComplete={onClose} hasFooter={false} width={560} shouldCloseOnOverlayClick={!replay.isPending}>
      {({ close }) => (
        <Pane data-testid="blocked-replay">
          <Paragraph size={300} color="muted" marginBottom={16}>
            Each blocked event of the source runs through the current plan, its destinations and their filters again. Events that pass now are delivered; the others stay blocked. One replay looks at up to 1000 events.
          </Paragraph>
          {plan.sources.length === 0 ? (
            <Alert intent="warning" title="No source follows this plan">Connect a source below first.</Alert>
          ) : (
            <>
              <Pane display="grid" gridTemplateColumns="1fr 1fr" columnGap={16}>
                <SelectField id={fieldId('source')} label="Source" value={sourceId} onChange={(e: ChangeEvent<HTMLSelectElement>) => setSourceId(e.target.value)}>
                  {plan.sources.map((s) => <option key={s.sourceId} value={s.sourceId}>{sourceNames.get(s.sourceId) ?? s.sourceId}</option>)}
                </SelectField>
                <SelectField id={fieldId('range')} label="Received" value={range} onChange={(e: ChangeEvent<HTMLSelectElement>) => setRange(e.target.value as typeof range)}>
                  {RANGES.map((r) => <option key={r.value} value={r.value}>{r.label}</option>)}
                </SelectField>
                <TextInputField id={fieldId('event')} label="Event name" hint="Empty: every event" value={eventName} onChange={(e: ChangeEvent<HTMLInputElement>) => setEventName(e.target.value)} />
                <SelectField id={fieldId('kind')} label="With a violation of kind" value={kind} onChange={(e: ChangeEvent<HTMLSelectElement>) => setKind(e.target.value as TViolationKind | '')}>
                  <option value="">Any kind</option>
                  {Object.entries(KINDS).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
                </SelectField>
              </Pane>
              {replay.isError && <Alert intent="danger" title="The events could not be replayed" marginBottom={16}>{errorMessage(replay.error)}</Alert>}
              {last && (
                <Alert intent={last.result.replayed > 0 ? 'success' : 'none'} title={runs.length > 1 ? `Replayed so far: ${plural(total.replayed, 'event')} (${plural(total.queued, 'delivery', 'deliveries')})` : 'Replay done'} marginBottom={16} data-testid="blocked-replay-result">
                  {summaryOf(last.result)}
                  {last.result.hasMore ? ' More blocked events match than one replay takes.' : ''}
                </Alert>
              )}
            </>
          )}
          <Pane display="flex" justifyContent="flex-end" gap={8} paddingBottom={16}>
            <Button onClick={() => close()} disabled={replay.isPending}>Close</Button>
            {last?.result.hasMore ? (
              <Button appearance="primary" onClick={goOn} isLoading={replay.isPending}>Replay the next 1000</Button>
            ) : (
              <Button appearance="primary" onClick={start} isLoading={replay.isPending} disabled={!sourceId}>{last ? 'Replay again' : 'Replay'}</Button>
            )}
          </Pane>
        </Pane>
      )}
    </Dialog>
  );
}
