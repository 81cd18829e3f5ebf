'use client';

/** Whether the debugger is listening: a breathing green dot while live, and the Pause/Resume toggle. */
import { Button, Pane, PauseIcon, PlayIcon, Text, Tooltip } from 'evergreen-ui';
import { errorMessage } from '../trpc/errors.ts';

export type TLiveStatus = 'live' | 'paused' | 'retrying';

const DOT_COLORS: Record<TLiveStatus, string> = { live: '#52BD94', paused: '#C1C4D6', retrying: '#FFB020' };
const LABELS: Record<TLiveStatus, string> = { live: 'Live', paused: 'Paused', retrying: 'Reconnecting…' };

export function LiveDot({ status }: { status: TLiveStatus }) {
  return (
    <Pane
      is="span"
      display="inline-block"
      flexShrink={0}
      width={10}
      height={10}
      borderRadius={5}
      background={DOT_COLORS[status]}
      className={status === 'live' ? 'sy-live-dot' : undefined}
      aria-hidden
    />
  );
}

export function LiveControl({ isPaused, pollError, onToggle }: { isPaused: boolean; pollError: unknown; onToggle: () => void }) {
  const status: TLiveStatus = isPaused ? 'paused' : pollError ? 'retrying' : 'live';
  const label = (
    <Pane display="flex" alignItems="center" gap={8} data-testid="live-status" data-status={status}>
      <LiveDot status={status} />
      <Text size={300} fontWeight={500} color={status === 'live' ? '#317159' : 'muted'}>
        {LABELS[status]}
      </Text>
    </Pane>
  );
  return (
    <Pane display="flex" alignItems="center" gap={12} flexShrink={0} marginLeft="auto">
      {status === 'retrying' ? <Tooltip content={`The last check failed: ${errorMessage(pollError)}`}>{label}</Tooltip> : label}
      <Button size="small" iconBefore={isPaused ? PlayIcon : PauseIcon} onClick={onToggle}>
        {isPaused ? 'Resume' : 'Pause'}
      </Button>
    </Pane>
  );
}
