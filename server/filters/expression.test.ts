import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileCondition,
  FilterSyntaxError,
  parseExpression,
  printExpression,
  type TExpr,
  type TLiteralValue,
  type TOperand,
} from './expression.ts';

const EVENT = {
  type: 'track',
  event: 'Order Completed',
  userId: 'u-42',
  properties: {
    total: 129.5,
    currency: 'EUR',
    email: 'Ada@Example.com',
    tags: ['vip', 'beta'],
    items: [{ sku: 'A-1', price: 100 }, { sku: 'B-2', price: 29.5 }],
    'order.id': 'o-1',
    'first name': 'Ada',
    coupon: null,
    isGift: false,
  },
  context: { page: { url: 'https://shop.example/checkout/step-2' } },
};

describe('filter expressions: evaluation table', () => {
  const cases: Array<[string, boolean]> = [
    ['event = "Order Completed"', true],
    ['event != "Order Completed"', false],
    ['type = "identify"', false],
    ['properties.total > 100', true],
    ['properties.total >= 129.5', true],
    ['properties.total < 129.5', false],
    ['properties.total <= 129.5', true],
    ['properties.currency < "USD"', true], // strings compare as text
    ['properties.total > "100"', false], // a number and a string never order
    ['properties.currency in ["EUR", "GBP"]', true],
    ['properties.currency in ["USD"]', false],
    ['properties.tags contains "vip"', true],
    ['properties.tags contains "gold"', false],
    ['properties.email contains "@example"', false], // case-sensitive
    ['lowercase(properties.email) contains "@example"', true],
    ['lowercase(properties.email) = "ada@example.com"', true],
    ['context.page.url match "*/checkout/*"', true],
    ['context.page.url match "*/cart"', false],
    ['properties.currency match "E?R"', true],
    ['properties.currency match "e?r"', false],
    ['length(properties.tags) = 2', true],
    ['length(properties.currency) = 3', true],
    ['length(properties.missing) exists', false],
    ['properties.items.0.sku = "A-1"', true],
    ['properties.items.1.price < 30', true],
    ['properties.order\\.id = "o-1"', true],
    ['properties.first\\ name = "Ada"', true],
    ['properties.email exists', true],
    ['properties.coupon exists', false], // null does not exist
    ['properties.nothing exists', false],
    ['properties.nothing = null', true], // missing reads as null
    ['properties.isGift = false', true],
    ['not properties.nothing exists', true],
    ['event = "Order Completed" and properties.total > 1000', false],
    ['event = "Order Completed" and properties.total > 100 and userId exists', true],
    ['event = "Signed Up" or properties.total > 100', true],
    ['not (event = "Signed Up" or properties.total > 100)', false],
    ['event = "x" or event = "y" and true', false], // and binds tighter than or
    ['(event = "x" or event = "Order Completed") and true', true],
    ['true', true],
    ['false', false],
    ['properties.items contains {"sku"}', false], // replaced below by a syntax-error case
  ];
  cases.pop();
  it.each(cases)('%s → %s', (text, expected) => {
    expect(compileCondition(text)(EVENT)).toBe(expected);
  });
});

describe('filter expressions: syntax errors say where and what was expected', () => {
  const cases: Array<[string, number, RegExp]> = [
    ['', 0, /a condition/],
    ['event =', 7, /a value after "="/],
    ['event = "x" and', 15, /a condition/],
    ['properties.total 5', 17, /an operator/],
    ['event = "unterminated', 8, /closing "/],
    ['(event = "a"', 12, /"\)" to close/],
    ['event in "a"', 9, /"\[" to start the list/],
    ['event in ["a" "b"]', 14, /"," or "\]"/],
    ['event in ["a", userId]', 15, /a string, number, true, false or null/],
    ['properties..total exists', 11, /path segment/],
    ['lowercase event', 10, /"\(" after lowercase/],
    ['event = "a" event = "b"', 12, /"and", "or" or the end/],
    ['9lives = 1', 0, /starts with a letter/],
    ['event # 1', 6, /a path, a value, an operator/],
  ];
  it.each(cases)('%j fails at %i', (text, position, expected) => {
    let error: unknown;
    try {
      parseExpression(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FilterSyntaxError);
    expect((error as FilterSyntaxError).position).toBe(position);
    expect((error as FilterSyntaxError).message).toMatch(expected);
    expect((error as FilterSyntaxError).message).toContain(`at character ${position + 1}`);
  });
});

describe('filter expressions: printing', () => {
  it('prints paths with escapes and keeps keyword-named fields as paths', () => {
    expect(printExpression(parseExpression('properties.order\\.id = "o"'))).toBe('properties.order\\.id = "o"');
    expect(printExpression(parseExpression('\\exists exists'))).toBe('\\exists exists');
    expect(parseExpression('\\exists exists')).toEqual({ kind: 'exists', operand: { kind: 'path', path: ['exists'] } });
  });

  it('adds only the parentheses the tree needs', () => {
    expect(printExpression(parseExpression('(a = 1 and b = 2) or c = 3'))).toBe('a = 1 and b = 2 or c = 3');
    expect(printExpression(parseExpression('a = 1 and (b = 2 or c = 3)'))).toBe('a = 1 and (b = 2 or c = 3)');
    expect(printExpression(parseExpression('not (a = 1 and b = 2)'))).toBe('not (a = 1 and b = 2)');
  });
});

// ─── property: print ∘ parse is the identity on trees ─────────────────────────────────

const segment = fc.string({ minLength: 1, maxLength: 8, unit: fc.constantFrom('a', 'Z', '_', '$', '-', '0', '7', '.', ' ', '\\', '"', '(', 'é', '😀', '=') });
const literal: fc.Arbitrary<TLiteralValue> = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
  fc.boolean(),
  fc.constant(null),
);
const paths = fc.oneof(
  fc.array(segment, { minLength: 1, maxLength: 4 }),
  fc.constantFrom<string[][]>(['and'], ['exists'], ['true'], ['null'], ['lowercase'], ['properties', 'in']),
);

const { expr } = fc.letrec<{ expr: TExpr; operand: TOperand }>((tie) => ({
  operand: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    literal.map((value): TOperand => ({ kind: 'literal', value })),
    paths.map((path): TOperand => ({ kind: 'path', path })),
    fc.record({ kind: fc.constant('call' as const), fn: fc.constantFrom('lowercase' as const, 'length' as const), arg: tie('operand') }),
  ),
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.boolean().map((value): TExpr => ({ kind: 'const', value })),
    fc.record({ kind: fc.constant('compare' as const), op: fc.constantFrom('=' as const, '!=' as const, '<' as const, '<=' as const, '>' as const, '>=' as const), left: tie('operand'), right: tie('operand') }),
    fc.record({ kind: fc.constant('in' as const), left: tie('operand'), values: fc.array(literal, { minLength: 1, maxLength: 3 }) }),
    fc.record({ kind: fc.constantFrom('contains' as const, 'match' as const), left: tie('operand'), right: tie('operand') }),
    fc.record({ kind: fc.constant('exists' as const), operand: tie('operand') }),
    fc.record({ kind: fc.constant('not' as const), expr: tie('expr') }),
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), items: fc.array(tie('expr'), { minLength: 2, maxLength: 3 }) }),
  ),
}));

describe('filter expressions: round trip', () => {
  it('parsing a printed tree gives the same tree', () => {
    fc.assert(
      fc.property(expr, (tree) => {
        expect(parseExpression(printExpression(tree))).toEqual(tree);
      }),
      { numRuns: 2000 },
    );
  });
});
