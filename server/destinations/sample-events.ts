/** Sample events of each call type, for "send test event": what a small shop's app would send. */
import { randomUUID } from 'node:crypto';
import type { TCallType } from './catalog/types.ts';

export function sampleEvent(type: TCallType, now: Date): Record<string, unknown> {
  const base = {
    type,
    messageId: `test-${randomUUID()}`,
    userId: 'test-user-1234',
    anonymousId: 'test-anon-5678',
    timestamp: now.toISOString(),
    receivedAt: now.toISOString(),
    context: { ip: '203.0.113.7', locale: 'en-GB', library: { name: 'switchyard-test-event', version: '1' }, page: { url: 'https://shop.example.com/pricing', title: 'Pricing' } },
    integrations: {},
  };
  switch (type) {
    case 'track':
      return { ...base, event: 'Order Completed', properties: { orderId: 'test-1001', revenue: 42.5, currency: 'EUR' } };
    case 'identify':
      return { ...base, traits: { email: 'test.user@example.com', name: 'Test User', plan: 'pro' } };
    case 'page':
      return { ...base, name: 'Pricing', properties: { url: 'https://shop.example.com/pricing', title: 'Pricing' } };
    case 'screen':
      return { ...base, name: 'Checkout', properties: { step: 2 } };
    case 'group':
      return { ...base, groupId: 'test-company-42', traits: { name: 'Example Ltd', plan: 'enterprise' } };
    case 'alias':
      return { ...base, previousId: 'test-anon-5678' };
  }
}
