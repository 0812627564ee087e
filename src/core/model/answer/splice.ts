// Puts the code a model returned into the original file. Models return either the whole file or
// only the changed function(s)/class(es); this decides which, and splices fragments in by name.
// All texts here use LF line ends.
import { findDefs, scanPython, topLevelStatements, type PyDef } from '../../source/pyStructure';

export interface SpliceResult {
  text: string;
  /** Qualified names replaced / added, for logs and the UI. */
  replaced: string[];
  added: string[];
  /** Why parts of the fragment were not used. */
  problems: string[];
}

function lines(text: string): string[] {
  return text.split('\n');
}

/**
 * `arr.splice(start, deleteCount, ...items)` without spreading `items` into call arguments: a spread
 * of a few hundred thousand lines (a huge answer) overflows the stack.
 */
export function spliceLines<T>(
  arr: T[],
  start: number,
  deleteCount: number,
  items: readonly T[],
): void {
  const rest = arr.splice(start);
  for (const x of items) arr.push(x);
  for (let i = deleteCount; i < rest.length; i++) arr.push(rest[i] as T);
}

/** Smallest number, or `empty` for none (Math.min(...xs) overflows the stack on long arrays). */
export function minOf(xs: readonly number[], empty = 0): number {
  let m = Infinity;
  for (const x of xs) if (x < m) m = x;
  return m === Infinity ? empty : m;
}

/** Removes the indentation common to all non-blank lines. */
export function dedent(text: string): string {
  const ls = lines(text);
  const widths = ls.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length);
  const common = minOf(widths);
  return common
    ? ls.map((l) => l.slice(Math.min(common, l.length - l.trimStart().length))).join('\n')
    : text;
}

function topDefs(ls: string[]): PyDef[] {
  return findDefs(ls).filter((d) => d.parent === undefined);
}

/**
 * Whether `block` is a complete replacement of `original` rather than a fragment: it defines every
 * top-level function/class of the original and keeps at least half of its other top-level
 * statements (imports, globals, main code). For a file without definitions, at least half of its
 * non-blank lines must reappear.
 */
export function isWholeFile(block: string, original: string): boolean {
  const bl = lines(block);
  const ol = lines(original);
  const origDefs = topDefs(ol).map((d) => d.name);
  const blockDefs = new Set(topDefs(bl).map((d) => d.name));
  if (origDefs.length === 0 && blockDefs.size === 0) {
    const have = new Set(bl.map((l) => l.trim()).filter(Boolean));
    const wanted = ol.map((l) => l.trim()).filter(Boolean);
    return wanted.length > 0 && wanted.filter((l) => have.has(l)).length / wanted.length >= 0.5;
  }
  if (!origDefs.every((n) => blockDefs.has(n))) return false;
  const origTop = topLevelStatements(ol);
  if (origTop.length === 0) return true;
  const blockTop = new Set(topLevelStatements(bl));
  return origTop.filter((s) => blockTop.has(s)).length / origTop.length >= 0.5;
}

function reindent(defLines: string[], indent: string): string[] {
  return defLines.map((l) => (l.trim() ? indent + l : l));
}

function leading(line: string | undefined): string {
  return /^\s*/.exec(line ?? '')?.[0] ?? '';
}

const IMPORT = /^(?:import\s|from\s+\S+\s+import\s)/;
const ASSIGN = /^([A-Za-z_]\w*)\s*(?::[^=\n]+)?=(?!=)/;

/** Logical-line span [start, end) at top level beginning at `i`. */
function statementSpan(ls: string[], i: number): [number, number] {
  const scanned = scanPython(ls);
  let end = i + 1;
  while (end < ls.length && !scanned[end]?.start) end++;
  return [i, end];
}

/**
 * Splices a fragment (one or more defs/classes, maybe imports or constants) into `original`:
 * a def/class replaces the one of the same name (top level first, then a unique method or nested
 * def, re-indented to fit); a class that lacks some of the original's methods is merged method by
 * method; names the file does not have are inserted after the last top-level definition; missing
 * imports go after the existing ones; a top-level `NAME = …` replaces the assignment to NAME.
 */
export function spliceFragment(original: string, fragment: string): SpliceResult {
  const result: SpliceResult = { text: original, replaced: [], added: [], problems: [] };
  const frag = lines(dedent(fragment.replace(/\n+$/, '')));
  let file = lines(original);
  const fragScanned = scanPython(frag);
  const fragDefs = findDefs(frag);
  const fragTop = fragDefs.filter((d) => d.parent === undefined);
  const inDef = new Array<boolean>(frag.length).fill(false);
  for (const d of fragTop) for (let i = d.start; i < d.end; i++) inDef[i] = true;

  // Top-level statements of the fragment: imports and constant assignments.
  for (let i = 0; i < frag.length; i++) {
    const l = fragScanned[i];
    if (!l?.start || l.blank || l.comment || inDef[i] || l.indent > 0) continue;
    const [s, e] = statementSpan(frag, i);
    const stmt = frag.slice(s, e);
    const first = stmt[0]?.trim() ?? '';
    if (file.some((x) => x.trim() === first) && stmt.length === 1) continue;
    if (IMPORT.test(first)) {
      const fileScanned = scanPython(file);
      let at = -1;
      file.forEach((x, k) => {
        if (fileScanned[k]?.start && fileScanned[k].indent === 0 && IMPORT.test(x))
          at = statementSpan(file, k)[1];
      });
      spliceLines(file, at < 0 ? 0 : at, 0, stmt);
      result.added.push(first);
      continue;
    }
    const target = ASSIGN.exec(first)?.[1];
    const fileScanned = scanPython(file);
    const fileTopDefs = topDefs(file);
    const at = target
      ? file.findIndex(
          (x, k) =>
            fileScanned[k]?.start &&
            fileScanned[k].indent === 0 &&
            ASSIGN.exec(x)?.[1] === target &&
            !fileTopDefs.some((d) => k >= d.start && k < d.end),
        )
      : -1;
    if (at >= 0) {
      const [fs, fe] = statementSpan(file, at);
      spliceLines(file, fs, fe - fs, stmt);
      result.replaced.push(target ?? first);
    } else {
      result.problems.push(
        `Ignored a top-level statement that matches nothing in the file: ${first}`,
      );
    }
    i = e - 1;
  }

  let anchor: string | undefined; // where the previous fragment def went, so new ones follow it
  for (const d of fragTop) {
    const body = frag.slice(d.start, d.end);
    const defs = findDefs(file);
    const top =
      defs.find((x) => x.parent === undefined && x.name === d.name && x.kind === d.kind) ??
      defs.find((x) => x.parent === undefined && x.name === d.name);
    if (top && d.kind === 'class' && top.kind === 'class') {
      const origMembers = defs.filter((x) => x.parent === defs.indexOf(top)).map((x) => x.name);
      const fragMembers = fragDefs.filter((x) => x.parent === fragDefs.indexOf(d));
      const complete = origMembers.every((n) => fragMembers.some((m) => m.name === n));
      if (!complete) {
        // A partial class: merge its methods one by one.
        for (const m of fragMembers) {
          const cur = findDefs(file);
          const cls = cur.find((x) => x.parent === undefined && x.name === d.name);
          if (!cls) break;
          const existing = cur.find((x) => x.parent === cur.indexOf(cls) && x.name === m.name);
          const mBody = dedent(frag.slice(m.start, m.end).join('\n')).split('\n');
          if (existing) {
            spliceLines(
              file,
              existing.start,
              existing.end - existing.start,
              reindent(mBody, leading(file[existing.defLine])),
            );
            result.replaced.push(`${d.name}.${m.name}`);
          } else {
            const memberIndent = leading(frag[m.defLine]).length
              ? leading(file[cls.defLine]) + '    '
              : '    ';
            spliceLines(file, cls.end, 0, ['', ...reindent(mBody, memberIndent)]);
            result.added.push(`${d.name}.${m.name}`);
          }
        }
        anchor = d.name;
        continue;
      }
    }
    if (top) {
      spliceLines(file, top.start, top.end - top.start, body);
      result.replaced.push(d.name);
      anchor = d.name;
      continue;
    }
    const nested = defs.filter((x) => x.parent !== undefined && x.name === d.name);
    if (nested.length === 1 && nested[0]) {
      const n = nested[0];
      spliceLines(file, n.start, n.end - n.start, reindent(body, leading(file[n.defLine])));
      result.replaced.push(n.qualname);
      anchor = n.qualname;
      continue;
    }
    if (nested.length > 1) {
      result.problems.push(
        `"${d.name}" matches several definitions (${nested.map((x) => x.qualname).join(', ')}); name the class it belongs to.`,
      );
      continue;
    }
    // A new definition: after the previous fragment definition, else after the last top-level one.
    const tops = topDefs(file);
    const after = tops.find((x) => x.name === anchor) ?? tops[tops.length - 1];
    const at = after ? after.end : file.length;
    const insert = ['', ''].concat(body);
    if (at < file.length && file[at]?.trim()) insert.push('', '');
    spliceLines(file, at, 0, insert);
    if (!after) file = trimLeadingBlank(file);
    result.added.push(d.name);
    anchor = d.name;
  }
  result.text = file.join('\n');
  return result;
}

function trimLeadingBlank(ls: string[]): string[] {
  let i = 0;
  while (i < ls.length - 1 && !ls[i]?.trim()) i++;
  return ls.slice(i);
}

/** True when a fragment has something to splice (a def/class, import or top-level assignment). */
export function hasSpliceableCode(fragment: string): boolean {
  const frag = lines(dedent(fragment));
  if (findDefs(frag).length) return true;
  return frag.some((l) => IMPORT.test(l) || ASSIGN.test(l));
}
