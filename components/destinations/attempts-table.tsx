'use client';

/** The latest delivery attempts of a destination, newest first; a row opens to the whole response excerpt. */
import { Badge, Button, ChevronDownIcon, ChevronRightIcon, Pane, Table, Text, Tooltip } from 'evergreen-ui';
import Link from 'next/link';
import { useState } from 'react';
import { useWorkspace } from '../shell/workspace-context.tsx';
import { formatDateTime } from '../common/format.ts';
import { receivedAgo } from '../debugger/event-row.tsx';
import { useNow } from '../common/use-now.ts';
import { formatTime } from '../common/format.ts';
import { formatLatency, formatRetryIn, outcomeOf, type TDeliveryAttempt, type TDeliveryStatus } from './delivery-activity.ts';

const FIRST_ROWS = 8;
const WIDTHS = { chevron: 36, time: 120, attempt: 84, outcome: 120, result: 150, latency: 96, retry: 120 } as const;

function keyOf(attempt: TDeliveryAttempt): string {
  return `${attempt.jobId}:${attempt.attempt}:${attempt.state}:${attempt.at.getTime()}`;
}

function Result({ attempt }: { attempt: TDeliveryAttempt }) {
  if (attempt.statusCode !== null) {
    const isOk = attempt.statusCode >= 200 && attempt.statusCode < 300;
    return (
      <Text size={300} fontFamily="mono" fontWeight={600} color={isOk ? '#317159' : '#A73636'} data-testid="attempt-status">
        {`HTTP ${attempt.statusCode}`}
      </Text>
    );
  }
  if (attempt.errorCode === 'SKIPPED') {
    return (
      <Text size={300} color="muted" title={attempt.explanation ?? 'This destination does not take this call type'} data-testid="attempt-status">
        Skipped
      </Text>
    );
  }
  if (attempt.errorCode === 'NOT_SENT') {
    return (
      <Text size={300} color="muted" title="Switchyard did not send this attempt; the response column says why" data-testid="attempt-status">
        Not sent
      </Text>
    );
  }
  if (attempt.errorCode) {
    return (
      <Text size={300} fontFamily="mono" color="#A73636" title="Network error: no HTTP answer" data-testid="attempt-status">
        {attempt.errorCode}
      </Text>
    );
  }
  return <Text size={300} color="muted">—</Text>;
}

function JobTraceLink({ jobId }: { jobId: string }) {
  const { href } = useWorkspace();
  return (
    <Link href={href('jobs', jobId)} style={{ color: '#2952CC', fontSize: 12 }} data-testid="attempt-trace-link">
      Open the event’s trace
    </Link>
  );
}

function AttemptDetail({ attempt }: { attempt: TDeliveryAttempt }) {
  return (
    <Pane background="#F9FAFC" borderBottom="1px solid #E6E8F0" paddingX={48} paddingY={16} data-testid="attempt-detail">
      <Pane display="flex" gap={32} flexWrap="wrap" marginBottom={12}>
        <Text size={300} color="muted">
          Job <code style={{ color: '#474d66' }}>{attempt.jobId}</code>
        </Text>
        <JobTraceLink jobId={attempt.jobId} />
        <Text size={300} color="muted">{`At ${formatDateTime(attempt.at, { seconds: true })}`}</Text>
        {attempt.retryAt && <Text size={300} color="muted">{`Retry scheduled for ${formatDateTime(attempt.retryAt, { seconds: true })}`}</Text>}
      </Pane>
      {attempt.explanation && (
        <Text size={400} display="block" marginBottom={12} color="#101840" data-testid="attempt-explanation">{attempt.explanation}</Text>
      )}
      <Text size={300} fontWeight={600} display="block" marginBottom={6}>Response excerpt</Text>
      {attempt.responseExcerpt ? (
        <pre style={{ margin: 0, padding: 12, background: 'white', border: '1px solid #E6E8F0', borderRadius: 4, fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all', maxHeight: 240, overflow: 'auto', color: '#101840' }}>
          {attempt.responseExcerpt}
        </pre>
      ) : (
        <Text size={300} color="muted">{attempt.statusCode === null ? 'No response: the request did not get an HTTP answer.' : 'The response had no body.'}</Text>
      )}
    </Pane>
  );
}

/**
 * When a retrying job's next attempt really goes out: its retry time, unless the
 * destination is held, paused or probing, which the worker obeys first.
 */
export function nextRetryText(retryAt: Date, status: TDeliveryStatus, now: Date): string {
  if (status.state === 'held') return 'held';
  const pausedUntil = status.state === 'paused' ? status.pausedUntil : null;
  if (pausedUntil && pausedUntil > retryAt) return `after ${formatTime(pausedUntil)}`;
  // The breaker sends one probe at a time (a due retry first): no retry goes out on its own time.
  if (status.state === 'probing') return 'waits (paused)';
  return formatRetryIn(retryAt, now);
}

export function AttemptsTable({ attempts, status }: { attempts: TDeliveryAttempt[]; status: TDeliveryStatus }) {
  const now = useNow(2000);
  const [openKey, setOpenKey] = useState<string | null>(null);
  const [isAllShown, setIsAllShown] = useState(false);
  const hidden = attempts.length - FIRST_ROWS;
  // Newest first: the first row of a job is its latest state; older retry times are history.
  const latestKeys = new Set<string>();
  const seenJobs = new Set<string>();
  for (const attempt of attempts) {
    if (!seenJobs.has(attempt.jobId)) latestKeys.add(keyOf(attempt));
    seenJobs.add(attempt.jobId);
  }
  return (
    <Pane border="1px solid #E6E8F0" borderRadius={8} overflow="hidden" background="white">
      <Table data-testid="attempts-table">
        <Table.Head height={40} background="#F9FAFC">
          <Table.HeaderCell flexBasis={WIDTHS.chevron} flexGrow={0} />
          <Table.TextHeaderCell flexBasis={WIDTHS.time} flexGrow={0}>Time</Table.TextHeaderCell>
          <Table.TextHeaderCell flexBasis={WIDTHS.attempt} flexGrow={0}>Attempt</Table.TextHeaderCell>
          <Table.TextHeaderCell flexBasis={WIDTHS.outcome} flexGrow={0}>Outcome</Table.TextHeaderCell>
          <Table.TextHeaderCell flexBasis={WIDTHS.result} flexGrow={0}>Status</Table.TextHeaderCell>
          <Table.TextHeaderCell flexBasis={WIDTHS.latency} flexGrow={0}>Latency</Table.TextHeaderCell>
          <Table.TextHeaderCell flexBasis={WIDTHS.retry} flexGrow={0}>Next retry</Table.TextHeaderCell>
          <Table.TextHeaderCell flexGrow={1}>Response</Table.TextHeaderCell>
        </Table.Head>
        <Table.Body>
          {(isAllShown ? attempts : attempts.slice(0, FIRST_ROWS)).map((attempt) => {
            const key = keyOf(attempt);
            const isOpen = openKey === key;
            const outcome = outcomeOf(attempt.state);
            const Chevron = isOpen ? ChevronDownIcon : ChevronRightIcon;
            return (
              <Pane key={key}>
                <Table.Row height={44} isSelectable onSelect={() => setOpenKey(isOpen ? null : key)} aria-expanded={isOpen} background={isOpen ? '#F3F6FF' : undefined} data-testid="attempt-row" data-state={attempt.state}>
                  <Table.Cell flexBasis={WIDTHS.chevron} flexGrow={0} paddingRight={0}>
                    <Chevron size={12} color="muted" />
                  </Table.Cell>
                  <Table.Cell flexBasis={WIDTHS.time} flexGrow={0}>
                    <Tooltip content={formatDateTime(attempt.at, { seconds: true })}>
                      <Text size={300} color="#474d66">{receivedAgo(attempt.at, now)}</Text>
                    </Tooltip>
                  </Table.Cell>
                  <Table.TextCell flexBasis={WIDTHS.attempt} flexGrow={0}>{`#${attempt.attempt}`}</Table.TextCell>
                  <Table.Cell flexBasis={WIDTHS.outcome} flexGrow={0}>
                    <Tooltip content={outcome.meaning}>
                      <Badge color={outcome.color} data-testid="attempt-outcome">{outcome.label}</Badge>
                    </Tooltip>
                  </Table.Cell>
                  <Table.Cell flexBasis={WIDTHS.result} flexGrow={0}>
                    <Result attempt={attempt} />
                  </Table.Cell>
                  <Table.TextCell flexBasis={WIDTHS.latency} flexGrow={0}>{formatLatency(attempt.latencyMs)}</Table.TextCell>
                  <Table.Cell flexBasis={WIDTHS.retry} flexGrow={0}>
                    {attempt.retryAt && attempt.state === 'awaiting_retry' ? (
                      <Tooltip content={formatDateTime(attempt.retryAt, { seconds: true })}>
                        {latestKeys.has(key) ? (
                          <Text size={300} color="#996A13" data-testid="attempt-next-retry">{nextRetryText(attempt.retryAt, status, now)}</Text>
                        ) : (
                          <Text size={300} color="muted">retried</Text>
                        )}
                      </Tooltip>
                    ) : (
                      <Text size={300} color="muted">—</Text>
                    )}
                  </Table.Cell>
                  <Table.Cell flexGrow={1} minWidth={0}>
                    <Text size={300} fontFamily="mono" color={attempt.responseExcerpt ? '#474d66' : 'muted'} overflow="hidden" textOverflow="ellipsis" whiteSpace="nowrap" data-testid="attempt-excerpt">
                      {attempt.responseExcerpt ?? '—'}
                    </Text>
                  </Table.Cell>
                </Table.Row>
                {isOpen && <AttemptDetail attempt={attempt} />}
              </Pane>
            );
          })}
        </Table.Body>
      </Table>
      {hidden > 0 && (
        <Pane display="flex" justifyContent="center" paddingY={8} borderTop="1px solid #E6E8F0" background="#F9FAFC">
          <Button appearance="minimal" size="small" onClick={() => setIsAllShown(!isAllShown)}>
            {isAllShown ? 'Show fewer' : `Show ${hidden} older ${hidden === 1 ? 'attempt' : 'attempts'}`}
          </Button>
        </Pane>
      )}
    </Pane>
  );
}
