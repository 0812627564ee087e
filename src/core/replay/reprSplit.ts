// Splits the recorded repr text of a Python list/tuple/dict/set into its items so the Variables view
// can expand it. Only the text is read (never evaluated). Reprs are bounded by the recorder: a
// container it shortened ends with `...(N more)` (counted in `more`), and a literal may be cut short
// as text; either way the complete items are returned and `truncated` is set.
// Anything not clearly one of these literals returns undefined and is shown as a plain value.

export type ReprKind = 'list' | 'tuple' | 'dict' | 'set';

export interface ReprEntry {
  /** The key's repr for dict entries. */
  key?: string;
  value: string;
}

export interface SplitRepr {
  kind: ReprKind;
  /** Constructor name when the literal was wrapped, e.g. `deque` in `deque([1, 2])`. */
  wrapper?: string;
  entries: ReprEntry[];
  /** Items are left out: the recorder shortened the container, or the text was cut before it closed. */
  truncated: boolean;
  /** How many items the recorder left out, when it said (`...(N more)`). */
  more?: number;
}

/** The recorder's marker for items it left out of a container (pydevd_tracefix_repr.py). */
const MORE_ITEMS = /^\.\.\.\((\d+) more\)$/;

const OPEN_TO_CLOSE: Record<string, string> = { '[': ']', '(': ')', '{': '}', '<': '>' };
// `<` opens an object repr such as `<function f at 0x…>` only where a value can start.
const VALUE_START_BEFORE = new Set(['', ' ', '(', '[', '{', ',', ':', '=']);

interface RawItem {
  text: string;
  /** Offset of the first top-level `:` in `text`, or -1. */
  colon: number;
}

interface Scan {
  items: RawItem[];
  /** Index just past the closing bracket, or -1 when the text ended first. */
  end: number;
}

/** Scans the items of the bracket opened at `start` (the index of the opener). */
function scanItems(text: string, start: number): Scan | undefined {
  const close = OPEN_TO_CLOSE[text[start] ?? ''];
  if (close === undefined) return undefined;
  const stack: string[] = [];
  const items: RawItem[] = [];
  let itemStart = start + 1;
  let colon = -1;
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === "'" || ch === '"') {
      const stop = skipString(text, i);
      if (stop < 0) return { items, end: -1 };
      i = stop;
      continue;
    }
    if (stack.length === 0) {
      if (ch === close) {
        pushItem(items, text.slice(itemStart, i), colon, itemStart);
        return { items, end: i + 1 };
      }
      if (ch === ',') {
        pushItem(items, text.slice(itemStart, i), colon, itemStart);
        itemStart = i + 1;
        colon = -1;
        i++;
        continue;
      }
      if (ch === ':' && colon < 0) colon = i;
    }
    const top = stack[stack.length - 1];
    if (top === '<') {
      // Inside an object repr only its own angle brackets (and strings, above) matter.
      if (ch === '>') stack.pop();
      else if (ch === '<') stack.push('<');
    } else if (ch === '[' || ch === '(' || ch === '{') {
      stack.push(ch);
    } else if (ch === '<' && VALUE_START_BEFORE.has(text[i - 1] ?? '')) {
      stack.push('<');
    } else if (ch === ']' || ch === ')' || ch === '}') {
      if (top === undefined || OPEN_TO_CLOSE[top] !== ch) return undefined; // unbalanced: not a literal
      stack.pop();
    }
    i++;
  }
  return { items, end: -1 };
}

function pushItem(items: RawItem[], raw: string, colonAbs: number, itemStart: number): void {
  const lead = raw.length - raw.trimStart().length;
  const text = raw.trim();
  const colon = colonAbs < 0 ? -1 : colonAbs - itemStart - lead;
  items.push({ text, colon });
}

/** Returns the index just past the string literal starting at `i`, or -1 when it never closes. */
function skipString(text: string, i: number): number {
  const quote = text[i];
  let j = i + 1;
  while (j < text.length) {
    const ch = text[j];
    if (ch === '\\') {
      j += 2;
      continue;
    }
    if (ch === quote) return j + 1;
    j++;
  }
  return -1;
}

function toEntries(kind: ReprKind, items: RawItem[]): ReprEntry[] | undefined {
  const entries: ReprEntry[] = [];
  for (const item of items) {
    if (kind === 'dict') {
      if (item.colon < 0) return undefined;
      entries.push({
        key: item.text.slice(0, item.colon).trim(),
        value: item.text.slice(item.colon + 1).trim(),
      });
    } else {
      if (item.colon >= 0) return undefined;
      entries.push({ value: item.text });
    }
  }
  return entries;
}

function splitLiteral(
  text: string,
  allowTrailing: string,
): { split: SplitRepr; end: number } | undefined {
  const opener = text[0];
  if (opener !== '[' && opener !== '(' && opener !== '{') return undefined;
  const scan = scanItems(text, 0);
  if (scan === undefined) return undefined;
  const truncated = scan.end < 0;
  if (!truncated && text.slice(scan.end).trim() !== allowTrailing) return undefined;
  let items = scan.items;
  // A trailing comma (`(1,)`) leaves one empty item; an empty literal leaves one empty item.
  if (!truncated && items.length > 0 && items[items.length - 1]?.text === '')
    items = items.slice(0, -1);
  const moreMatch = MORE_ITEMS.exec(items[items.length - 1]?.text ?? '');
  const more = moreMatch ? Number(moreMatch[1]) : undefined;
  if (moreMatch) items = items.slice(0, -1);
  if (items.some((it) => it.text === '')) return undefined;
  let kind: ReprKind;
  if (opener === '[') kind = 'list';
  else if (opener === '(') {
    // `(1+2j)` is a complex number, not a tuple: a tuple repr has a comma or is empty.
    const hasComma = scan.items.length > 1 || text.trim() === '()';
    if (!hasComma) return undefined;
    kind = 'tuple';
  } else kind = items.length === 0 || (items[0]?.colon ?? -1) >= 0 ? 'dict' : 'set';
  const entries = toEntries(kind, items);
  if (entries === undefined) return undefined;
  const split: SplitRepr = { kind, entries, truncated: truncated || more !== undefined };
  if (more !== undefined) split.more = more;
  return { split, end: scan.end };
}

/** Splits a container repr into items, or returns undefined when the text is not one. */
export function splitRepr(repr: string): SplitRepr | undefined {
  const text = repr.trim();
  if (text === '[...]' || text === '{...}') return undefined; // recursion markers
  const direct = splitLiteral(text, '');
  if (direct !== undefined) return direct.split;
  // Single-argument wrappers: frozenset({1}), deque([1]), Counter({'a': 1}), OrderedDict([...]).
  const wrapper = /^([A-Za-z_][\w.]*)\(/.exec(text);
  if (wrapper === null) return undefined;
  const inner = text.slice(wrapper[0].length);
  const split = splitLiteral(inner, ')');
  if (split === undefined) return undefined;
  return { ...split.split, wrapper: wrapper[1] };
}

/** True when the repr would expand into at least one item (or shows that it was cut). */
export function isExpandable(repr: string): boolean {
  const split = splitRepr(repr);
  return split !== undefined && (split.entries.length > 0 || split.truncated);
}
