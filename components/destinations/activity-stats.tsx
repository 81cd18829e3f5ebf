'use client';

/** The Activity card's tiles: outcomes of the last hour, average latency and what waits in the queue now. */
import { Pane, Text, Tooltip } from 'evergreen-ui';
import type { ReactNode } from 'react';
import { formatCount, formatLatency, type TDestinationActivity } from './delivery-activity.ts';
import { describeLimits } from './delivery-status.tsx';

const ACCENTS = { green: '#52BD94', yellow: '#FFB020', red: '#D14343', grey: '#8F95B2', blue: '#3366FF', none: '#C1C4D6' } as const;

function Tile({ label, value, hint, help, accent, testId }: { label: string; value: ReactNode; hint: string; help: string; accent: keyof typeof ACCENTS; testId: string }) {
  return (
    <Tooltip content={help}>
      <Pane background="white" border="1px solid #E6E8F0" borderRadius={6} paddingX={16} paddingY={14} minWidth={0} data-testid={`${testId}-tile`}>
        <Pane display="flex" alignItems="center" gap={8}>
          <Pane is="span" width={8} height={8} borderRadius={4} background={ACCENTS[accent]} flexShrink={0} aria-hidden />
          <Text size={300} color="muted" fontWeight={500}>
            {label}
          </Text>
        </Pane>
        <Text is="div" size={600} fontWeight={600} color="#101840" marginTop={6} fontSize={24} lineHeight="32px" whiteSpace="nowrap" data-testid={testId}>
          {value}
        </Text>
        <Text is="div" size={300} color="muted" marginTop={2} whiteSpace="nowrap" overflow="hidden" textOverflow="ellipsis">
          {hint}
        </Text>
      </Pane>
    </Tooltip>
  );
}

export function ActivityStats({ activity }: { activity: TDestinationActivity }) {
  const { lastHour, queue, status } = activity;
  const { limits } = status;
  const isLowered = limits.concurrency < limits.maxInFlight || (limits.rate !== null && limits.rate !== limits.configuredRate);
  const waiting = queue.pending + queue.retrying;
  return (
    <Pane display="grid" gridTemplateColumns="repeat(auto-fit, minmax(150px, 1fr))" gap={12} data-testid="activity-stats">
      <Tile label="Delivered" value={formatCount(lastHour.delivered)} hint="last hour" help="Attempts the endpoint answered with 2xx in the last hour." accent="green" testId="stat-delivered" />
      <Tile label="Retried" value={formatCount(lastHour.retried)} hint="failed, retried later" help="Failed attempts in the last hour that were scheduled for another try." accent="yellow" testId="stat-retried" />
      <Tile label="Discarded" value={formatCount(lastHour.discarded)} hint="refused, not retried" help="Events the endpoint refused (4xx) in the last hour; they are not retried but can be replayed." accent="red" testId="stat-discarded" />
      <Tile label="Archived" value={formatCount(lastHour.archived)} hint="retry window ended" help="Events that still failed when the retry window ended, in the last hour; they can be replayed." accent="grey" testId="stat-archived" />
      <Tile label="Avg latency" value={formatLatency(lastHour.avgLatencyMs)} hint="per attempt, last hour" help="Average time from sending a request to the endpoint's answer." accent="blue" testId="stat-latency" />
      <Tile
        label="In queue"
        value={formatCount(waiting)}
        hint={`${formatCount(queue.pending)} pending · ${formatCount(queue.retrying)} retrying`}
        help="Events waiting right now: pending ones have not been tried yet, retrying ones wait for their next attempt."
        accent={waiting > 0 ? 'yellow' : 'none'}
        testId="stat-queue"
      />
      <Tile
        label="Limit now"
        value={status.state === 'held' || status.state === 'paused' ? 'none' : status.state === 'probing' ? '1 probe' : limits.rate === null ? `${formatCount(limits.concurrency)} at once` : `${formatCount(limits.rate)}/s`}
        hint={status.state === 'held' ? 'held: see above' : status.state === 'paused' ? 'paused: see above' : status.state === 'probing' ? 'breaker open' : isLowered ? `lowered from ${formatCount(limits.maxInFlight)}` : describeLimits(status)}
        help={`What the worker allows now, across all workers. It lowers the rate when the endpoint answers 429 and the requests in flight on 5xx and timeouts, and raises them again while requests succeed.${limits.reason ? ` Last change: ${limits.reason}.` : ''}`}
        accent={isLowered ? 'yellow' : 'none'}
        testId="stat-limit"
      />
    </Pane>
  );
}
