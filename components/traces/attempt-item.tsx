'use client';

/**
 * One attempt on the trace: number, time, answer, latency and the decision in words; opened,
 * the request exactly as sent (secrets masked), the answer's headers that matter and its excerpt.
 */
import { Badge, ChevronDownIcon, ChevronRightIcon, Pane, Text } from 'evergreen-ui';
import { useState } from 'react';
import { CodeBlock } from '../common/code-block.tsx';
import { formatDateTime } from '../common/format.ts';
import type { TAttemptView } from '../trpc/types.ts';

function prettyJson(text: string | null): { code: string; isJson: boolean } {
  if (text === null) return { code: '', isJson: false };
  try {
    return { code: JSON.stringify(JSON.parse(text), null, 2), isJson: true };
  } catch {
    return { code: text, isJson: false };
  }
}

function HeaderList({ headers, testId }: { headers: Record<string, string>; testId: string }) {
  return (
    <Pane border="1px solid #E6E8F0" borderRadius={6} marginBottom={8} data-testid={testId}>
      {Object.entries(headers).map(([name, value]) => (
        <Pane key={name} display="flex" gap={8} paddingX={10} paddingY={4} borderBottom="1px solid #F4F5F9">
          <Text size={300} fontFamily="mono" color="muted" flexShrink={0} width={150} overflow="hidden" textOverflow="ellipsis">{name}</Text>
          <Text size={300} fontFamily="mono" style={{ overflowWrap: 'anywhere' }}>{value}</Text>
        </Pane>
      ))}
    </Pane>
  );
}

export function ResultPill({ attempt }: { attempt: Pick<TAttemptView, 'statusCode' | 'errorCode' | 'state'> }) {
  if (attempt.state === 'replayed') return <Badge color="purple">Re-sent</Badge>;
  if (attempt.statusCode && attempt.statusCode > 0) {
    const color = attempt.statusCode < 300 ? 'green' : attempt.statusCode < 500 ? 'red' : 'orange';
    return <Badge color={color} fontFamily="mono" data-testid="attempt-status">{attempt.statusCode}</Badge>;
  }
  return <Badge color="red" data-testid="attempt-status">{attempt.errorCode ?? 'no answer'}</Badge>;
}

export function AttemptItem({ attempt, isLast }: { attempt: TAttemptView; isLast: boolean }) {
  const [isOpen, setIsOpen] = useState(false);
  const isMarker = attempt.state === 'replayed';
  const request = attempt.request;
  const body = prettyJson(request?.body ?? null);
  const response = prettyJson(attempt.responseExcerpt);
  const dot = attempt.state === 'succeeded' ? '#52BD94' : attempt.state === 'awaiting_retry' ? '#FFB020' : isMarker ? '#8f95b2' : '#D14343';
  return (
    <Pane display="flex" gap={14} data-testid="attempt" data-attempt={attempt.attempt} data-state={attempt.state}>
      <Pane display="flex" flexDirection="column" alignItems="center" width={14} flexShrink={0}>
        <Pane width={12} height={12} borderRadius={6} background={dot} marginTop={6} flexShrink={0} />
        {!isLast && <Pane width={2} flex={1} background="#E6E8F0" marginTop={4} />}
      </Pane>
      <Pane flex={1} minWidth={0} paddingBottom={isLast ? 0 : 18}>
        <Pane
          display="flex"
          alignItems="center"
          gap={10}
          flexWrap="wrap"
          cursor={isMarker ? 'default' : 'pointer'}
          onClick={() => !isMarker && setIsOpen(!isOpen)}
          role={isMarker ? undefined : 'button'}
          aria-expanded={isMarker ? undefined : isOpen}
          tabIndex={isMarker ? undefined : 0}
          onKeyDown={(e: React.KeyboardEvent) => {
            if (!isMarker && (e.key === 'Enter' || e.key === ' ')) {
              e.preventDefault();
              setIsOpen(!isOpen);
            }
          }}
        >
          {!isMarker && (isOpen ? <ChevronDownIcon size={12} color="muted" /> : <ChevronRightIcon size={12} color="muted" />)}
          <Text size={400} fontWeight={600}>{isMarker ? 'Re-sent' : `Attempt ${attempt.attempt}`}</Text>
          {attempt.isReplay && !isMarker && <Badge color="purple">Replay</Badge>}
          <ResultPill attempt={attempt} />
          {attempt.latencyMs !== null && !isMarker && <Text size={300} color="muted">{attempt.latencyMs.toLocaleString('en-US')} ms</Text>}
          <Text size={300} color="muted">{formatDateTime(attempt.at, { seconds: true })}</Text>
        </Pane>
        <Text size={300} color="#474d66" display="block" marginTop={4} data-testid="attempt-decision">{attempt.decision}</Text>
        {isOpen && (
          <Pane marginTop={12} display="grid" gridTemplateColumns="minmax(0, 1fr) minmax(0, 1fr)" gap={16}>
            <Pane minWidth={0}>
              <Text size={300} fontWeight={600} display="block" marginBottom={6}>Request sent</Text>
              {request ? (
                <>
                  <Text size={300} fontFamily="mono" display="block" marginBottom={8} style={{ overflowWrap: 'anywhere' }}>
                    <strong>{request.method}</strong> {request.url}
                  </Text>
                  <HeaderList headers={request.headers} testId="request-headers" />
                  {request.body === null ? (
                    <Text size={300} color="muted">The body of this attempt differed from the first one and was not kept.</Text>
                  ) : (
                    <CodeBlock code={body.code} isJson={body.isJson} tone="light" title={request.bodyIs === 'event' ? 'Body: the event' : 'Body'} maxHeight={320} />
                  )}
                </>
              ) : (
                <Text size={300} color="muted">Nothing was sent in this attempt.</Text>
              )}
            </Pane>
            <Pane minWidth={0}>
              <Text size={300} fontWeight={600} display="block" marginBottom={6}>Answer</Text>
              <Pane display="flex" gap={8} alignItems="center" marginBottom={8}>
                <ResultPill attempt={attempt} />
                {attempt.retryAfterSeconds !== null && <Text size={300} color="muted">Retry-After: {attempt.retryAfterSeconds} s</Text>}
              </Pane>
              {Object.keys(attempt.responseHeaders).length > 0 && <HeaderList headers={attempt.responseHeaders} testId="response-headers" />}
              {attempt.responseExcerpt ? (
                <CodeBlock code={response.code} isJson={response.isJson} tone="light" title="Response body (first 1 KB)" maxHeight={320} testId="response-excerpt" />
              ) : (
                <Text size={300} color="muted">No response body.</Text>
              )}
            </Pane>
          </Pane>
        )}
      </Pane>
    </Pane>
  );
}
