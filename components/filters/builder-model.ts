/**
 * The visual condition builder's model: rows of (path, operator, value) joined by "and" or
 * "or", written out as a filter expression (the same language the raw editor takes). The
 * server reads a saved condition back into this shape when it fits (`builder` in the
 * filter view), so nothing here parses; it only writes.
 */
export const BUILDER_OPS = [
  { op: '=', label: 'equals' },
  { op: '!=', label: 'does not equal' },
  { op: 'contains', label: 'contains' },
  { op: 'match', label: 'matches (glob, * and ?)' },
  { op: 'in', label: 'is one of (comma-separated)' },
  { op: '<', label: 'is less than' },
  { op: '<=', label: 'is at most' },
  { op: '>', label: 'is greater than' },
  { op: '>=', label: 'is at least' },
  { op: 'exists', label: 'exists' },
  { op: 'not_exists', label: 'does not exist' },
] as const;

export type TBuilderOp = (typeof BUILDER_OPS)[number]['op'];
export interface TBuilderRow {
  path: string;
  op: TBuilderOp;
  value: string;
}
export interface TBuilderShape {
  join: 'and' | 'or';
  rows: TBuilderRow[];
}

export const isUnary = (op: TBuilderOp) => op === 'exists' || op === 'not_exists';

/** A value as typed: numbers, true, false and null as themselves, "quoted" text as JSON, anything else as a string. */
export function literal(text: string): string {
  const trimmed = text.trim();
  if (/^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/.test(trimmed) || trimmed === 'true' || trimmed === 'false' || trimmed === 'null') return trimmed;
  if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')) {
    try {
      return JSON.stringify(JSON.parse(trimmed) as string);
    } catch {
      // not valid JSON: taken as text below
    }
  }
  return JSON.stringify(text);
}

export function rowToText({ path, op, value }: TBuilderRow): string {
  const subject = path.trim();
  if (op === 'exists') return `${subject} exists`;
  if (op === 'not_exists') return `not ${subject} exists`;
  if (op === 'in') return `${subject} in [${value.split(',').map((part) => literal(part.trim())).join(', ')}]`;
  return `${subject} ${op} ${literal(value)}`;
}

export function builderToText(shape: TBuilderShape): string {
  const rows = shape.rows.filter((row) => row.path.trim() !== '');
  if (rows.length === 0) return 'true';
  return rows.map(rowToText).join(` ${shape.join} `);
}

export const EMPTY_ROW: TBuilderRow = { path: 'event', op: '=', value: '' };
