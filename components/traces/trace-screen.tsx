'use client';

/**
 * One event's whole path: what arrived (exactly as sent, from where), what each pipeline
 * stage decided, and per destination every attempt. Refreshes itself while deliveries are
 * pending or retrying; an editor can re-send the event to one destination.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Heading, Pane, RefreshIcon, Spinner, Text, toaster } from 'evergreen-ui';
import Link from 'next/link';
import { useState, type ReactNode } from 'react';
import { Card } from '../common/card.tsx';
import { CodeBlock } from '../common/code-block.tsx';
import { ConfirmDialog } from '../common/confirm-dialog.tsx';
import { formatDateTime } from '../common/format.ts';
import { PageHeader } from '../common/page-header.tsx';
import { Loading, QueryError } from '../common/states.tsx';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { errorMessage } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';
import type { TDeliveryTraceView, TTraceView } from '../trpc/types.ts';
import { AttemptItem } from './attempt-item.tsx';
import { StateBadge } from './delivery-badge.tsx';

export const TRACE_POLL_MS = 2000;

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Pane display="flex" gap={12} paddingY={6} borderBottom="1px solid #F4F5F9">
      <Text size={300} color="muted" width={150} flexShrink={0}>{label}</Text>
      <Text size={300} style={{ overflowWrap: 'anywhere' }}>{children}</Text>
    </Pane>
  );
}

const time = (date: Date | null) => (date ? formatDateTime(date, { seconds: true }) : '—');

function Received({ trace }: { trace: TTraceView }) {
  const { received, event } = trace;
  const { href } = useWorkspace();
  const [isNormalized, setIsNormalized] = useState(false);
  return (
    <Card
      title="Received"
      description={`What the tracking API got from the client${received.hadWriteKey ? ' (its writeKey is not kept)' : ''}, and the timestamps Switchyard derived.`}
      testId="trace-received"
    >
      <Pane display="grid" gridTemplateColumns="minmax(0, 5fr) minmax(0, 6fr)" gap={24}>
        <Pane>
          <Fact label="Source">
            <Link href={href('sources', event.sourceId)} style={{ color: '#2952CC' }}>{event.sourceName}</Link>
          </Fact>
          <Fact label="Message ID"><span style={{ fontFamily: 'monospace' }}>{event.messageId}</span></Fact>
          <Fact label="Client IP">{received.clientIp ?? 'not recorded'}</Fact>
          <Fact label="User agent">{received.userAgent ?? 'not recorded'}</Fact>
          <Fact label="Received at">{time(received.receivedAt)}</Fact>
          <Fact label="Sent at (client)">{time(received.sentAt)}</Fact>
          <Fact label="Original timestamp">{time(received.originalTimestamp)}</Fact>
          <Fact label="Timestamp (used)">{time(received.timestamp)}</Fact>
          <Pane background="#F9FAFC" borderRadius={6} padding={10} marginTop={10}>
            <Text size={300} color="#474d66" data-testid="timestamp-explained">{received.timestampExplained}</Text>
          </Pane>
        </Pane>
        <Pane minWidth={0}>
          <Pane display="flex" gap={8} marginBottom={8}>
            <Button size="small" isActive={!isNormalized} onClick={() => setIsNormalized(false)}>As sent</Button>
            <Button size="small" isActive={isNormalized} onClick={() => setIsNormalized(true)}>As stored and delivered</Button>
          </Pane>
          <CodeBlock
            code={JSON.stringify(isNormalized ? event.payload : received.asSent, null, 2)}
            isJson
            tone="light"
            maxHeight={420}
            title={isNormalized ? 'Normalised payload' : 'Payload as sent'}
            testId="payload-as-sent"
          />
          {!isNormalized && received.added.length > 0 && (
            <Text size={300} color="muted" display="block" marginTop={6}>Switchyard added {received.added.join(', ')} while normalising.</Text>
          )}
        </Pane>
      </Pane>
    </Card>
  );
}

function Pipeline({ trace }: { trace: TTraceView }) {
  return (
    <Card title="Pipeline" description="Each stage’s decision, in order, before delivery." testId="trace-pipeline">
      {trace.pipeline.length === 0 ? (
        <Text size={300} color="muted">No stage recorded a decision for this event.</Text>
      ) : (
        <Pane display="flex" flexDirection="column" gap={8}>
          {trace.pipeline.map((step) => (
            <Pane key={step.stage} display="flex" alignItems="flex-start" gap={12} padding={12} border="1px solid #E6E8F0" borderRadius={6} data-testid="pipeline-step">
              <Text size={400} fontWeight={600} width={140} flexShrink={0} textTransform="capitalize">{step.stage.replaceAll('_', ' ')}</Text>
              <Badge color={step.decision === 'passed' ? 'green' : step.decision === 'dropped' ? 'red' : 'blue'} flexShrink={0}>{step.decision}</Badge>
              <Text size={300} color="#474d66">{step.reason ?? ''}</Text>
            </Pane>
          ))}
        </Pane>
      )}
    </Card>
  );
}

function Delivery({ delivery, eventId }: { delivery: TDeliveryTraceView; eventId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { workspace, canEdit, href } = useWorkspace();
  const [isConfirming, setIsConfirming] = useState(false);
  const resend = useMutation(
    trpc.traces.resend.mutationOptions({
      onSuccess: async () => {
        toaster.success(`Re-sending to ${delivery.destinationName}`, { description: 'The new attempt appears below as a replay.' });
        setIsConfirming(false);
        await queryClient.invalidateQueries(trpc.traces.get.queryFilter());
      },
      onError: (error) => toaster.danger('The event could not be re-sent', { description: errorMessage(error) }),
    }),
  );
  const canResend = canEdit && delivery.state !== 'pending' && delivery.state !== 'retrying';
  return (
    <Pane background="white" border="1px solid #E6E8F0" borderRadius={8} data-testid="trace-delivery" data-destination={delivery.destinationName} data-state={delivery.state}>
      <Pane display="flex" alignItems="center" gap={12} paddingX={24} paddingY={16} borderBottom={delivery.attempts.length ? '1px solid #E6E8F0' : undefined}>
        <Pane flex={1} minWidth={0}>
          <Pane display="flex" alignItems="center" gap={10}>
            <Heading size={500}>
              <Link href={href('destinations', delivery.destinationId)} style={{ color: 'inherit', textDecoration: 'none' }}>{delivery.destinationName}</Link>
            </Heading>
            <StateBadge state={delivery.state} />
          </Pane>
          <Text size={300} color="muted" display="block" marginTop={4} data-testid="delivery-summary">{delivery.summary}</Text>
          {delivery.windowNote && (
            <Text size={300} color="muted" display="block" marginTop={4} data-testid="delivery-window">{delivery.windowNote}</Text>
          )}
        </Pane>
        <Link href={`${href('destinations', delivery.destinationId)}#status-codes`} style={{ color: '#2952CC', fontSize: 12 }}>Status codes</Link>
        {canResend && (
          <Button size="small" iconBefore={RefreshIcon} onClick={() => setIsConfirming(true)} data-testid="resend">Re-send</Button>
        )}
      </Pane>
      {delivery.attempts.length > 0 && (
        <Pane paddingX={24} paddingY={18}>
          {delivery.attempts.map((attempt, i) => (
            <AttemptItem key={`${attempt.at.getTime()}-${attempt.attempt}-${attempt.state}`} attempt={attempt} isLast={i === delivery.attempts.length - 1} />
          ))}
        </Pane>
      )}
      <ConfirmDialog
        isShown={isConfirming}
        title={`Re-send this event to ${delivery.destinationName}?`}
        confirmLabel="Re-send"
        intent="none"
        isConfirming={resend.isPending}
        onClose={() => setIsConfirming(false)}
        onConfirm={() => resend.mutate({ workspaceId: workspace.id, eventId, destinationId: delivery.destinationId })}
      >
        The destination receives this event once more, as a new delivery with its own attempts. Earlier attempts stay in the trace.
      </ConfirmDialog>
    </Pane>
  );
}

export function TraceScreen({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const { workspace, href } = useWorkspace();
  const trace = useQuery({
    ...trpc.traces.get.queryOptions({ workspaceId: workspace.id, eventId }),
    refetchInterval: (query) => (query.state.data?.isPending ? TRACE_POLL_MS : false),
    staleTime: 0,
  });
  if (trace.isPending) return <Loading label="Loading the event’s trace…" />;
  if (trace.isError) return <QueryError error={trace.error} onRetry={() => trace.refetch()} />;
  const data = trace.data;
  const { event } = data;
  const customer = [event.userId && `user ${event.userId}`, event.email, event.anonymousId && `anonymous ${event.anonymousId}`].filter(Boolean).join(' · ');
  const customerQuery = event.email ? `email:${event.email}` : event.userId ? `user:${event.userId}` : event.anonymousId ? `anon:${event.anonymousId}` : '';
  return (
    <>
      <PageHeader
        crumbs={[{ label: 'Event search', href: `${href('events')}${customerQuery ? `?q=${encodeURIComponent(customerQuery)}` : ''}` }]}
        title={
          <Pane display="flex" alignItems="center" gap={10}>
            <Badge color="neutral">{event.type}</Badge>
            <span>{event.name ?? (event.type === 'identify' ? 'Identify' : event.type)}</span>
          </Pane>
        }
        description={`${customer || 'no identity'} · from ${event.sourceName} · received ${formatDateTime(data.received.receivedAt, { seconds: true })}`}
        actions={
          data.isPending ? (
            <Pane display="flex" alignItems="center" gap={8} data-testid="trace-live">
              <Spinner size={14} />
              <Text size={300} color="muted">Deliveries in progress · updating</Text>
            </Pane>
          ) : undefined
        }
      />
      <Pane display="flex" flexDirection="column" gap={20}>
        <Pane is="section" aria-label="Deliveries" display="flex" flexDirection="column" gap={12}>
          <Heading size={600}>Deliveries</Heading>
          {data.deliveries.length === 0 ? (
            <Text size={300} color="muted">This event’s source had no destination when it arrived.</Text>
          ) : (
            data.deliveries.map((delivery) => <Delivery key={delivery.destinationId} delivery={delivery} eventId={event.id} />)
          )}
        </Pane>
        <Pipeline trace={data} />
        <Received trace={data} />
      </Pane>
    </>
  );
}
