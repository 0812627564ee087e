// A light structural reading of Python source, enough for the editor views: logical statements
// (joining bracket / backslash / triple-quoted-string continuations), which lines can carry a line
// event, and the def / class blocks with their line ranges. Not a parser: it never fails, and where it
// is unsure it says "not code", so the never-executed view errs towards dimming less.

export interface PyStatement {
  /** 1-based first physical line (the first decorator for a decorated def / class). */
  start: number;
  /** 1-based last physical line of the logical statement. */
  end: number;
  /** Leading whitespace width of the first line. */
  indent: number;
  /** True when CPython can report a line event for it (see `isEventless`). */
  code: boolean;
  /** The innermost def / class block that contains the statement (undefined = module level). */
  scope?: PyBlock;
}

export interface PyBlock {
  kind: 'def' | 'class';
  name: string;
  /** Line of the `def` / `class` keyword. */
  header: number;
  /** First line of the statement (first decorator, else the header). */
  start: number;
  /** Last line of the block's body. */
  end: number;
  indent: number;
  parent?: PyBlock;
}

export interface PySource {
  statements: PyStatement[];
  blocks: PyBlock[];
  lineCount: number;
}

interface RawLogical {
  start: number;
  end: number;
  text: string;
}

/** Splits source into logical lines, dropping blank and comment-only lines. */
function logicalLines(source: string): { logical: RawLogical[]; lineCount: number } {
  const lines = source.split(/\r\n|\r|\n/);
  const logical: RawLogical[] = [];
  let depth = 0;
  let tripleQuote: string | null = null;
  let current: RawLogical | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const lineNo = i + 1;
    let code = '';
    let j = 0;
    while (j < line.length) {
      const ch = line[j]!;
      if (tripleQuote) {
        if (ch === '\\') {
          j += 2;
          continue;
        }
        if (line.startsWith(tripleQuote, j)) {
          tripleQuote = null;
          j += 3;
          code += '""';
          continue;
        }
        j++;
        continue;
      }
      if (ch === '#') break;
      if (ch === '"' || ch === "'") {
        const triple = ch.repeat(3);
        if (line.startsWith(triple, j)) {
          tripleQuote = triple;
          j += 3;
          continue;
        }
        // Single-quoted string: skip to its closing quote on this line.
        let k = j + 1;
        while (k < line.length && line[k] !== ch) k += line[k] === '\\' ? 2 : 1;
        code += '""';
        j = k + 1;
        continue;
      }
      if ('([{'.includes(ch)) depth++;
      else if (')]}'.includes(ch)) depth = Math.max(0, depth - 1);
      code += ch;
      j++;
    }
    const trimmed = code.trim();
    if (current) {
      current.end = lineNo;
      if (trimmed) current.text += ' ' + trimmed;
    } else if (trimmed !== '' || tripleQuote) {
      current = { start: lineNo, end: lineNo, text: trimmed };
      logical.push(current);
    }
    const continues = depth > 0 || tripleQuote !== null || trimmed.endsWith('\\');
    if (!continues) current = null;
  }
  return { logical, lineCount: lines.length };
}

function indentOf(source: string[], line: number): number {
  const text = source[line - 1] ?? '';
  let n = 0;
  for (const ch of text) {
    if (ch === ' ') n++;
    else if (ch === '\t') n += 8 - (n % 8);
    else break;
  }
  return n;
}

const EVENTLESS = /^(else|try|finally)\s*:$|^(global|nonlocal)\s|^@/;
const STRING_ONLY = /^(?:[rRbBuUfF]{0,2}"")+$/;

/**
 * Statements CPython never reports a line event for (or reports on another line): bare `else:` /
 * `try:` / `finally:`, `global` / `nonlocal`, decorators (their events land on the def line or the
 * decorator line depending on the version, so they are merged into the def statement instead) and
 * string-only statements such as docstrings.
 */
function isEventless(text: string): boolean {
  // A one-line compound statement such as `else: x = 1` still runs its body on that line.
  return EVENTLESS.test(text) || STRING_ONLY.test(text.replace(/\s+/g, ''));
}

export function analyzePython(source: string): PySource {
  const { logical, lineCount } = logicalLines(source);
  const physical = source.split(/\r\n|\r|\n/);
  const statements: PyStatement[] = [];
  const blocks: PyBlock[] = [];
  const open: PyBlock[] = [];
  let pendingDecorator: PyStatement | null = null;
  for (const raw of logical) {
    const indent = indentOf(physical, raw.start);
    while (open.length && indent <= open[open.length - 1]!.indent) open.pop();
    const scope = open[open.length - 1];
    const header = /^(?:async\s+)?(def|class)\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(raw.text);
    if (raw.text.startsWith('@')) {
      // Decorators join the def / class that follows them.
      if (pendingDecorator) pendingDecorator.end = raw.end;
      else {
        pendingDecorator = { start: raw.start, end: raw.end, indent, code: false };
        if (scope) pendingDecorator.scope = scope;
        statements.push(pendingDecorator);
      }
      continue;
    }
    let statement: PyStatement;
    if (header && pendingDecorator) {
      statement = pendingDecorator;
      statement.end = raw.end;
      statement.code = true;
    } else {
      statement = { start: raw.start, end: raw.end, indent, code: !isEventless(raw.text) };
      if (scope) statement.scope = scope;
      statements.push(statement);
    }
    pendingDecorator = null;
    if (header) {
      const block: PyBlock = {
        kind: header[1] === 'class' ? 'class' : 'def',
        name: header[2]!,
        header: raw.start,
        start: statement.start,
        end: raw.end,
        indent,
      };
      if (scope) block.parent = scope;
      blocks.push(block);
      open.push(block);
    }
    for (const b of open) if (b.header !== raw.start) b.end = Math.max(b.end, raw.end);
  }
  return { statements, blocks, lineCount };
}

/** The innermost block whose body holds `line` (header lines belong to the enclosing scope). */
export function blockAt(src: PySource, line: number): PyBlock | undefined {
  let best: PyBlock | undefined;
  for (const b of src.blocks) {
    if (line > b.header && line <= b.end && (!best || b.indent > best.indent)) best = b;
  }
  return best;
}

/** Whether a file name follows pytest's default test-file patterns (`test_*.py`, `*_test.py`). */
export function isPytestFile(path: string): boolean {
  const base = path.split(/[\\/]/).pop() ?? '';
  return /^test_.*\.py$/.test(base) || /^.+_test\.py$/.test(base);
}

export interface PytestFunction {
  /** `Class::test_name` or `test_name`, the part of the node id after the file. */
  id: string;
  header: number;
  start: number;
  end: number;
}

/** Test functions pytest collects by default: `def test*` at module level or in `class Test*`. */
export function pytestFunctions(src: PySource): PytestFunction[] {
  const out: PytestFunction[] = [];
  for (const b of src.blocks) {
    if (b.kind !== 'def' || !b.name.startsWith('test')) continue;
    const names: string[] = [b.name];
    let parent = b.parent;
    let ok = true;
    while (parent) {
      if (parent.kind !== 'class' || !parent.name.startsWith('Test')) ok = false;
      names.unshift(parent.name);
      parent = parent.parent;
    }
    if (ok) out.push({ id: names.join('::'), header: b.header, start: b.start, end: b.end });
  }
  return out;
}

/** The test function whose lines (decorators to last body line) contain `line`, if any. */
export function pytestFunctionAt(src: PySource, line: number): PytestFunction | undefined {
  return pytestFunctions(src).find((t) => line >= t.start && line <= t.end);
}
