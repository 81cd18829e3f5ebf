'use client';

/**
 * "Activity": how deliveries to this destination went in the last hour and its latest
 * attempts, polled every two seconds so the page follows deliveries as they happen.
 */
import { useQuery } from '@tanstack/react-query';
import { Button, Pane, SendMessageIcon, Spinner, Text, Tooltip } from 'evergreen-ui';
import { useRouter } from 'next/navigation';
import { Card } from '../common/card.tsx';
import { formatDateTime } from '../common/format.ts';
import { Empty, Loading, QueryError } from '../common/states.tsx';
import { LiveDot } from '../debugger/live-status.tsx';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { errorMessage } from '../trpc/errors.ts';
import { useTRPC } from '../trpc/provider.tsx';
import type { TDestination } from '../trpc/types.ts';
import { ActivityStats } from './activity-stats.tsx';
import { AttemptsTable } from './attempts-table.tsx';
import { DeliveryStatusBanner } from './delivery-status.tsx';

export const ACTIVITY_POLL_MS = 2000;

function LiveIndicator({ error, updatedAt, isEnabled }: { error: unknown; updatedAt: number; isEnabled: boolean }) {
  const status = error ? 'retrying' : isEnabled ? 'live' : 'paused';
  const label = error ? 'Reconnecting…' : isEnabled ? 'Live' : 'Live · destination disabled';
  const tip = error ? `The last update failed: ${errorMessage(error)}` : `Updates every ${ACTIVITY_POLL_MS / 1000} s · last at ${formatDateTime(new Date(updatedAt), { seconds: true })}`;
  return (
    <Tooltip content={tip}>
      <Pane display="flex" alignItems="center" gap={8} data-testid="activity-live" data-status={status}>
        <LiveDot status={status} />
        <Text size={300} fontWeight={500} color={status === 'live' ? '#317159' : 'muted'}>
          {label}
        </Text>
      </Pane>
    </Tooltip>
  );
}

export function ActivityCard({ destination }: { destination: TDestination }) {
  const trpc = useTRPC();
  const router = useRouter();
  const { workspace, href } = useWorkspace();
  const activity = useQuery({
    ...trpc.destinations.activity.queryOptions({ workspaceId: workspace.id, destinationId: destination.id }),
    refetchInterval: ACTIVITY_POLL_MS,
    staleTime: 0,
  });
  const data = activity.data;
  const waiting = data ? data.queue.pending + data.queue.retrying : 0;
  const debuggerHref = `${href('sources', destination.sourceId)}?tab=debugger`;

  return (
    <Card
      title="Activity"
      description={`Deliveries to ${destination.type === 'webhook' ? destination.endpoint : destination.typeLabel} in the last hour and the latest attempts, as they happen.`}
      actions={data ? <LiveIndicator error={activity.error} updatedAt={activity.dataUpdatedAt} isEnabled={destination.enabled} /> : undefined}
      testId="destination-activity"
    >
      {activity.isPending ? (
        <Loading label="Loading activity…" />
      ) : !data ? (
        <QueryError error={activity.error} onRetry={() => activity.refetch()} />
      ) : (
        <Pane display="flex" flexDirection="column" gap={20}>
          <DeliveryStatusBanner status={data.status} waiting={waiting} />
          <ActivityStats activity={data} />
          {data.recentAttempts.length === 0 && waiting > 0 && data.status.state !== 'normal' ? null : data.recentAttempts.length === 0 && waiting > 0 ? (
            <Empty icon={<Spinner size={20} />} title="Delivering the first events…" description={`${waiting} ${waiting === 1 ? 'event is' : 'events are'} in the queue. The attempts appear here as soon as the endpoint answers.`} />
          ) : data.recentAttempts.length === 0 ? (
            <Empty
              icon={<SendMessageIcon color="#3366FF" />}
              iconBgColor="#EBF0FF"
              title="No deliveries yet — send an event to the source"
              description={`Every event ${destination.sourceName} receives is delivered here. Its attempts appear in this list within seconds, with the status code your endpoint answered.`}
              action={<Button onClick={() => router.push(debuggerHref)}>Open the source debugger</Button>}
            />
          ) : (
            <Pane>
              <Pane display="flex" alignItems="baseline" justifyContent="space-between" marginBottom={8}>
                <Text fontWeight={600}>Latest attempts</Text>
                <Text size={300} color="muted">{`The ${data.recentAttempts.length} most recent, newest first · select one for its response`}</Text>
              </Pane>
              <AttemptsTable attempts={data.recentAttempts} status={data.status} />
            </Pane>
          )}
        </Pane>
      )}
    </Card>
  );
}
