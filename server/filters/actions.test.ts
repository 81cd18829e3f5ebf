import { describe, expect, it } from 'vitest';
import { applyFilters, compileFilter, isSampledIn, type TFilterAction } from './actions.ts';

const EVENT = {
  type: 'identify',
  messageId: 'm-1',
  userId: 'u-1',
  traits: { email: 'ada@example.com', plan: 'pro', name: 'Ada' },
  properties: { a: 1, 'b.c': 2, nested: { keep: true, drop: 'x' } },
  context: { ip: '203.0.113.9', locale: 'en' },
};

const filter = (action: TFilterAction, condition = 'true', id = 'f1') => compileFilter({ id, title: id, version: 1, condition, action });

describe('filter actions', () => {
  it.each<[string, TFilterAction, Record<string, unknown> | null, string[]]>([
    ['drop_properties removes listed paths only', { type: 'drop_properties', paths: ['traits.email', 'context.ip'] }, { traits: { plan: 'pro', name: 'Ada' }, context: { locale: 'en' } }, ['traits.email', 'context.ip']],
    ['drop_properties reads escaped paths', { type: 'drop_properties', paths: ['properties.b\\.c', 'properties.nested.drop'] }, { properties: { a: 1, nested: { keep: true } } }, ['properties.b\\.c', 'properties.nested.drop']],
    ['drop_properties of absent paths changes nothing', { type: 'drop_properties', paths: ['traits.phone'] }, null, []],
    ['allow_properties keeps only listed keys of each named object', { type: 'allow_properties', paths: ['traits.plan', 'context.locale'] }, { traits: { plan: 'pro' }, context: { locale: 'en' } }, ['traits.email', 'traits.name', 'context.ip']],
    ['allow_properties leaves unnamed objects alone', { type: 'allow_properties', paths: ['properties.nested.keep'] }, { properties: { a: 1, 'b.c': 2, nested: { keep: true } } }, ['properties.nested.drop']],
  ])('%s', (_name, action, expectedPart, removed) => {
    const outcome = applyFilters([filter(action)], EVENT);
    expect(outcome.removed).toEqual(removed);
    if (expectedPart === null) {
      expect(outcome.decision).toBe('kept');
      expect(outcome.changed).toBeUndefined();
    } else {
      expect(outcome.decision).toBe('changed');
      expect(outcome.changed).toMatchObject({ type: 'identify', userId: 'u-1', ...expectedPart });
      for (const [key, value] of Object.entries(expectedPart)) expect(outcome.changed?.[key]).toEqual(value);
    }
    // The stored event is never mutated.
    expect(EVENT.traits.email).toBe('ada@example.com');
    expect(EVENT.properties.nested.drop).toBe('x');
  });

  it('runs in order: a drop ends the list, changes compose, non-matching filters are recorded', () => {
    const outcome = applyFilters([
      filter({ type: 'drop' }, 'type = "track"', 'a'),
      filter({ type: 'drop_properties', paths: ['traits.email'] }, 'true', 'b'),
      // Sees the event as b left it.
      filter({ type: 'drop' }, 'traits.email exists', 'c'),
      filter({ type: 'drop_properties', paths: ['context.ip'] }, 'true', 'd'),
    ], EVENT);
    expect(outcome.steps.map((s) => [s.id, s.effect])).toEqual([['a', 'no_match'], ['b', 'changed'], ['c', 'no_match'], ['d', 'changed']]);
    expect(outcome.reason).toBe('properties removed: traits.email, context.ip');
    const dropped = applyFilters([filter({ type: 'drop' }, 'userId = "u-1"', 'a'), filter({ type: 'drop_properties', paths: ['traits.email'] }, 'true', 'b')], EVENT);
    expect(dropped.decision).toBe('dropped');
    expect(dropped.steps).toHaveLength(1);
  });

  it('samples deterministically on the path, about the asked share', () => {
    const users = Array.from({ length: 2000 }, (_, i) => ({ messageId: `m-${i}`, userId: `user-${i}` }));
    const kept = users.filter((event) => isSampledIn('f', 0.25, event, ['userId'])).length;
    expect(kept).toBeGreaterThan(400);
    expect(kept).toBeLessThan(600);
    // Same user, other messages: same answer.
    for (const event of users.slice(0, 50)) expect(isSampledIn('f', 0.25, { ...event, messageId: 'other' }, ['userId'])).toBe(isSampledIn('f', 0.25, event, ['userId']));
    expect(isSampledIn('f', 0, users[0], ['userId'])).toBe(false);
    expect(isSampledIn('f', 1, users[0], ['userId'])).toBe(true);
  });

  it('records a stored condition that no longer compiles, and keeps the event', () => {
    const outcome = applyFilters([compileFilter({ id: 'x', title: 'Old', version: 3, condition: 'event ~ "a"', action: { type: 'drop' } })], EVENT);
    expect(outcome.decision).toBe('kept');
    expect(outcome.steps[0]).toMatchObject({ effect: 'broken', reason: expect.stringContaining('does not compile') });
  });
});
