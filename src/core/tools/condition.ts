// A small, safe expression language over recorded values, for find_first: nothing is ever evaluated
// as Python or JavaScript; a condition is parsed here and compared against repr strings.
//
//   cond    := or
//   or      := and ('or' and)*
//   and     := not ('and' not)*
//   not     := 'not' not | compare
//   compare := operand (('==' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | 'startswith') operand)?
//            | operand 'in' operand                 ('x' in name  ≡  name contains 'x')
//   operand := name | path | 'string' | "string" | number | None | True | False | '(' cond ')'
//
// A name is a variable, `__return__`, `__exception__`, or a path into a value as the recorder wrote
// its changes (`memo[3, 5]`, `self.count`). A bare operand is true when it is bound and not falsy
// (0, '', [], {}, (), set(), None, False). `==` compares numbers as numbers when both sides are
// numeric reprs, otherwise text (a quoted repr matches its unquoted text: x == 'abc' holds for the
// repr 'abc' and for abc); `<`… only compare numbers. A comparison with an unbound name is false.
import { ToolInputError } from './types';

export type Operand = { k: 'name'; name: string } | { k: 'lit'; text: string };
export type Cond =
  | { k: 'or' | 'and'; a: Cond; b: Cond }
  | { k: 'not'; a: Cond }
  | { k: 'cmp'; op: CmpOp; l: Operand; r: Operand }
  | { k: 'truthy'; v: Operand };
type CmpOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | 'startswith';

const MAX_LENGTH = 500;
const MAX_DEPTH = 24;

interface Token {
  t: 'name' | 'str' | 'num' | 'op' | 'lp' | 'rp' | 'kw' | 'end';
  v: string;
  at: number;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'contains', 'startswith']);
const LITERAL_WORDS = new Set(['None', 'True', 'False']);

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const fail = (what: string): never => {
    throw new ToolInputError(`condition: ${what} at column ${i + 1}`);
  };
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i;
    if (c === '(') {
      out.push({ t: 'lp', v: c, at });
      i++;
    } else if (c === ')') {
      out.push({ t: 'rp', v: c, at });
      i++;
    } else if (c === "'" || c === '"') {
      let text = '';
      i++;
      while (i < src.length && src[i] !== c) {
        if (src[i] === '\\' && i + 1 < src.length) {
          const n = src[i + 1] as string;
          text += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          i += 2;
        } else {
          text += src[i];
          i++;
        }
      }
      if (i >= src.length) fail('unterminated string');
      i++;
      out.push({ t: 'str', v: text, at });
    } else if (/[=!<>]/.test(c)) {
      const two = src.slice(i, i + 2);
      if (['==', '!=', '<=', '>='].includes(two)) {
        out.push({ t: 'op', v: two, at });
        i += 2;
      } else if (c === '<' || c === '>') {
        out.push({ t: 'op', v: c, at });
        i++;
      } else {
        fail(c === '=' ? 'use == to compare' : `unexpected "${c}"`);
      }
    } else if (/[-+\d.]/.test(c)) {
      const m = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/.exec(src.slice(i));
      if (!m) fail(`unexpected "${c}"`);
      out.push({ t: 'num', v: m![0], at });
      i += m![0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      i = readPath(src, i, fail);
      const word = src.slice(at, i).replace(/\s+/g, '');
      out.push({ t: KEYWORDS.has(word) ? 'kw' : 'name', v: word, at });
    } else {
      fail(`unexpected "${c}"`);
    }
  }
  out.push({ t: 'end', v: '', at: src.length });
  return out;
}

/** A name with `.attr` and `[subscript]` parts; subscripts may hold quoted strings and commas. */
function readPath(src: string, start: number, fail: (what: string) => never): number {
  let i = start;
  while (i < src.length && /\w/.test(src[i] as string)) i++;
  for (;;) {
    if (src[i] === '.' && /[A-Za-z_]/.test(src[i + 1] ?? '')) {
      i++;
      while (i < src.length && /\w/.test(src[i] as string)) i++;
    } else if (src[i] === '[') {
      let depth = 0;
      let quote = '';
      for (; i < src.length; i++) {
        const c = src[i] as string;
        if (quote) {
          if (c === '\\') i++;
          else if (c === quote) quote = '';
        } else if (c === "'" || c === '"') quote = c;
        else if (c === '[') depth++;
        else if (c === ']' && --depth === 0) break;
      }
      if (i >= src.length) fail('unclosed "["');
      i++;
    } else {
      return i;
    }
  }
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos] as Token;
  }

  private next(): Token {
    return this.tokens[this.pos++] as Token;
  }

  private fail(what: string, tok = this.peek()): never {
    throw new ToolInputError(
      `condition: ${what} at column ${tok.at + 1}${tok.t === 'end' ? ' (end of the condition)' : ''}`,
    );
  }

  parse(): Cond {
    const c = this.or(0);
    if (this.peek().t !== 'end') this.fail(`unexpected "${this.peek().v}"`);
    return c;
  }

  private or(depth: number): Cond {
    let a = this.and(depth);
    while (this.peek().t === 'kw' && this.peek().v === 'or') {
      this.next();
      a = { k: 'or', a, b: this.and(depth) };
    }
    return a;
  }

  private and(depth: number): Cond {
    let a = this.not(depth);
    while (this.peek().t === 'kw' && this.peek().v === 'and') {
      this.next();
      a = { k: 'and', a, b: this.not(depth) };
    }
    return a;
  }

  private not(depth: number): Cond {
    if (this.peek().t === 'kw' && this.peek().v === 'not') {
      this.next();
      if (depth > MAX_DEPTH) this.fail('too deeply nested');
      return { k: 'not', a: this.not(depth + 1) };
    }
    return this.compare(depth);
  }

  private compare(depth: number): Cond {
    if (this.peek().t === 'lp') {
      if (depth > MAX_DEPTH) this.fail('too deeply nested');
      this.next();
      const inner = this.or(depth + 1);
      if (this.next().t !== 'rp') this.fail('expected ")"', this.tokens[this.pos - 1]);
      return inner;
    }
    const l = this.operand();
    const t = this.peek();
    if (t.t === 'op' || (t.t === 'kw' && (t.v === 'contains' || t.v === 'startswith'))) {
      this.next();
      return { k: 'cmp', op: t.v as CmpOp, l, r: this.operand() };
    }
    if (t.t === 'kw' && t.v === 'in') {
      this.next();
      return { k: 'cmp', op: 'contains', l: this.operand(), r: l };
    }
    return { k: 'truthy', v: l };
  }

  private operand(): Operand {
    const t = this.next();
    if (t.t === 'str' || t.t === 'num') return { k: 'lit', text: t.v };
    if (t.t === 'name')
      return LITERAL_WORDS.has(t.v) ? { k: 'lit', text: t.v } : { k: 'name', name: t.v };
    return this.fail(
      t.t === 'end' ? 'expected a name or a value' : `expected a name or a value, not "${t.v}"`,
      t,
    );
  }
}

/** Parses a condition; ToolInputError (with the column) when it is not one. */
export function parseCondition(src: string): Cond {
  if (src.length > MAX_LENGTH)
    throw new ToolInputError(`condition: longer than ${MAX_LENGTH} characters`);
  if (!src.trim()) throw new ToolInputError('condition is empty');
  return new Parser(tokenize(src)).parse();
}

/** The names a condition reads (paths without spaces). */
export function conditionNames(c: Cond, out = new Set<string>()): Set<string> {
  const op = (o: Operand): void => {
    if (o.k === 'name') out.add(o.name);
  };
  switch (c.k) {
    case 'or':
    case 'and':
      conditionNames(c.a, out);
      conditionNames(c.b, out);
      break;
    case 'not':
      conditionNames(c.a, out);
      break;
    case 'cmp':
      op(c.l);
      op(c.r);
      break;
    case 'truthy':
      op(c.v);
      break;
  }
  return out;
}

// `\d+(?:\.\d*)?`, not `\d+\.?\d*`: the latter splits a run of digits between its two `\d` in every
// way before failing, which made one comparison against a 20,000-digit repr take half a second.
const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
const WRAPPED_NUMBER =
  /^(?:np\.\w+|numpy\.\w+|Decimal)\(\s*'?([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)'?\s*\)$/;
/** Longer reprs are not read as numbers (Python's own int-to-str limit is 4,300 digits). */
const MAX_NUMBER_LENGTH = 4400;
const FRACTION = /^Fraction\(\s*(-?\d+)\s*,\s*(\d+)\s*\)$/;

/** The number a repr stands for (ints, floats, inf/nan, Decimal('…'), np.float64(…), Fraction(a, b)). */
export function numericValue(repr: string): number | undefined {
  if (repr.length > MAX_NUMBER_LENGTH) return undefined;
  const s = repr.trim();
  if (NUMBER.test(s)) return Number(s);
  if (s === 'inf' || s === '-inf') return s === 'inf' ? Infinity : -Infinity;
  const w = WRAPPED_NUMBER.exec(s);
  if (w) return Number(w[1]);
  const f = FRACTION.exec(s);
  if (f && Number(f[2]) !== 0) return Number(f[1]) / Number(f[2]);
  return undefined;
}

function unquote(repr: string): string {
  const m = /^[rbuRBU]?(['"])([\s\S]*)\1$/.exec(repr);
  return m ? (m[2] ?? '') : repr;
}

const FALSY = new Set([
  '0',
  '0.0',
  '-0.0',
  "''",
  '""',
  "b''",
  '[]',
  '{}',
  '()',
  'set()',
  'None',
  'False',
  'frozenset()',
]);

/** Evaluates against `lookup` (a name's repr, undefined when unbound). Literals are their text. */
export function evaluate(c: Cond, lookup: (name: string) => string | undefined): boolean {
  const val = (o: Operand): string | undefined => (o.k === 'lit' ? o.text : lookup(o.name));
  switch (c.k) {
    case 'or':
      return evaluate(c.a, lookup) || evaluate(c.b, lookup);
    case 'and':
      return evaluate(c.a, lookup) && evaluate(c.b, lookup);
    case 'not':
      return !evaluate(c.a, lookup);
    case 'truthy': {
      const v = val(c.v);
      return v !== undefined && !FALSY.has(v.trim());
    }
    case 'cmp': {
      const l = val(c.l);
      const r = val(c.r);
      if (l === undefined || r === undefined) return false;
      return compare(c.op, l, r, c.l.k === 'lit', c.r.k === 'lit');
    }
  }
}

function compare(op: CmpOp, l: string, r: string, lLit: boolean, rLit: boolean): boolean {
  if (op === 'contains') return l.includes(r) || (!rLit && l.includes(unquote(r)));
  if (op === 'startswith') return unquote(l).startsWith(unquote(r)) || l.startsWith(r);
  const ln = numericValue(l);
  const rn = numericValue(r);
  if (op === '==' || op === '!=') {
    let eq: boolean;
    if (ln !== undefined && rn !== undefined) eq = ln === rn;
    else
      eq =
        l === r ||
        (rLit && unquote(l) === r) ||
        (lLit && l === unquote(r)) ||
        (!lLit && !rLit && unquote(l) === unquote(r));
    return op === '==' ? eq : !eq;
  }
  if (ln === undefined || rn === undefined || Number.isNaN(ln) || Number.isNaN(rn)) return false;
  switch (op) {
    case '<':
      return ln < rn;
    case '<=':
      return ln <= rn;
    case '>':
      return ln > rn;
    case '>=':
      return ln >= rn;
  }
}
