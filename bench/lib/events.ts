/** Benchmark payloads: ~1 KB track events, 100 per /v1/batch body, every messageId unique. */
const PROPERTIES = {
  orderId: 'ord_000000000000',
  total: 129.99,
  currency: 'EUR',
  coupon: 'AUTUMN-24',
  products: [
    { sku: 'sku-10001', name: 'Trail running shoe, waterproof, size 43', price: 89.99, quantity: 1, category: 'footwear' },
    { sku: 'sku-20002', name: 'Merino running socks, 3-pack', price: 19.99, quantity: 2, category: 'apparel' },
  ],
};
const CONTEXT = {
  library: { name: 'switchyard-bench', version: '1.0.0' },
  page: { path: '/checkout/complete', referrer: 'https://www.example.com/cart', title: 'Thank you for your order', url: 'https://www.example.com/checkout/complete' },
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  locale: 'de-DE',
  campaign: { name: 'autumn-sale', source: 'newsletter', medium: 'email' },
};

/** One event as JSON with `@ID@` where the unique part goes. */
const EVENT_TEMPLATE = JSON.stringify({
  type: 'track',
  event: 'Order Completed',
  userId: 'user-@ID@',
  messageId: 'bench-@ID@',
  timestamp: '2026-11-22T10:00:00.000Z',
  properties: PROPERTIES,
  context: CONTEXT,
});

export const EVENT_BYTES = Buffer.byteLength(EVENT_TEMPLATE);
const PARTS = EVENT_TEMPLATE.split('@ID@');

let counter = 0;
const runId = Date.now().toString(36);

export function eventJson(): string {
  const id = `${runId}-${(counter++).toString(36)}`;
  return PARTS.join(id);
}

export function batchBody(size = 100): string {
  const events = new Array<string>(size);
  for (let i = 0; i < size; i++) events[i] = eventJson();
  return `{"sentAt":"${new Date().toISOString()}","batch":[${events.join(',')}]}`;
}

/**
 * A batch whose events carry the request's number in their messageId
 * (`bench-e2e_<request>_<i>`), so a query can tell which request delivered each event
 * (bench/e2e.ts reads it back with split_part).
 */
export function numberedBatchBody(request: number, size = 100): string {
  const events = new Array<string>(size);
  for (let i = 0; i < size; i++) events[i] = PARTS.join(`e2e_${request}_${i}`);
  return `{"sentAt":"${new Date().toISOString()}","batch":[${events.join(',')}]}`;
}
