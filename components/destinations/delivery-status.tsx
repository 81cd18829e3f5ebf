'use client';

/**
 * What is really happening to this destination's deliveries, above its Activity: held for
 * a settings problem, rate limited until a time, paused by the breaker until the next
 * probe, or sending under lowered limits. Times are the ones the worker obeys
 * (destination_flow), so the banner, the attempt rows and the worker agree.
 */
import { Alert, Pane, Text } from 'evergreen-ui';
import { formatTime } from '../common/format.ts';
import type { TDeliveryStatus } from './delivery-activity.ts';

/** "20 in flight · 150 requests/s" — the limits the worker applies now. */
export function describeLimits(status: TDeliveryStatus): string {
  const { concurrency, maxInFlight, rate } = status.limits;
  const inFlight = concurrency < maxInFlight ? `${concurrency} of ${maxInFlight} in flight` : `${maxInFlight} in flight`;
  return `${inFlight} · ${rate === null ? 'no rate limit' : `${rate} requests/s`}`;
}

export function headline(status: TDeliveryStatus): string | null {
  switch (status.state) {
    case 'held':
      return `Held: ${status.held?.reason ?? 'its settings cannot work'}`;
    case 'paused':
      return `Rate limited by the partner until ${status.pausedUntil ? formatTime(status.pausedUntil) : 'further notice'}`;
    case 'probing': {
      const probe = status.nextProbeAt && status.nextProbeAt.getTime() > Date.now() ? `next probe at ${formatTime(status.nextProbeAt)}` : 'probing now';
      // (nextProbeAt is also when the earliest waiting retry is due: the worker and this line agree.)
      return `Paused after ${status.breakerReason ?? 'repeated failures'}; ${probe}`;
    }
    case 'adapting':
      return `Sending under lowered limits: ${describeLimits(status)}`;
    default:
      return null;
  }
}

function explanation(status: TDeliveryStatus, waiting: number): string {
  const events = `${waiting.toLocaleString('en-US')} ${waiting === 1 ? 'event waits' : 'events wait'}`;
  switch (status.state) {
    case 'held':
      return `${events} in the queue; none is discarded and no attempt is used up. Delivery resumes as soon as the destination's settings are changed.`;
    case 'paused':
      return `The partner answered ${status.pauseReason ?? 'with a Retry-After'}: nothing is sent to it before then. ${events}.`;
    case 'probing':
      return `The endpoint failed most recent attempts, so Switchyard sends one request at a time (a waiting retry first) until one succeeds, then resumes. ${events}.`;
    case 'adapting':
      return `Lowered after ${status.limits.reason ?? 'failures'}; the limits rise again while requests succeed.`;
    default:
      return '';
  }
}

export function DeliveryStatusBanner({ status, waiting }: { status: TDeliveryStatus; waiting: number }) {
  const title = headline(status);
  if (!title) return null;
  const intent = status.state === 'held' ? 'danger' : status.state === 'adapting' ? 'info' : 'warning';
  return (
    <Alert intent={intent} title={title} data-testid="delivery-status" data-state={status.state}>
      <Pane marginTop={4}>
        <Text size={300} color="#474d66">{explanation(status, waiting)}</Text>
      </Pane>
    </Alert>
  );
}
