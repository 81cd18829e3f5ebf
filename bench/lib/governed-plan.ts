/**
 * The tracking plan of the governed ingest phase: 200 track events with schemas of the kind
 * teams write (required ids, enums, formats, nested objects and arrays, no unplanned
 * properties), an identify schema and a common schema. The bench event ("Order Completed",
 * bench/lib/events.ts) is one of them and valid, so the phase writes the same rows as the
 * plain one: the figure prices validating every event against the plan (its compiled
 * schema looked up among 200, plus the common schema), not fewer jobs.
 */
import type { TPlanInput } from '../../server/tracking-plans/plans.ts';

type TSchema = Record<string, unknown>;

const AREAS = ['Product', 'Cart', 'Checkout', 'Order', 'Account', 'Search', 'Wishlist', 'Review', 'Coupon', 'Subscription', 'Newsletter', 'Store', 'Support Ticket', 'Video', 'Article', 'Notification', 'Referral', 'Gift Card', 'Payment Method', 'Shipping Address'];
const ACTIONS = ['Viewed', 'Clicked', 'Added', 'Removed', 'Updated', 'Shared', 'Started', 'Completed', 'Failed', 'Dismissed'];

const money = { type: 'number', minimum: 0 };
const id = (prefix: string) => ({ type: 'string', pattern: `^${prefix}_[A-Za-z0-9]+$`, maxLength: 64 });
const PRODUCT: TSchema = {
  type: 'object',
  properties: {
    sku: { type: 'string', minLength: 1 },
    name: { type: 'string', maxLength: 200 },
    price: money,
    quantity: { type: 'integer', minimum: 1 },
    category: { type: 'string', enum: ['footwear', 'apparel', 'equipment', 'nutrition', 'accessories'] },
  },
  required: ['sku', 'price', 'quantity'],
  additionalProperties: false,
};

/** The schema of an ordinary event of the plan: a handful of typed properties, some required. */
function eventSchema(area: string, action: string, n: number): TSchema {
  const key = area.toLowerCase().replace(/ /g, '_');
  const properties: Record<string, TSchema> = {
    [`${key}_id`]: id(key.slice(0, 3)),
    source: { type: 'string', enum: ['web', 'ios', 'android', 'email', 'partner'] },
    position: { type: 'integer', minimum: 0 },
    label: { type: 'string', maxLength: 120 },
    value: money,
    is_logged_in: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string' }, maxItems: 20 },
  };
  if (n % 3 === 0) properties.url = { type: 'string', format: 'uri' };
  if (n % 4 === 0) properties.products = { type: 'array', items: PRODUCT, maxItems: 50 };
  if (n % 5 === 0) properties.reason = { type: 'string', enum: ['too_expensive', 'not_needed', 'found_elsewhere', 'other'] };
  if (action === 'Failed') properties.error_code = { type: 'string', pattern: '^[A-Z_]+$' };
  return { type: 'object', properties, required: [`${key}_id`, 'source'], additionalProperties: false };
}

/** "Order Completed" as the bench event sends it (PROPERTIES in bench/lib/events.ts). */
const ORDER_COMPLETED: TSchema = {
  type: 'object',
  properties: {
    orderId: id('ord'),
    total: money,
    currency: { type: 'string', enum: ['EUR', 'USD', 'GBP', 'CHF'] },
    coupon: { type: 'string', maxLength: 40 },
    products: { type: 'array', items: PRODUCT, minItems: 1, maxItems: 100 },
  },
  required: ['orderId', 'total', 'currency', 'products'],
  additionalProperties: false,
};

function events(): TPlanInput['rules']['events'] {
  const out: TPlanInput['rules']['events'] = [];
  let n = 0;
  for (const area of AREAS) {
    for (const action of ACTIONS) {
      const name = `${area} ${action}`;
      if (name === 'Order Completed') out.push({ name, schema: ORDER_COMPLETED });
      else out.push({ name, schema: eventSchema(area, action, n) });
      n++;
    }
  }
  return out;
}

export const GOVERNED_PLAN: TPlanInput = {
  name: 'Bench shop plan',
  rules: {
    events: events(),
    identify: {
      type: 'object',
      properties: { email: { type: 'string', format: 'email' }, name: { type: 'string' }, plan: { type: 'string', enum: ['free', 'pro', 'team'] }, created_at: { type: 'string', format: 'date-time' } },
      required: ['email'],
    },
    common: {
      type: 'object',
      properties: {
        messageId: { type: 'string', minLength: 1 },
        context: { type: 'object', properties: { library: { type: 'object', required: ['name', 'version'] }, locale: { type: 'string' } }, required: ['library'] },
      },
      required: ['messageId', 'context'],
    },
  },
};
