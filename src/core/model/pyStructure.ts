// Just enough Python structure for splicing functions and finding docstrings: which lines start a
// logical line (not inside a triple-quoted string, brackets or a backslash continuation), and the
// spans of `def` / `class` blocks. Not a parser: it only tracks strings, brackets and indentation.

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
  /** One past the last line of the body, trailing blank and comment lines excluded. */
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

export function scanPython(lines: string[]): PyLine[] {
  const out: PyLine[] = [];
  let triple: string | null = null;
  let depth = 0;
  let continued = false;
  for (const text of lines) {
    const blank = text.trim() === '';
    const start = triple === null && depth === 0 && !continued;
    const indent = indentWidth(text);
    out.push({ text, indent, start, blank, comment: start && text.trimStart().startsWith('#') });
    continued = false;
    let i = 0;
    while (i < text.length) {
      if (triple !== null) {
        const close = findUnescaped(text, triple, i);
        if (close < 0) {
          i = text.length;
          break;
        }
        triple = null;
        i = close + 3;
        continue;
      }
      const c = text[i] ?? '';
      if (c === '#') break;
      if (c === '"' || c === "'") {
        const q3 = c.repeat(3);
        if (text.startsWith(q3, i)) {
          const close = findUnescaped(text, q3, i + 3);
          if (close < 0) {
            triple = q3;
            break;
          }
          i = close + 3;
          continue;
        }
        const close = findUnescaped(text, c, i + 1);
        i = close < 0 ? text.length : close + 1;
        continue;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
      else if (c === '\\' && i === text.length - 1) continued = true;
      i++;
    }
  }
  return out;
}

function findUnescaped(text: string, quote: string, from: number): number {
  let i = from;
  while (i < text.length) {
    if (text[i] === '\\') {
      i += 2;
      continue;
    }
    if (text.startsWith(quote, i)) return i;
    i++;
  }
  return -1;
}

const DEF = /^\s*(?:async\s+def|def|class)\s+([A-Za-z_]\w*)/;

/** Every def/class (any depth), in source order. */
export function findDefs(lines: string[], scanned: PyLine[] = scanPython(lines)): PyDef[] {
  const defs: PyDef[] = [];
  for (let i = 0; i < scanned.length; i++) {
    const l = scanned[i];
    if (!l?.start || l.blank) continue;
    const m = DEF.exec(l.text);
    if (!m) continue;
    let start = i;
    while (start > 0) {
      const prev = scanned[start - 1];
      if (prev?.start && prev.indent === l.indent && prev.text.trimStart().startsWith('@')) start--;
      else break;
    }
    let end = i + 1;
    while (end < scanned.length) {
      const n = scanned[end];
      if (n && n.start && !n.blank && !n.comment && n.indent <= l.indent) break;
      end++;
    }
    // Blank lines and comments between this body and the next statement belong to neither.
    while (end > i + 1) {
      const last = scanned[end - 1];
      if (last && last.start && (last.blank || (last.comment && last.indent <= l.indent))) end--;
      else break;
    }
    const isClass = /^\s*class\b/.test(l.text);
    defs.push({
      kind: isClass ? 'class' : 'def',
      name: m[1] ?? '',
      qualname: m[1] ?? '',
      indent: l.indent,
      start,
      defLine: i,
      end,
    });
  }
  for (let k = 0; k < defs.length; k++) {
    const d = defs[k];
    if (!d) continue;
    for (let p = k - 1; p >= 0; p--) {
      const cand = defs[p];
      if (cand && cand.indent < d.indent && cand.end > d.defLine) {
        d.parent = p;
        d.qualname = `${cand.qualname}.${d.name}`;
        break;
      }
    }
  }
  return defs;
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
  const defs = findDefs(lines, scanned).filter((d) => d.parent === undefined);
  const inDef = new Array<boolean>(lines.length).fill(false);
  for (const d of defs) for (let i = d.start; i < d.end; i++) inDef[i] = true;
  const out: string[] = [];
  scanned.forEach((l, i) => {
    if (l.start && !l.blank && !l.comment && l.indent === 0 && !inDef[i]) out.push(l.text.trim());
  });
  return out;
}

/** A pytest node id split up: `tests/test_x.py::TestC::test_y[1-2]` → file, classes + name, params. */
export interface NodeIdParts {
  /** The file part, forward slashes ('' when the id names no file). */
  file: string;
  /** Classes then the function: `['TestC', 'test_y']`. */
  names: string[];
  /** The parametrization id without brackets (`1-2`), if any. */
  params?: string;
}

export function parseNodeId(nodeId: string): NodeIdParts {
  // Parameter ids may hold `::` or `/`; cut them off first.
  const bracket = nodeId.indexOf('[');
  const head = bracket >= 0 ? nodeId.slice(0, bracket) : nodeId;
  const params = bracket >= 0 && nodeId.endsWith(']') ? nodeId.slice(bracket + 1, -1) : undefined;
  const parts = head.split('::');
  const first = parts[0] ?? '';
  const isFile = parts.length > 1 || /\.py$/.test(first);
  const out: NodeIdParts = {
    file: isFile ? first.replace(/\\/g, '/') : '',
    names: (isFile ? parts.slice(1) : parts).filter(Boolean),
  };
  if (params !== undefined) out.params = params;
  return out;
}

/** Whether `path` and a node id's file name the same file (either may be relative to another folder). */
export function samePyFile(path: string, nodeFile: string): boolean {
  const a = path.replace(/\\/g, '/').replace(/^\.\//, '');
  const b = nodeFile.replace(/\\/g, '/').replace(/^\.\//, '');
  return a === b || a.endsWith(`/${b}`) || b.endsWith(`/${a}`);
}

/** The def whose code starts at 1-based `line` (its first decorator or its `def` line). */
export function defStartingAt(defs: PyDef[], line: number): PyDef | undefined {
  return defs.find((d) => d.kind === 'def' && (d.start + 1 === line || d.defLine + 1 === line));
}
