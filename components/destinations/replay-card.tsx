'use client';

/**
 * "Replay": an editor re-delivers the events of a time range whose delivery ended archived
 * and/or discarded, as new deliveries with the destination's current settings.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox, HistoryIcon, LockIcon, Pane, Paragraph, Strong, Text, TextInputField, toaster } from 'evergreen-ui';
import { useState, type ChangeEvent } from 'react';
import { Card } from '../common/card.tsx';
import { ConfirmDialog } from '../common/confirm-dialog.tsx';
import { formatDateTime } from '../common/format.ts';
import { useFieldId } from '../common/use-field-id.ts';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { errorMessage } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';
import type { TDestination } from '../trpc/types.ts';
import { readReplayDraft, replayDraft, toLocalInput, type TReplayDraft, type TReplayState } from './replay-draft.ts';

const STATES: { state: TReplayState; label: string; hint: string }[] = [
  { state: 'archived', label: 'Archived', hint: 'every retry failed until the retry window ended' },
  { state: 'discarded', label: 'Discarded', hint: 'the endpoint refused them (4xx) or could not be reached' },
];

export function ReplayCard({ destination }: { destination: TDestination }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const fieldId = useFieldId();
  const { workspace, canEdit } = useWorkspace();
  const [draft, setDraft] = useState<TReplayDraft>(() => replayDraft(new Date()));
  const [isConfirming, setIsConfirming] = useState(false);
  // Until the person picks an end, the range ends now (when they confirm), not when the page opened.
  const [isToEdited, setIsToEdited] = useState(false);
  const parsed = readReplayDraft(draft);
  const replay = useMutation(
    trpc.destinations.replay.mutationOptions({
      onSuccess: async ({ queued }) => {
        setIsConfirming(false);
        if (queued === 0) toaster.notify('Nothing to replay', { description: 'No archived or discarded events in that range are waiting for a replay.' });
        else toaster.success(`${queued} ${queued === 1 ? 'event' : 'events'} queued for replay`, { description: `They are delivered to ${destination.name} again within seconds; follow them under Activity.` });
        await queryClient.invalidateQueries(trpc.destinations.activity.queryFilter());
      },
      onError: (error) => toaster.danger('The events could not be replayed', { description: errorMessage(error) }),
    }),
  );
  const isDisabled = !canEdit || replay.isPending;
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  function openConfirm() {
    if (!isToEdited) setDraft({ ...draft, to: toLocalInput(new Date()) });
    setIsConfirming(true);
  }
  const stateNames = draft.states.join(' or ');

  return (
    <Card title="Replay" description="Deliver events again that did not get through, e.g. after fixing an outage of your endpoint. Each event is sent as a new delivery with the destination’s current settings." testId="destination-replay">
      <Pane display="grid" gridTemplateColumns="repeat(auto-fit, minmax(220px, 1fr))" columnGap={24} maxWidth={720}>
        <TextInputField id={fieldId('from')} label="Events received from" placeholder="2 Dec 2026, 13:06" value={draft.from} disabled={isDisabled} isInvalid={Boolean(parsed.errors.from)} validationMessage={parsed.errors.from} onChange={(e: ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, from: e.target.value })} />
        <TextInputField id={fieldId('to')} label="Until" placeholder="2 Dec 2026, 13:06" value={draft.to} disabled={isDisabled} isInvalid={Boolean(parsed.errors.to)} validationMessage={parsed.errors.to} onChange={(e: ChangeEvent<HTMLInputElement>) => {
            setIsToEdited(true);
            setDraft({ ...draft, to: e.target.value });
          }} />
      </Pane>
      <Text is="p" size={300} color="muted" marginTop={-12} marginBottom={16}>{`Times in your time zone (${timeZone}). The range ends now unless you pick an end.`}</Text>
      <Pane is="fieldset" border="none" padding={0} margin={0} marginBottom={16}>
        <Text is="legend" fontWeight={500} color="#101840" padding={0} marginBottom={4}>Which events</Text>
        {STATES.map(({ state, label, hint }) => (
          <Checkbox
            key={state}
            marginY={8}
            label={<Text size={400}>{label} <Text size={300} color="muted">— {hint}</Text></Text>}
            checked={draft.states.includes(state)}
            disabled={isDisabled}
            onChange={(e: ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, states: e.target.checked ? [...draft.states, state] : draft.states.filter((s) => s !== state) })}
          />
        ))}
        {parsed.errors.states && <Text size={300} color="danger" role="alert">{parsed.errors.states}</Text>}
      </Pane>
      {canEdit ? (
        <Pane display="flex" alignItems="center" gap={12} flexWrap="wrap">
          <Button iconBefore={HistoryIcon} disabled={!parsed.range || !destination.enabled} onClick={openConfirm}>
            Replay events…
          </Button>
          {!destination.enabled && <Text size={300} color="muted">Enable the destination first: replayed events are delivered right away.</Text>}
        </Pane>
      ) : (
        <Pane display="flex" alignItems="center" gap={8} data-testid="replay-role-hint">
          <LockIcon color="muted" size={12} />
          <Text size={300} color="muted">{`Only editors and admins can replay events; your role is ${workspace.role}.`}</Text>
        </Pane>
      )}
      {parsed.range && (
        <ConfirmDialog
          isShown={isConfirming}
          title={`Replay events to “${destination.name}”?`}
          confirmLabel="Replay events"
          intent="none"
          isConfirming={replay.isPending}
          onClose={() => setIsConfirming(false)}
          onConfirm={() => parsed.range && replay.mutate({ workspaceId: workspace.id, destinationId: destination.id, ...parsed.range })}
        >
          <Paragraph marginBottom={12}>
            Every event received between <Strong>{formatDateTime(parsed.range.from)}</Strong> and <Strong>{formatDateTime(parsed.range.to)}</Strong> whose delivery ended <Strong>{stateNames}</Strong> is
            queued again and sent to <code>{destination.endpoint}</code>.
          </Paragraph>
          <Paragraph size={300} color="muted">
            Your endpoint may receive some events a second time if it had accepted them after all; each event’s <code>messageId</code> lets it recognise duplicates. The earlier attempts stay in the history.
          </Paragraph>
        </ConfirmDialog>
      )}
    </Card>
  );
}
