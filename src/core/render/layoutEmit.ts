// Writes a planned layout: the chosen units' lines (with their `# (k) …;` entries when annotating),
// runs of lines not shown as one-line markers, file by file.
import { countTokens } from './tokens';
import { cutLine, historyPieces, MAX_LINE_CHARS, type Level } from './lineText';
import type { Trace } from '../trace/model';
import type { TraceIndex } from './traceIndex';
import type { Plan } from './plan';
import type { CodeUnit, FileLayout, UnitSet } from './units';

/** What writing needs of the layouter (layout.ts). */
export interface LayoutSource {
  readonly trace: Trace;
  readonly index: TraceIndex;
  readonly set: UnitSet;
  readonly mode: { annotate: boolean; levels: Level[] };
  readonly focus: (index: number) => number | undefined;
  layout(file: string): FileLayout;
  codeLines(file: string): Uint8Array;
  shownLines(u: CodeUnit, levelIndex: number): number[];
}

export interface LayoutResult {
  text: string;
  /** Exact token count of `text`. */
  tokens: number;
  plan: Plan;
  /** Entries written / recorded. */
  stepsShown: number;
  /** Units with entries that were not shown at all. */
  unitsLeftOut: CodeUnit[];
  /** Files with code that ran but no line shown. */
  filesLeftOut: string[];
  /** Files written, in order. */
  filesShown: string[];
}

/** Writes the chosen units, file by file (files with nothing shown are left out). */
export function emitFiles(
  lay: LayoutSource,
  plan: Plan,
): {
  files: { file: string; text: string; whole: boolean }[];
  stepsShown: number;
} {
  const assigned = plan.levels;
  const byFile = new Map<string, CodeUnit[]>();
  for (const u of lay.set.units)
    if (assigned.has(u.id)) (byFile.get(u.file) ?? byFile.set(u.file, []).get(u.file)!).push(u);
  const files: { file: string; text: string; whole: boolean }[] = [];
  let stepsShown = 0;
  for (const file of lay.set.fileOrder) {
    if (!byFile.has(file)) continue;
    const layout = lay.layout(file);
    const n = layout.text.length;
    const visible = new Uint8Array(n + 2);
    const lineLevel = new Int8Array(n + 2).fill(-1);
    for (const u of byFile.get(file)!) {
      const level = assigned.get(u.id)!;
      for (const l of plan.windows.get(u.id) ?? lay.shownLines(u, level)) {
        visible[l] = 1;
        if (layout.owner[l] === u.id) lineLevel[l] = level;
      }
      for (const l of u.context) visible[l] = 1;
    }
    const out: string[] = [];
    let whole = true;
    let l = 1;
    while (l <= n) {
      if (visible[l]) {
        const { text, shown } = lineText(lay, file, l, lineLevel[l] as number);
        stepsShown += shown;
        whole &&= text === layout.text[l - 1];
        out.push(text);
        l++;
        continue;
      }
      let end = l;
      while (end + 1 <= n && !visible[end + 1]) end++;
      const run = hiddenRun(lay, file, l, end, assigned);
      whole &&= run.length === end - l + 1 && run.every((t, i) => t === layout.text[l - 1 + i]);
      out.push(...run);
      l = end + 1;
    }
    while (out.length && out[out.length - 1] === '') out.pop();
    files.push({ file, text: out.join('\n'), whole });
  }
  return { files, stepsShown };
}

/** Writes the chosen units as one text, `# ==== file ====` before each file when there are several. */
export function emitText(lay: LayoutSource, plan: Plan): LayoutResult {
  const assigned = plan.levels;
  const { files, stepsShown } = emitFiles(lay, plan);
  const multi = files.length > 1;
  const out: string[] = [];
  for (const f of files) {
    if (multi) out.push(`# ==== ${f.file} ====`);
    out.push(f.text);
    if (multi) out.push('');
  }
  const text = out.join('\n').replace(/\n+$/, '') + '\n';
  const shown = new Set(files.map((f) => f.file));
  const unitsLeftOut = lay.set.units.filter((u) => !assigned.has(u.id) && u.steps > 0);
  const filesLeftOut = lay.set.fileOrder.filter((f) => !shown.has(f));
  return {
    text,
    tokens: countTokens(text),
    plan,
    stepsShown,
    unitsLeftOut,
    filesLeftOut,
    filesShown: [...shown],
  };
}

function lineText(
  lay: LayoutSource,
  file: string,
  line: number,
  levelIndex: number,
): { text: string; shown: number } {
  const src = cutLine(lay.layout(file).text[line - 1] ?? '');
  if (!lay.mode.annotate || levelIndex < 0) return { text: src, shown: 0 };
  const list = lay.index.entries.get(file)?.get(line) ?? [];
  const gap = lay.index.gapRuns.get(file)?.get(line) ?? 0;
  if (list.length === 0 && gap === 0) return { text: src, shown: 0 };
  const { pieces, shown } = historyPieces(
    list,
    lay.mode.levels[levelIndex]!,
    gap,
    lay.trace.elided?.at,
    lay.focus,
  );
  return { text: `${src}  # ${pieces.join(' ')}`, shown };
}

/** A run of lines not shown: blank lines stay one blank line, one quiet line stays as it is, else a marker. */
function hiddenRun(
  lay: LayoutSource,
  file: string,
  start: number,
  end: number,
  assigned: Map<number, number>,
): string[] {
  const layout = lay.layout(file);
  const lines = layout.text.slice(start - 1, end);
  if (lines.every((t) => !t.trim()))
    return start === 1 ? [] : lines.length <= 2 ? lines.map(() => '') : [''];
  const entries = lay.index.entries.get(file);
  let steps = 0;
  let code = false;
  let inShownUnit = false;
  const codeLines = lay.codeLines(file);
  for (let l = start; l <= end; l++) {
    steps += entries?.get(l)?.length ?? 0;
    code ||= codeLines[l] === 1;
    const owner = layout.owner[l] as number;
    inShownUnit ||= owner >= 0 && assigned.has(owner);
  }
  // A line or two that did not run cost less as themselves than as a marker.
  const quiet =
    steps === 0 && lines.every((t, i) => layout.ran[start + i] !== 1 && t.length <= MAX_LINE_CHARS);
  if (quiet && lines.length <= 3 && lines.filter((t) => t.trim()).length <= 2) return lines;
  const first = lines.find((t) => t.trim()) ?? '';
  const indent = /^\s*/.exec(first)?.[0] ?? '';
  const details: string[] = [];
  let ran = false;
  for (let l = start; l <= end && !ran; l++) ran = layout.ran[l] === 1;
  if (steps > 0) details.push(`${steps} step${steps === 1 ? '' : 's'} left out`);
  else if (inShownUnit && code && !ran)
    details.push(lay.trace.outcome.partial ? 'not recorded' : 'not run');
  const names = layout.src.blocks.filter(
    (b) =>
      b.header >= start &&
      b.header <= end &&
      !(b.parent && b.parent.header >= start && b.parent.header <= end),
  );
  if (names.length) {
    const listed = names.slice(0, 3).map((b) => b.name);
    details.push(
      names.length > 3 ? `${listed.join(', ')}, +${names.length - 3} more` : listed.join(', '),
    );
  }
  const what = start === end ? `line ${start}` : `lines ${start}-${end}`;
  return [`${indent}# ... ${what} not shown${details.length ? ` (${details.join('; ')})` : ''}`];
}
