'use client';

/**
 * The debugger before a source's first event: what to run to send one (curl, or
 * @segment/analytics-node from a server), with the source's real write key and this
 * install's public URL. The page keeps listening, so the event shows up by itself.
 */
import { Alert, Heading, Pane, Paragraph, Strong, Text } from 'evergreen-ui';
import type { ReactNode } from 'react';
import { CodeBlock } from '../common/code-block.tsx';
import type { TSource } from '../trpc/types.ts';
import { LiveDot } from './live-status.tsx';
import { curlCommand, NODE_INSTALL_COMMAND, nodeSnippet } from './snippets.ts';

function Step({ number, title, description, children }: { number: number; title: string; description: ReactNode; children: ReactNode }) {
  return (
    <Pane display="flex" gap={16}>
      <Pane flexShrink={0} width={28} height={28} borderRadius={14} background="#EBF0FF" display="flex" alignItems="center" justifyContent="center">
        <Strong size={300} color="#2952CC">{number}</Strong>
      </Pane>
      <Pane flex={1} minWidth={0} display="flex" flexDirection="column" gap={10}>
        <Pane>
          <Heading is="h3" size={500}>{title}</Heading>
          <Paragraph size={300} color="muted" marginTop={2}>{description}</Paragraph>
        </Pane>
        {children}
      </Pane>
    </Pane>
  );
}

export function FirstEventGuide({ source, publicUrl, isListening }: { source: TSource; publicUrl: string; isListening: boolean }) {
  const writeKey = source.writeKeys.find((k) => !k.revokedAt)?.key;
  return (
    <Pane background="white" border="1px solid #E6E8F0" borderRadius={8} padding={32} data-testid="debugger-empty">
      <Pane display="flex" alignItems="center" gap={12}>
        <LiveDot status={isListening && source.enabled ? 'live' : 'paused'} />
        <Heading is="h2" size={700}>Waiting for the first event</Heading>
      </Pane>
      <Paragraph color="muted" marginTop={8} maxWidth={680}>
        Send an event with <Strong color="muted">{source.name}</Strong>’s write key and it appears here within a couple of seconds. This page keeps
        listening: there is no need to reload.
      </Paragraph>
      {!source.enabled && (
        <Alert intent="warning" title="This source is disabled" marginTop={20} data-testid="debugger-disabled">
          <Text size={300}>Switchyard rejects events sent with its keys until it is enabled again under Overview → Settings.</Text>
        </Alert>
      )}
      {writeKey ? (
        <Pane display="flex" flexDirection="column" gap={28} marginTop={28}>
          <Step number={1} title="Send an event with curl" description="From any terminal. The write key is the user name of HTTP Basic auth; the password stays empty.">
            <CodeBlock title="Terminal" code={curlCommand({ baseUrl: publicUrl, writeKey })} testId="curl-command" label="Copy command" />
          </Step>
          <Step
            number={2}
            title="Or from Node.js with @segment/analytics-node"
            description="Segment’s own library works unchanged: point its host at this Switchyard."
          >
            <CodeBlock title="Terminal" code={NODE_INSTALL_COMMAND} testId="node-install" />
            <CodeBlock title="send-first-event.mjs" code={nodeSnippet({ baseUrl: publicUrl, writeKey })} testId="node-snippet" label="Copy code" />
          </Step>
        </Pane>
      ) : (
        <Alert intent="warning" title="This source has no active write key" marginTop={20} data-testid="debugger-no-key">
          <Text size={300}>Events need a write key. An editor or admin can add one under Overview → Write keys.</Text>
        </Alert>
      )}
    </Pane>
  );
}
