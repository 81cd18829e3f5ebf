'use client';

/** One destination's state for one event, as a coloured badge (same words everywhere). */
import { Badge, Pane, Text, Tooltip } from 'evergreen-ui';
import type { TDeliveryBadgeView } from '../trpc/types.ts';

type TState = TDeliveryBadgeView['state'];

export const STATE_LOOK: Record<TState, { color: 'green' | 'yellow' | 'red' | 'orange' | 'neutral' | 'blue' | 'purple'; label: string }> = {
  delivered: { color: 'green', label: 'Delivered' },
  retrying: { color: 'yellow', label: 'Retrying' },
  pending: { color: 'blue', label: 'Pending' },
  discarded: { color: 'red', label: 'Discarded' },
  archived: { color: 'orange', label: 'Archived' },
  filtered: { color: 'neutral', label: 'Filtered' },
  blocked: { color: 'purple', label: 'Blocked' },
};

export function StateBadge({ state }: { state: TState }) {
  const look = STATE_LOOK[state];
  return (
    <Badge color={look.color} data-state={state}>
      {look.label}
    </Badge>
  );
}

/** "CRM · Discarded · 400" with a tooltip that says why. */
export function DeliveryBadge({ delivery }: { delivery: TDeliveryBadgeView }) {
  const look = STATE_LOOK[delivery.state];
  const detail = delivery.reason ?? (delivery.lastResult ? `last answer ${delivery.lastResult} after ${delivery.attempts} attempt${delivery.attempts === 1 ? '' : 's'}` : 'no attempt yet');
  return (
    <Tooltip content={`${delivery.destinationName}: ${look.label.toLowerCase()} · ${detail}`}>
      <Pane display="inline-flex" alignItems="center" gap={6} paddingX={8} height={24} borderRadius={12} border="1px solid #E6E8F0" background="white" data-testid="delivery-badge" data-state={delivery.state}>
        <Text size={300} fontWeight={500} color="#474d66" maxWidth={140} overflow="hidden" textOverflow="ellipsis" whiteSpace="nowrap">
          {delivery.destinationName}
        </Text>
        <Badge color={look.color}>{delivery.lastResult && delivery.state !== 'filtered' ? `${look.label} · ${delivery.lastResult}` : look.label}</Badge>
      </Pane>
    </Tooltip>
  );
}
