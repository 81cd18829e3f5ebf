/**
 * Reads a condition back into the visual builder's shape (components/filters/builder-model.ts)
 * when it is one: comparisons of a path with a value, all joined by "and" or all by "or".
 * Anything richer (parentheses, functions, mixed joins) returns null and the UI shows the
 * raw expression editor.
 */
import { parseExpression, printPath, type TExpr, type TLiteralValue, type TOperand } from './expression.ts';

export interface TBuilderRowView {
  path: string;
  op: string;
  value: string;
}
export interface TBuilderShapeView {
  join: 'and' | 'or';
  rows: TBuilderRowView[];
}

/** How the builder writes a value back: plain text unless it would read as a number, boolean or null, or was typed quoted. */
function valueText(value: TLiteralValue): string | null {
  if (typeof value !== 'string') return JSON.stringify(value);
  const looksLiteral = /^\s*(?:-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null|".*")\s*$/.test(value);
  return looksLiteral ? JSON.stringify(value) : value;
}

const pathOf = (operand: TOperand) => (operand.kind === 'path' ? printPath(operand.path) : null);

function rowOf(expr: TExpr): TBuilderRowView | null {
  switch (expr.kind) {
    case 'compare':
    case 'contains':
    case 'match': {
      const path = pathOf(expr.left);
      if (!path || expr.right.kind !== 'literal') return null;
      const value = valueText(expr.right.value);
      return value === null ? null : { path, op: expr.kind === 'compare' ? expr.op : expr.kind, value };
    }
    case 'in': {
      const path = pathOf(expr.left);
      const parts = expr.values.map(valueText);
      if (!path || parts.some((part) => part === null || part.includes(',') || part.trim() !== part || part === '')) return null;
      return { path, op: 'in', value: parts.join(', ') };
    }
    case 'exists': {
      const path = pathOf(expr.operand);
      return path ? { path, op: 'exists', value: '' } : null;
    }
    case 'not': {
      if (expr.expr.kind !== 'exists') return null;
      const path = pathOf(expr.expr.operand);
      return path ? { path, op: 'not_exists', value: '' } : null;
    }
    default:
      return null;
  }
}

export function toBuilderShape(condition: string): TBuilderShapeView | null {
  let expr: TExpr;
  try {
    expr = parseExpression(condition);
  } catch {
    return null;
  }
  if (expr.kind === 'const' && expr.value) return { join: 'and', rows: [] };
  const items = expr.kind === 'and' || expr.kind === 'or' ? expr.items : [expr];
  const rows = items.map(rowOf);
  if (rows.some((row) => row === null)) return null;
  return { join: expr.kind === 'or' ? 'or' : 'and', rows: rows as TBuilderRowView[] };
}
