import { describe, expect, it } from 'vitest';
import { inferRules } from './draft.ts';
import { compilePlan } from './validate.ts';

describe('drafting a plan from traffic', () => {
  const events = [
    { type: 'track', name: 'Order Completed', payload: { properties: { total: 5, currency: 'EUR', coupon: 'X' } } },
    { type: 'track', name: 'Order Completed', payload: { properties: { total: 9.5, currency: 'USD' } } },
    { type: 'track', name: 'Signed Up', payload: {} },
    { type: 'identify', name: null, payload: { traits: { email: 'a@example.com', age: 40 } } },
    { type: 'identify', name: null, payload: { traits: { email: null } } },
  ];

  it('lists event names, property types (integer and number merge) and which properties always appear', () => {
    expect(inferRules(events)).toEqual({
      events: [
        { name: 'Order Completed', schema: { type: 'object', properties: { coupon: { type: 'string' }, currency: { type: 'string' }, total: { type: 'number' } }, required: ['currency', 'total'] } },
        { name: 'Signed Up', schema: { type: 'object', properties: {} } },
      ],
      identify: { type: 'object', properties: { age: { type: 'integer' }, email: { type: ['null', 'string'] } }, required: ['email'] },
    });
  });

  it('drafts a plan the traffic it came from passes', () => {
    const plan = compilePlan({ id: 'draft', version: 1, rules: inferRules(events) });
    for (const event of events) expect(plan.check(event).violations).toEqual([]);
    expect(plan.check({ type: 'track', name: 'Order Completed', payload: { properties: { total: 'x', currency: 'EUR' } } }).violations.map((v) => v.kind)).toEqual(['wrong_type']);
  });
});
