/**
 * The filter expression language: conditions over one event, in the spirit of Segment's FQL.
 * One module holds the whole language (tokenizer, parser, printer, evaluator) so that what
 * is parsed, what is printed back and what runs can never disagree. Reference: README
 * ("Filter expressions").
 *
 *   expr     := or
 *   or       := and ("or" and)*
 *   and      := unary ("and" unary)*
 *   unary    := "not" unary | "(" expr ")" | atom
 *   atom     := "true" | "false"
 *             | operand ( ("=" | "!=" | "<" | "<=" | ">" | ">=" | "contains" | "match") operand
 *                       | "in" "[" literal ("," literal)* "]"
 *                       | "exists" )
 *   operand  := literal | path | ("lowercase" | "length") "(" operand ")"
 *   literal  := string (JSON syntax, double quotes) | number | true | false | null
 *   path     := segment ("." segment)*    a backslash escapes the next character: properties.order\.id
 *
 * Paths read the event as sent (`event`, `type`, `userId`, `properties.total`,
 * `context.page.url`, `properties.items.0.sku`). A missing path reads as null.
 */

export type TLiteralValue = string | number | boolean | null;
export type TCompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type TFunctionName = 'lowercase' | 'length';

export type TOperand =
  | { kind: 'literal'; value: TLiteralValue }
  | { kind: 'path'; path: string[] }
  | { kind: 'call'; fn: TFunctionName; arg: TOperand };

export type TExpr =
  | { kind: 'const'; value: boolean }
  | { kind: 'compare'; op: TCompareOp; left: TOperand; right: TOperand }
  | { kind: 'in'; left: TOperand; values: TLiteralValue[] }
  | { kind: 'contains'; left: TOperand; right: TOperand }
  | { kind: 'match'; left: TOperand; right: TOperand }
  | { kind: 'exists'; operand: TOperand }
  | { kind: 'not'; expr: TExpr }
  | { kind: 'and'; items: TExpr[] }
  | { kind: 'or'; items: TExpr[] };

/** A syntax error: where (0-based offset into the text) and what was expected there. */
export class FilterSyntaxError extends Error {
  constructor(
    readonly position: number,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`Expected ${expected} at character ${position + 1}, found ${found}`);
    this.name = 'FilterSyntaxError';
  }
}

// ─── tokenizer ────────────────────────────────────────────────────────────────────────

type TToken =
  | { type: 'word'; text: string; start: number } // keyword or function name, unescaped
  | { type: 'path'; path: string[]; start: number; raw: string }
  | { type: 'string'; value: string; start: number; raw: string }
  | { type: 'number'; value: number; start: number; raw: string }
  | { type: 'punct'; text: string; start: number }
  | { type: 'end'; start: number };

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'contains', 'match', 'exists', 'true', 'false', 'null', 'lowercase', 'length']);
const FUNCTIONS = new Set<string>(['lowercase', 'length']);
/** Characters a path segment holds without escaping. */
const PLAIN = /[A-Za-z0-9_$-]/;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const PUNCT = ['!=', '<=', '>=', '=', '<', '>', '(', ')', '[', ']', ','];

function describe(token: TToken): string {
  switch (token.type) {
    case 'end': return 'the end of the expression';
    case 'word': return `"${token.text}"`;
    case 'punct': return `"${token.text}"`;
    default: return `${token.raw}`;
  }
}

function tokenize(text: string): TToken[] {
  const tokens: TToken[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) { i++; continue; }
    const start = i;
    if (ch === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      if (i >= text.length) throw new FilterSyntaxError(start, 'a closing " for the string', 'the end of the expression');
      const raw = text.slice(start, ++i);
      let value: string;
      try {
        value = JSON.parse(raw) as string;
      } catch {
        throw new FilterSyntaxError(start, 'a string with valid escapes (\\" \\\\ \\n \\uXXXX)', raw);
      }
      tokens.push({ type: 'string', value, start, raw });
      continue;
    }
    NUMBER.lastIndex = i;
    const number = (ch === '-' || /[0-9]/.test(ch)) ? NUMBER.exec(text) : null;
    if (number && !PLAIN.test(text[i + number[0].length] ?? '') && text[i + number[0].length] !== '\\') {
      i += number[0].length;
      tokens.push({ type: 'number', value: Number(number[0]), start, raw: number[0] });
      continue;
    }
    const punct = PUNCT.find((p) => text.startsWith(p, i));
    if (punct) {
      i += punct.length;
      tokens.push({ type: 'punct', text: punct, start });
      continue;
    }
    if (ch === '\\' || PLAIN.test(ch)) {
      const path: string[] = [];
      let segment = '';
      let isEscaped = false;
      for (;;) {
        if (text[i] === '\\') {
          if (i + 1 >= text.length) throw new FilterSyntaxError(i, 'a character after the escaping \\', 'the end of the expression');
          const escaped = String.fromCodePoint(text.codePointAt(i + 1)!);
          segment += escaped;
          isEscaped = true;
          i += 1 + escaped.length;
        } else if (i < text.length && PLAIN.test(text[i])) {
          segment += text[i++];
        } else if (text[i] === '.') {
          if (segment === '') throw new FilterSyntaxError(i, 'a path segment before "."', '"."');
          path.push(segment);
          segment = '';
          i++;
        } else {
          break;
        }
      }
      if (segment === '') throw new FilterSyntaxError(i, 'a path segment after "."', i < text.length ? `"${text[i]}"` : 'the end of the expression');
      path.push(segment);
      const raw = text.slice(start, i);
      if (path.length === 1 && !isEscaped && KEYWORDS.has(segment)) tokens.push({ type: 'word', text: segment, start });
      else if (/^[0-9-]/.test(raw)) throw new FilterSyntaxError(start, 'a path that starts with a letter (escape a leading digit or "-" with \\)', `"${raw}"`);
      else tokens.push({ type: 'path', path, start, raw });
      continue;
    }
    throw new FilterSyntaxError(start, 'a path, a value, an operator or a parenthesis', `"${ch}"`);
  }
  tokens.push({ type: 'end', start: text.length });
  return tokens;
}

// ─── parser ───────────────────────────────────────────────────────────────────────────

const COMPARE_OPS = new Set<string>(['=', '!=', '<', '<=', '>', '>=']);
const OPERATOR_LIST = '=, !=, <, <=, >, >=, in, contains, match or exists';

class Parser {
  private index = 0;
  constructor(private readonly tokens: TToken[]) {}

  private peek(): TToken { return this.tokens[this.index]; }
  private next(): TToken { return this.tokens[this.index++]; }
  private isWord(text: string): boolean { const t = this.peek(); return t.type === 'word' && t.text === text; }
  private isPunct(text: string): boolean { const t = this.peek(); return t.type === 'punct' && t.text === text; }
  private fail(expected: string): never { const t = this.peek(); throw new FilterSyntaxError(t.start, expected, describe(t)); }
  private expectPunct(text: string, expected: string): void { if (!this.isPunct(text)) this.fail(expected); this.index++; }

  parseAll(): TExpr {
    if (this.peek().type === 'end') this.fail('a condition');
    const expr = this.parseOr();
    if (this.peek().type !== 'end') this.fail('"and", "or" or the end of the expression');
    return expr;
  }

  private parseOr(): TExpr {
    const items = [this.parseAnd()];
    while (this.isWord('or')) { this.index++; items.push(this.parseAnd()); }
    return items.length === 1 ? items[0] : { kind: 'or', items };
  }

  private parseAnd(): TExpr {
    const items = [this.parseUnary()];
    while (this.isWord('and')) { this.index++; items.push(this.parseUnary()); }
    return items.length === 1 ? items[0] : { kind: 'and', items };
  }

  private parseUnary(): TExpr {
    if (this.isWord('not')) { this.index++; return { kind: 'not', expr: this.parseUnary() }; }
    if (this.isPunct('(')) {
      this.index++;
      const expr = this.parseOr();
      this.expectPunct(')', '")" to close the parenthesis');
      return expr;
    }
    return this.parseAtom();
  }

  private parseAtom(): TExpr {
    const left = this.parseOperand('a condition (a path such as properties.total, lowercase(…), length(…), "not" or "(")');
    const t = this.peek();
    if (t.type === 'punct' && COMPARE_OPS.has(t.text)) {
      this.index++;
      return { kind: 'compare', op: t.text as TCompareOp, left, right: this.parseOperand(`a value after "${t.text}"`) };
    }
    if (t.type === 'word') {
      switch (t.text) {
        case 'in': {
          this.index++;
          this.expectPunct('[', '"[" to start the list after "in"');
          const values = [this.parseLiteral('a value in the list')];
          while (this.isPunct(',')) { this.index++; values.push(this.parseLiteral('a value after ","')); }
          this.expectPunct(']', '"," or "]" to close the list');
          return { kind: 'in', left, values };
        }
        case 'contains':
        case 'match':
          this.index++;
          return { kind: t.text, left, right: this.parseOperand(`a value after "${t.text}"`) };
        case 'exists':
          this.index++;
          return { kind: 'exists', operand: left };
      }
    }
    if (left.kind === 'literal' && typeof left.value === 'boolean') return { kind: 'const', value: left.value };
    return this.fail(`an operator (${OPERATOR_LIST})`);
  }

  private parseLiteral(expected: string): TLiteralValue {
    const start = this.index;
    const operand = this.parseOperand(expected);
    if (operand.kind !== 'literal') {
      this.index = start; // point at where the non-literal began
      this.fail(expected.replace('a value', 'a string, number, true, false or null'));
    }
    return operand.value;
  }

  private parseOperand(expected: string): TOperand {
    const t = this.next();
    switch (t.type) {
      case 'string':
      case 'number':
        return { kind: 'literal', value: t.value };
      case 'path':
        return { kind: 'path', path: t.path };
      case 'word':
        if (t.text === 'true' || t.text === 'false') return { kind: 'literal', value: t.text === 'true' };
        if (t.text === 'null') return { kind: 'literal', value: null };
        if (FUNCTIONS.has(t.text)) {
          this.expectPunct('(', `"(" after ${t.text}`);
          const arg = this.parseOperand(`a path or value inside ${t.text}(…)`);
          this.expectPunct(')', `")" to close ${t.text}(…)`);
          return { kind: 'call', fn: t.text as TFunctionName, arg };
        }
    }
    this.index--;
    return this.fail(expected);
  }
}

/** Parses a condition; throws FilterSyntaxError with the position and what was expected. */
export function parseExpression(text: string): TExpr {
  return new Parser(tokenize(text)).parseAll();
}

/** Parses one dot path on its own (the paths of drop/keep-properties and sample actions). */
export function parsePath(text: string): string[] {
  const tokens = tokenize(text);
  const [first, second] = tokens;
  if (first.type !== 'path') throw new FilterSyntaxError(first.start, 'a path such as properties.email', describe(first));
  if (second.type !== 'end') throw new FilterSyntaxError(second.start, 'the end of the path', describe(second));
  return first.path;
}

// ─── printer ──────────────────────────────────────────────────────────────────────────

/** One path segment as written: characters outside [A-Za-z0-9_$-] escaped, and a leading digit or "-" in the first segment. */
function printSegment(segment: string, isFirst: boolean): string {
  let out = '';
  for (const [i, ch] of [...segment].entries()) {
    const mustEscape = !PLAIN.test(ch) || ch.length > 1 || (isFirst && i === 0 && /[0-9-]/.test(ch));
    out += mustEscape ? `\\${ch}` : ch;
  }
  return out;
}

export function printPath(path: string[]): string {
  const text = path.map((segment, i) => printSegment(segment, i === 0)).join('.');
  // A one-segment path spelled like a keyword needs one escape to stay a path.
  return path.length === 1 && KEYWORDS.has(path[0]) ? `\\${text}` : text;
}

function printLiteral(value: TLiteralValue): string {
  return JSON.stringify(value);
}

function printOperand(operand: TOperand): string {
  switch (operand.kind) {
    case 'literal': return printLiteral(operand.value);
    case 'path': return printPath(operand.path);
    case 'call': return `${operand.fn}(${printOperand(operand.arg)})`;
  }
}

/** Prints a tree as text that parses back to the same tree. */
export function printExpression(expr: TExpr): string {
  switch (expr.kind) {
    case 'const': return String(expr.value);
    case 'compare': return `${printOperand(expr.left)} ${expr.op} ${printOperand(expr.right)}`;
    case 'in': return `${printOperand(expr.left)} in [${expr.values.map(printLiteral).join(', ')}]`;
    case 'contains':
    case 'match': return `${printOperand(expr.left)} ${expr.kind} ${printOperand(expr.right)}`;
    case 'exists': return `${printOperand(expr.operand)} exists`;
    case 'not': return `not ${expr.expr.kind === 'and' || expr.expr.kind === 'or' ? `(${printExpression(expr.expr)})` : printExpression(expr.expr)}`;
    case 'and': return expr.items.map((item) => (item.kind === 'and' || item.kind === 'or' ? `(${printExpression(item)})` : printExpression(item))).join(' and ');
    case 'or': return expr.items.map((item) => (item.kind === 'or' ? `(${printExpression(item)})` : printExpression(item))).join(' or ');
  }
}

// ─── evaluator ────────────────────────────────────────────────────────────────────────

type TValue = unknown;
type TRead = (event: unknown) => TValue;

export function readPath(value: unknown, path: readonly string[]): unknown {
  let node = value;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return null;
    node = Array.isArray(node) ? node[Number(segment)] : (node as Record<string, unknown>)[segment];
    if (node === undefined) return null;
  }
  return node ?? null;
}

function isEqual(a: TValue, b: TValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function compareOrdered(op: TCompareOp, a: TValue, b: TValue): boolean {
  if (!((typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string'))) return false;
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    default: return a >= b;
  }
}

/** Glob: `*` any run of characters, `?` one character, `\` escapes; whole-string match. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '\\' && i + 1 < glob.length) source += glob[++i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else if (ch === '*') source += '[\\s\\S]*';
    else if (ch === '?') source += '[\\s\\S]';
    else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'u');
}

function compileOperand(operand: TOperand): TRead {
  switch (operand.kind) {
    case 'literal': { const value = operand.value; return () => value; }
    case 'path': { const path = operand.path; return (event) => readPath(event, path); }
    case 'call': {
      const arg = compileOperand(operand.arg);
      if (operand.fn === 'lowercase') return (event) => { const v = arg(event); return typeof v === 'string' ? v.toLowerCase() : v; };
      return (event) => {
        const v = arg(event);
        if (typeof v === 'string' || Array.isArray(v)) return v.length;
        if (v !== null && typeof v === 'object') return Object.keys(v).length;
        return null;
      };
    }
  }
}

export type TPredicate = (event: unknown) => boolean;

/** Turns a tree into a closure, once; running it does no parsing and no allocation per node. */
export function compileExpression(expr: TExpr): TPredicate {
  switch (expr.kind) {
    case 'const': { const value = expr.value; return () => value; }
    case 'compare': {
      const left = compileOperand(expr.left);
      const right = compileOperand(expr.right);
      const op = expr.op;
      if (op === '=') return (e) => isEqual(left(e), right(e));
      if (op === '!=') return (e) => !isEqual(left(e), right(e));
      return (e) => compareOrdered(op, left(e), right(e));
    }
    case 'in': {
      const left = compileOperand(expr.left);
      const values = expr.values;
      return (e) => { const v = left(e); return values.some((candidate) => isEqual(v, candidate)); };
    }
    case 'contains': {
      const left = compileOperand(expr.left);
      const right = compileOperand(expr.right);
      return (e) => {
        const haystack = left(e);
        const needle = right(e);
        if (typeof haystack === 'string') return typeof needle === 'string' && haystack.includes(needle);
        return Array.isArray(haystack) && haystack.some((item) => isEqual(item, needle));
      };
    }
    case 'match': {
      const left = compileOperand(expr.left);
      if (expr.right.kind === 'literal') {
        const pattern = typeof expr.right.value === 'string' ? globToRegExp(expr.right.value) : null;
        return (e) => { const v = left(e); return pattern !== null && typeof v === 'string' && pattern.test(v); };
      }
      const right = compileOperand(expr.right);
      return (e) => { const v = left(e); const p = right(e); return typeof v === 'string' && typeof p === 'string' && globToRegExp(p).test(v); };
    }
    case 'exists': { const read = compileOperand(expr.operand); return (e) => read(e) !== null; }
    case 'not': { const inner = compileExpression(expr.expr); return (e) => !inner(e); }
    case 'and': { const items = expr.items.map(compileExpression); return (e) => items.every((item) => item(e)); }
    case 'or': { const items = expr.items.map(compileExpression); return (e) => items.some((item) => item(e)); }
  }
}

/** Parses and compiles in one step. */
export function compileCondition(text: string): TPredicate {
  return compileExpression(parseExpression(text));
}
