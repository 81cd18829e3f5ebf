'use client';

/**
 * "Send test event": a sample of any call the destination takes, or one of its source's
 * recent events, sent the way deliveries are; shows the exact request (secrets masked) and
 * the answer in words. Nothing is stored: no event, no delivery, nothing in the charts.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Badge, Button, Pane, SelectField, Text } from 'evergreen-ui';
import { useState, type ChangeEvent } from 'react';
import { Card } from '../common/card.tsx';
import { CodeBlock } from '../common/code-block.tsx';
import { useFieldId } from '../common/use-field-id.ts';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { errorMessage } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';
import type { TDestination, TTestEventResult } from '../trpc/types.ts';
import { typeInfo, useDestinationTypes } from './catalog/use-destination-types.ts';

const SAMPLE_LABELS: Record<string, string> = {
  track: 'Sample track call: “Order Completed”',
  identify: 'Sample identify call: a user with e-mail and plan',
  page: 'Sample page call: “Pricing”',
  screen: 'Sample screen call: “Checkout”',
  group: 'Sample group call: a company',
  alias: 'Sample alias call',
};

const VERDICTS: Record<TTestEventResult['verdict'], { label: string; intent: 'success' | 'danger' | 'warning' | 'none'; color: 'green' | 'red' | 'yellow' | 'neutral' }> = {
  delivered: { label: 'Delivered', intent: 'success', color: 'green' },
  rejected: { label: 'Rejected', intent: 'danger', color: 'red' },
  retry: { label: 'Would be retried', intent: 'warning', color: 'yellow' },
  skipped: { label: 'Not sent', intent: 'none', color: 'neutral' },
};

function pretty(body: string): { text: string; isJson: boolean } {
  try {
    return { text: JSON.stringify(JSON.parse(body), null, 2), isJson: true };
  } catch {
    return { text: body, isJson: false };
  }
}

function Result({ result, partner }: { result: TTestEventResult; partner: string }) {
  const verdict = VERDICTS[result.verdict];
  const requestText = result.request
    ? `${result.request.method} ${result.request.url}\n${Object.entries(result.request.headers).map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${pretty(result.request.body).text}`
    : '';
  const response = result.response;
  const responseBody = response ? pretty(response.body) : null;
  return (
    <Pane marginTop={20} data-testid="test-result">
      <Alert intent={verdict.intent} title={<Pane display="flex" alignItems="center" gap={8}><Badge color={verdict.color} data-testid="test-verdict">{verdict.label}</Badge><span data-testid="test-explanation">{result.explanation}</span></Pane>} marginBottom={16} />
      {result.request && (
        <Pane display="grid" gridTemplateColumns="minmax(0, 1fr) minmax(0, 1fr)" gap={16}>
          <Pane minWidth={0}>
            <Text size={300} fontWeight={600} display="block" marginBottom={6}>Request sent (secrets masked)</Text>
            <CodeBlock code={requestText} tone="light" maxHeight={360} testId="test-request" />
          </Pane>
          <Pane minWidth={0}>
            <Text size={300} fontWeight={600} display="block" marginBottom={6}>
              {response?.status != null ? `${partner} answered HTTP ${response.status} in ${response.latencyMs} ms` : `No answer from ${partner}${response?.errorCode ? ` (${response.errorCode})` : ''}`}
            </Text>
            <CodeBlock code={responseBody?.text || '(empty body)'} isJson={responseBody?.isJson} tone="light" maxHeight={360} testId="test-response" />
          </Pane>
        </Pane>
      )}
    </Pane>
  );
}

export function TestEventCard({ destination, isOpen = false }: { destination: TDestination; isOpen?: boolean }) {
  const trpc = useTRPC();
  const { workspace, canEdit } = useWorkspace();
  const fieldId = useFieldId();
  const types = useDestinationTypes();
  const info = typeInfo(types.data?.data, destination.type);
  const supports = info?.supports ?? ['track'];
  const [choice, setChoice] = useState(`sample:${supports[0] ?? 'track'}`);
  const recent = useQuery(trpc.events.list.queryOptions({ workspaceId: workspace.id, sourceId: destination.sourceId, limit: 10 }, { enabled: canEdit }));
  const send = useMutation(trpc.destinations.test.mutationOptions());
  const result = send.data;
  if (!canEdit) return null;

  function onSend() {
    const [kind, value] = choice.split(':');
    send.mutate({ workspaceId: workspace.id, destinationId: destination.id, ...(kind === 'event' ? { eventId: value } : { callType: value as 'track' }) });
  }

  return (
    <Card
      title="Send a test event"
      description={`Sends one event to ${destination.typeLabel} exactly as a delivery would and shows what ${destination.typeLabel} answered. Nothing is stored: the event does not appear in the debugger or the charts.`}
      testId="test-event"
    >
      <Pane display="flex" alignItems="flex-end" gap={12} flexWrap="wrap">
        <SelectField id={fieldId('test-choice')} label="Event to send" value={choice} onChange={(e: ChangeEvent<HTMLSelectElement>) => setChoice(e.target.value)} marginBottom={0} width={440} data-testid="test-choice" autoFocus={isOpen}>
          <optgroup label="Samples">
            {supports.map((call) => <option key={call} value={`sample:${call}`}>{SAMPLE_LABELS[call] ?? call}</option>)}
          </optgroup>
          {recent.data && recent.data.data.length > 0 && (
            <optgroup label={`Recent events from ${destination.sourceName}`}>
              {recent.data.data.map((event) => (
                <option key={event.id} value={`event:${event.id}`}>{`${event.type}${event.name ? ` “${event.name}”` : ''} · ${event.userId ?? event.anonymousId ?? ''}`}</option>
              ))}
            </optgroup>
          )}
        </SelectField>
        <Button appearance="primary" isLoading={send.isPending} onClick={onSend} data-testid="send-test-event">
          Send test event
        </Button>
      </Pane>
      {send.isError && <Alert intent="danger" title="The test event could not be sent" marginTop={16}>{errorMessage(send.error)}</Alert>}
      {result && !send.isPending && <Result result={result} partner={destination.typeLabel} />}
    </Card>
  );
}
