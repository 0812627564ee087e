// The one reader of Python source structure: a tokenizer for what decides structure — strings
// (prefixes, triple quotes, escapes, f-string replacement fields with nested quotes as in 3.12),
// comments, brackets and backslash continuations — gives each physical line its place in a logical
// line, and the logical lines with their indentation give the def / class blocks, as CPython's own
// tokenizer (INDENT / DEDENT) does. It never fails: unterminated strings end at the end of their
// line (or file), so a broken file still gets a structure. Everything here reads the same blocks:
// the editor views (statements, blocks, pytest functions), splicing a model's functions
// (findDefs, 0-based) and docstrings.

/** One physical line as the tokenizer saw it. */
export interface PyLine {
  text: string;
  /** Leading whitespace width (a tab advances to the next multiple of 8, as Python does). */
  indent: number;
  /** Begins a logical line: not inside a string, brackets or a continuation. */
  start: boolean;
  /** Only whitespace. */
  blank: boolean;
  /** A logical start whose first character is `#`. */
  comment: boolean;
}

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
  /** Line of the `def` / `class` keyword (1-based). */
  header: number;
  /** First line of the statement (first decorator, else the header). */
  start: number;
  /** Last line of the block's body (its last statement's last line; comments after it excluded). */
  end: number;
  indent: number;
  parent?: PyBlock;
}

export interface PySource {
  statements: PyStatement[];
  blocks: PyBlock[];
  lineCount: number;
}

/** A def / class in 0-based line numbers with an exclusive end (for splicing lines). */
export interface PyDef {
  kind: 'def' | 'class';
  name: string;
  /** `Outer.name` for methods and nested definitions. */
  qualname: string;
  indent: number;
  /** First line (0-based), decorators included. */
  start: number;
  /** The `def` / `class` line. */
  defLine: number;
  /** One past the last line of the body: its last statement, and comments indented into the body
   * that follow it; blank lines and comments at the def's own indent after it are not part of it. */
  end: number;
  /** Index into the result of the enclosing definition, if any. */
  parent?: number;
}

export function indentWidth(line: string): number {
  let w = 0;
  for (const ch of line) {
    if (ch === ' ') w++;
    else if (ch === '\t') w = w - (w % 8) + 8;
    else if (ch === '\f') w = 0;
    else break;
  }
  return w;
}

export function splitSourceLines(source: string): string[] {
  return source.split(/\r\n|\r|\n/);
}

interface Logical {
  /** 0-based first and last physical line. */
  first: number;
  last: number;
  /** The code with every string written `""` (prefix kept) and comments dropped. */
  text: string;
}

/** An open string: its quote, whether `\` escapes, and — inside an f-string's `{…}` — the depth of
 * brackets of the replacement field (code is read there, nested strings included). */
interface OpenString {
  quote: string;
  f: boolean;
  field: number;
}

const PREFIX = /^(?:[rRuUbBfFtT]|[rR][bBfFtT]|[bBfFtT][rR])$/;

/** Splits the source into physical lines (PyLine) and logical lines; one pass. */
function tokenize(lines: string[]): { scanned: PyLine[]; logical: Logical[] } {
  const scanned: PyLine[] = [];
  const logical: Logical[] = [];
  const stack: OpenString[] = [];
  let depth = 0;
  let continued = false;
  let current: Logical | null = null;
  for (let n = 0; n < lines.length; n++) {
    const text = lines[n] ?? '';
    const start = stack.length === 0 && depth === 0 && !continued;
    const blank = text.trim() === '';
    scanned.push({
      text,
      indent: indentWidth(text),
      start,
      blank,
      comment: start && text.trimStart().startsWith('#'),
    });
    continued = false;
    let code = '';
    let i = 0;
    while (i < text.length) {
      const top = stack[stack.length - 1];
      const c = text[i]!;
      if (top && top.field === 0) {
        // Inside a string's text.
        if (c === '\\') {
          i += 2;
          continue;
        }
        if (text.startsWith(top.quote, i)) {
          stack.pop();
          i += top.quote.length;
          continue;
        }
        if (top.f && c === '{') {
          if (text[i + 1] === '{') i += 2;
          else {
            top.field = 1;
            i++;
          }
          continue;
        }
        i++;
        continue;
      }
      // Code: at top level, or inside an f-string's replacement field.
      if (c === '#') break;
      if (c === '"' || c === "'" || /[A-Za-z_]/.test(c)) {
        let j = i;
        while (j < text.length && /\w/.test(text[j]!)) j++;
        const word = text.slice(i, j);
        const q = text[j];
        if ((q === '"' || q === "'") && (word === '' || PREFIX.test(word))) {
          const quote = text.startsWith(q.repeat(3), j) ? q.repeat(3) : q;
          stack.push({ quote, f: /[fFtT]/.test(word), field: 0 });
          if (!top) code += `${word}""`;
          i = j + quote.length;
          continue;
        }
        if (!top) code += word;
        i = Math.max(j, i + 1);
        continue;
      }
      if (top) {
        if (c === '{' || c === '(' || c === '[') top.field++;
        else if (c === '}' || c === ')' || c === ']') top.field--;
        i++;
        continue;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
      else if (c === '\\' && i === text.length - 1) continued = true;
      code += c;
      i++;
    }
    // A one-quote string ends with its line unless a backslash continues it (an unterminated one
    // is a syntax error: ending it here keeps the rest of the file readable). An f-string's
    // replacement field may span lines (3.12).
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (top.quote.length === 3 || top.field > 0 || text.endsWith('\\')) break;
      stack.pop();
    }
    const trimmed = code.trim();
    if (current) {
      current.last = n;
      if (trimmed) current.text += ` ${trimmed}`;
    } else if (trimmed !== '') {
      current = { first: n, last: n, text: trimmed };
      logical.push(current);
    }
    if (stack.length === 0 && depth === 0 && !continued) current = null;
  }
  return { scanned, logical };
}

export function scanPython(lines: string[]): PyLine[] {
  return tokenize(lines).scanned;
}

const EVENTLESS = /^(else|try|finally)\s*:$|^(global|nonlocal)\s|^@/;
const STRING_ONLY = /^(?:[rRbBuUfFtT]{0,2}"")+$/;
const HEADER = /^(?:async\s+)?(def|class)\s+([A-Za-z_]\w*)/;

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

function analyzeLines(lines: string[]): PySource & { scanned: PyLine[] } {
  const { scanned, logical } = tokenize(lines);
  const statements: PyStatement[] = [];
  const blocks: PyBlock[] = [];
  const open: PyBlock[] = [];
  let pendingDecorator: PyStatement | null = null;
  for (const raw of logical) {
    const start = raw.first + 1;
    const end = raw.last + 1;
    const indent = scanned[raw.first]?.indent ?? 0;
    while (open.length && indent <= open[open.length - 1]!.indent) open.pop();
    const scope = open[open.length - 1];
    const header = HEADER.exec(raw.text);
    if (raw.text.startsWith('@')) {
      // Decorators join the def / class that follows them.
      if (pendingDecorator) pendingDecorator.end = end;
      else {
        pendingDecorator = { start, end, indent, code: false };
        if (scope) pendingDecorator.scope = scope;
        statements.push(pendingDecorator);
      }
      continue;
    }
    let statement: PyStatement;
    if (header && pendingDecorator) {
      statement = pendingDecorator;
      statement.end = end;
      statement.code = true;
    } else {
      statement = { start, end, indent, code: !isEventless(raw.text) };
      if (scope) statement.scope = scope;
      statements.push(statement);
    }
    pendingDecorator = null;
    if (header) {
      const block: PyBlock = {
        kind: header[1] === 'class' ? 'class' : 'def',
        name: header[2]!,
        header: start,
        start: statement.start,
        end,
        indent,
      };
      if (scope) block.parent = scope;
      blocks.push(block);
      open.push(block);
    }
    for (const b of open) if (b.header !== start) b.end = Math.max(b.end, end);
  }
  return { statements, blocks, lineCount: lines.length, scanned };
}

export function analyzePython(source: string): PySource {
  const { statements, blocks, lineCount } = analyzeLines(splitSourceLines(source));
  return { statements, blocks, lineCount };
}

/** Every def / class (any depth), in source order, 0-based. */
export function findDefs(lines: string[]): PyDef[] {
  const { blocks, scanned } = analyzeLines(lines);
  const index = new Map<PyBlock, number>();
  const defs: PyDef[] = [];
  for (const b of blocks) {
    // Comments indented into the body right after its last statement are the body's.
    let end = b.end;
    for (let i = b.end; i < scanned.length; i++) {
      const l = scanned[i]!;
      if (l.blank) continue;
      if (!l.comment || l.indent <= b.indent) break;
      end = i + 1;
    }
    const def: PyDef = {
      kind: b.kind,
      name: b.name,
      qualname: b.name,
      indent: b.indent,
      start: b.start - 1,
      defLine: b.header - 1,
      end,
    };
    const parent = b.parent ? index.get(b.parent) : undefined;
    if (parent !== undefined) {
      def.parent = parent;
      def.qualname = `${defs[parent]!.qualname}.${b.name}`;
    }
    index.set(b, defs.length);
    defs.push(def);
  }
  return defs;
}

/** The innermost block whose body holds `line` (header lines belong to the enclosing scope). */
export function blockAt(src: PySource, line: number): PyBlock | undefined {
  let best: PyBlock | undefined;
  for (const b of src.blocks) {
    if (line > b.header && line <= b.end && (!best || b.indent > best.indent)) best = b;
  }
  return best;
}

/** defLineFrom's answers per source (a trace asks once per call event, often for one function). */
const defLines = new WeakMap<string[], Map<number, number>>();

/** The 1-based line of the `def` of a function whose code starts at `first` (its first decorator,
 * or the def itself): NExT puts a decorated function's bindings on the `def` line. Reads only the
 * next 40 lines (a decorator starts a logical line, so reading can start there). */
export function defLineFrom(lines: string[] | undefined, first: number): number {
  if (!lines) return first;
  let known = defLines.get(lines);
  if (!known) defLines.set(lines, (known = new Map<number, number>()));
  let line = known.get(first);
  if (line === undefined) {
    const b = analyzeLines(lines.slice(first - 1, first + 39)).blocks.find((x) => x.start === 1);
    line = b?.kind === 'def' ? b.header + first - 1 : first;
    known.set(first, line);
  }
  return line;
}

/** The docstring of a definition (its first statement, if a string literal), dedented. */
export function docstringOf(
  lines: string[],
  def: PyDef,
  scanned: PyLine[] = scanPython(lines),
): string | undefined {
  // The body starts after the logical line holding the `def` header (which may span lines).
  let i = def.defLine + 1;
  while (i < def.end && !scanned[i]?.start) i++;
  const header = lines.slice(def.defLine, i).join('\n');
  let bodyText: string;
  const inline = /:\s*(?:#.*)?$/.test(header) ? '' : header.slice(header.lastIndexOf(':') + 1);
  if (inline.trim()) bodyText = inline.trim();
  else {
    while (i < def.end && (scanned[i]?.blank || scanned[i]?.comment)) i++;
    bodyText = lines.slice(i, def.end).join('\n').trimStart();
  }
  const m = /^[rRuU]?("""|''')([\s\S]*?)\1|^[rRuU]?(["'])((?:\\.|(?!\3).)*)\3/.exec(bodyText);
  if (!m) return undefined;
  const raw = m[2] ?? m[4] ?? '';
  const parts = raw.split('\n');
  const rest = parts.slice(1).filter((p) => p.trim());
  let common = Infinity;
  for (const p of rest) common = Math.min(common, p.length - p.trimStart().length);
  if (common === Infinity) common = 0;
  return [parts[0]?.trim() ?? '']
    .concat(parts.slice(1).map((p) => p.slice(common)))
    .join('\n')
    .trim();
}

/** Lines that are logical starts at indent 0 and not part of a def/class (imports, globals, main code). */
export function topLevelStatements(lines: string[]): string[] {
  const scanned = scanPython(lines);
  const defs = findDefs(lines).filter((d) => d.parent === undefined);
  const inDef = new Array<boolean>(lines.length).fill(false);
  for (const d of defs) for (let i = d.start; i < d.end; i++) inDef[i] = true;
  const out: string[] = [];
  scanned.forEach((l, i) => {
    if (l.start && !l.blank && !l.comment && l.indent === 0 && !inDef[i]) out.push(l.text.trim());
  });
  return out;
}

/** The def whose code starts at 1-based `line` (its first decorator or its `def` line). */
export function defStartingAt(defs: PyDef[], line: number): PyDef | undefined {
  return defs.find((d) => d.kind === 'def' && (d.start + 1 === line || d.defLine + 1 === line));
}
