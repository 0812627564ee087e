// The inline view of a trace, per file and line, independent of any editor: what text goes after each
// executed line, which lines ran, which lines of code that ran around them never did, and where the
// exception surfaced. The extension turns this into VS Code decorations; tests assert on it directly.

import type { EventKind, ExceptionInfo, Trace, TraceEvent } from '../trace/model';
import { recordingModel } from '../trace/recordingModel';
import { changeParts, partText, RETURN_NAME, YIELD_NAME } from './changes';
import { analyzePython, blockAt, type PySource } from '../source/pyStructure';
import { fitLine, type History } from './valueHistory';

export interface LineDecoration {
  /** 1-based line. */
  line: number;
  /** Summary shown after the line, already fitted to the width (may be empty: ran, changed nothing). */
  text: string;
  /** How many recorded executions of the line (line events, or calls for a def line). */
  executions: number;
  /** An exception left a frame at this line. */
  raised: boolean;
}

export interface ExceptionMark {
  line: number;
  /** `✗ AssertionError: message`, fitted to the width. */
  text: string;
  type: string;
  message: string;
}

export interface FileDecorations {
  /** Relative to program.root, forward slashes (as in the trace). */
  file: string;
  lines: LineDecoration[];
  /** Every line carrying at least one event, ascending. */
  executed: number[];
  /** Code lines in scopes that ran but never executed themselves, ascending (see `neverExecuted`). */
  neverExecuted: number[];
  /** Where the trace's exception surfaced in this file, if it did. */
  exception?: ExceptionMark;
}

/** Characters of one line's inline summary when nothing else is said (`tracefix.inline.maxLength`). */
export const DEFAULT_INLINE_WIDTH = 80;

export interface DecorationOptions {
  /** Maximum characters of one line's summary (default DEFAULT_INLINE_WIDTH). */
  maxWidth?: number;
}

export { RETURN_NAME, YIELD_NAME };
const EXCEPTION_MARK = '✗';

/** Events grouped by file, then by line, in execution order (the recording model's grouping). */
export function eventsByLine(trace: Trace): Map<string, Map<number, TraceEvent[]>> {
  const model = recordingModel(trace);
  const files = new Map<string, Map<number, TraceEvent[]>>();
  for (const [file, byLine] of model.byLine) {
    const lines = new Map<number, TraceEvent[]>();
    for (const [line, at] of byLine)
      lines.set(
        line,
        at.map((i) => model.event(i)),
      );
    files.set(file, lines);
  }
  return files;
}

/**
 * `exceptionText` replaces the `✗ Type` part on the line where the trace's exception surfaced.
 * Changes inside values the recorder had to cut show as their own histories (`memo[3, 5] = 30`,
 * `seen.add(4 → 5)`), deletions and unlisted changes as plain parts (`del book['x']`).
 */
function summarize(
  events: readonly TraceEvent[],
  width: number,
  exceptionText?: string,
): LineDecoration {
  const histories = new Map<string, History>();
  const push = (key: string, h: Omit<History, 'values'>, value: string) => {
    const cur = histories.get(key);
    if (cur) cur.values.push(value);
    else histories.set(key, { ...h, values: [value] });
  };
  const plain: string[] = [];
  const raised: string[] = [];
  let lineRuns = 0;
  let calls = 0;
  for (const e of events) {
    if (e.kind === 'line') lineRuns++;
    if (e.kind === 'call') calls++;
    for (const p of changeParts(e)) {
      if (p.kind === 'exception') {
        const type = e.exception?.type ?? 'Exception';
        if (!raised.includes(type)) raised.push(type);
      } else if (
        p.kind === 'set' ||
        p.kind === 'return' ||
        p.kind === 'yield' ||
        p.delta?.op === '='
      ) {
        push(`=${p.name}`, { name: p.name }, p.value ?? '');
      } else if (p.delta?.op === 'add' || p.delta?.op === 'discard') {
        push(`(${p.name}`, { name: p.name, style: 'call' }, p.value ?? '');
      } else {
        const text = partText(p);
        const i = plain.indexOf(text);
        if (i >= 0) plain.splice(i, 1);
        plain.push(text);
      }
    }
  }
  // Return values last, whatever order the names first appeared in.
  const ordered = [...histories.values()].sort((a, b) => rank(a.name) - rank(b.name));
  const tail = [
    ...plain,
    ...(exceptionText ? [exceptionText] : raised.map((t) => `${EXCEPTION_MARK} ${t}`)),
  ];
  const executions = lineRuns || calls || events.length;
  let text = fitLine(ordered, tail, width);
  if (text === '' && executions > 1) text = `×${executions}`;
  return {
    line: events[0]!.line,
    text,
    executions,
    raised: raised.length > 0 || exceptionText !== undefined,
  };
}

function rank(name: string): number {
  return name === RETURN_NAME || name === YIELD_NAME ? 1 : 0;
}

/**
 * Never-executed lines, heuristically: a scope "ran" when some non-call event lies on a line whose
 * innermost def / class is that scope (module code: a line outside every block), or a call event sits
 * on its header (call events sit on the def line, which belongs to the enclosing scope, so they do not
 * make that scope count as run). In every scope that ran, each statement CPython reports line events
 * for (see `analyzePython`) with no event on any of its physical lines is never-executed, all its lines
 * listed. Scopes that never ran (functions nobody called) are not dimmed: that is not news. Callers
 * skip partial traces (limits or cancellation cut them), where "did not run" may mean "not yet".
 */
export function neverExecuted(
  src: PySource,
  kinds: ReadonlyMap<number, ReadonlySet<EventKind>>,
): number[] {
  const ran = new Set<unknown>();
  for (const [line, ks] of kinds) {
    if ([...ks].some((k) => k !== 'call')) ran.add(blockAt(src, line) ?? 'module');
  }
  for (const b of src.blocks)
    if (kinds.get(b.header)?.has('call') || kinds.get(b.start)?.has('call')) ran.add(b);
  const out: number[] = [];
  for (const s of src.statements) {
    if (!s.code || !ran.has(s.scope ?? 'module')) continue;
    let hit = false;
    for (let l = s.start; l <= s.end && !hit; l++) hit = kinds.has(l);
    if (!hit) for (let l = s.start; l <= s.end; l++) out.push(l);
  }
  return out;
}

/** The decoration model of every file of the trace that has events. */
export function buildDecorations(trace: Trace, options: DecorationOptions = {}): FileDecorations[] {
  const width = options.maxWidth ?? DEFAULT_INLINE_WIDTH;
  const sources = new Map(trace.sources.map((s) => [s.path, s.text]));
  const exc = trace.outcome.exception;
  const out: FileDecorations[] = [];
  for (const [file, lines] of eventsByLine(trace)) {
    const mark =
      exc && exc.file === file && exc.line !== undefined ? exceptionMark(exc, width) : undefined;
    const decorations = [...lines.values()]
      .map((events) =>
        summarize(events, width, events[0]!.line === mark?.line ? mark.text : undefined),
      )
      .sort((a, b) => a.line - b.line);
    if (mark && !lines.has(mark.line)) {
      decorations.push({ line: mark.line, text: mark.text, executions: 0, raised: true });
      decorations.sort((a, b) => a.line - b.line);
    }
    const executed = [...lines.keys()].sort((a, b) => a - b);
    const kinds = new Map(
      [...lines].map(([line, events]) => [line, new Set(events.map((e) => e.kind))]),
    );
    const text = sources.get(file);
    const never =
      text === undefined || trace.outcome.partial ? [] : neverExecuted(analyzePython(text), kinds);
    const fd: FileDecorations = { file, lines: decorations, executed, neverExecuted: never };
    if (mark) fd.exception = mark;
    out.push(fd);
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

function exceptionMark(exc: ExceptionInfo & { line?: number }, width: number): ExceptionMark {
  const head = `${EXCEPTION_MARK} ${exc.type}`;
  const full = exc.message ? `${head}: ${oneLine(exc.message)}` : head;
  return { line: exc.line ?? 0, text: fitText(full, width), type: exc.type, message: exc.message };
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ⏎ ').trim();
}

function fitText(text: string, width: number): string {
  return text.length <= width ? text : text.slice(0, Math.max(0, width - 1)) + '…';
}
