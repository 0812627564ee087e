// What a repair prompt needs from a recorded run: the code as traced (failure first, within a token
// budget), the task statement, the failing command and its real failure text (pytest's own report,
// or the program's traceback), and whether the run failed at all.
import type { PromptFile } from '../model/prompt';
import { extractTask } from './task';
import { isPytestFile } from '../source/pytest';
import { selectCode } from '../render/codeExcerpt';
import { indexTrace, type FrameSummary, type TraceIndex } from '../render/traceIndex';
import { sliceFocus } from '../slice/focus';
import { failurePath } from '../render/units';
import type { Trace } from '../trace/model';
import type { RecordOptions } from '../trace/options';
import { outputText, traceFailure } from '../verify/traceOutcome';
import { displayCommand } from '../verify/verify';

/** The failure text quoted at most: its first lines and its end (where the exception is). */
const MAX_ERROR_CHARS = 4000;
const HEAD_LINES = 8;

/** The last Python traceback in `text`, from its header to the end. */
function lastTraceback(text: string): string | undefined {
  const i = text.lastIndexOf('Traceback (most recent call last):');
  return i < 0 ? undefined : text.slice(text.lastIndexOf('\n', i) + 1);
}

/** At most MAX_ERROR_CHARS: the first lines (where it starts) and the end (the exception), the middle counted. */
function bound(text: string): string {
  const t = text.replace(/\r\n?/g, '\n').trimEnd();
  if (t.length <= MAX_ERROR_CHARS) return t;
  const lines = t.split('\n');
  const head = lines
    .slice(0, HEAD_LINES)
    .join('\n')
    .slice(0, MAX_ERROR_CHARS / 4);
  let tail = t.slice(t.length - (MAX_ERROR_CHARS - head.length - 60));
  tail = tail.slice(tail.indexOf('\n') + 1);
  const left = t.length - head.length - tail.length;
  return `${head}\n[... ${left} characters left out ...]\n${tail}`;
}

/** The failure as quoted in the prompt: the summary line, then pytest's report of the test or the program's traceback. */
export function traceErrorText(trace: Trace): string {
  const summary = traceFailure(trace);
  const o = trace.outcome;
  let body: string | undefined;
  if (trace.program.kind === 'pytest') body = o.test?.collectError ?? o.test?.failureText;
  if (!body?.trim()) {
    const stderr = outputText(trace, 'stderr');
    body =
      lastTraceback(stderr) ??
      lastTraceback(outputText(trace)) ??
      (stderr.trim() ? stderr : outputText(trace));
  }
  // Memory addresses (`<x.Y object at 0x7f2a…>`) differ on every run and say nothing the model can
  // use; the trace's own reprs never carry them either.
  const text = bound(body).replace(/ object at 0x[0-9a-fA-F]+>/g, ' object>');
  if (!text.trim()) return summary;
  return text.includes(summary) ? text : `${summary}\n\n${text}`;
}

/**
 * The user files of the run as they were when traced, for `## Code`: whole when they all fit the
 * budget, else the failure path's functions first (PromptFile.shown); files left out for lack of
 * room keep their text (an answer may still change them) with `shown: ''`.
 */
export function promptFiles(trace: Trace, options: { budget?: number } = {}): PromptFile[] {
  const code = selectCode(trace, options);
  return [
    ...code.files.map((f): PromptFile =>
      f.shown === undefined
        ? { path: f.path, text: f.text }
        : { path: f.path, text: f.text, shown: f.shown },
    ),
    ...code.leftOut.map((f): PromptFile => ({ path: f.path, text: f.text, shown: '' })),
  ];
}

/** A property getter or setter (`@property`, `@cached_property`, `@x.setter`): plumbing that reads
 * state for its caller, not the function a test is about. */
function isProperty(trace: Trace, f: FrameSummary): boolean {
  const text = trace.sources.find((s) => s.path === f.file)?.text;
  if (!text) return false;
  const lines = text.split('\n');
  for (let l = f.firstLine - 1; l < Math.min(lines.length, f.firstLine + 10); l++) {
    const t = (lines[l] ?? '').trim();
    if (!t.startsWith('@')) break;
    if (/^@(?:[\w.]*\.)?(?:property|cached_property|setter|getter)\b|\.setter\b|\.getter\b/.test(t))
      return true;
  }
  return false;
}

/**
 * The function the data flow points at: on the backward slice from the failing point, the first
 * (nearest) user function whose returned value flows into the failing line — not a dunder method,
 * a property, a comprehension or test code. Undefined when there is no slice.
 */
function functionOnSlice(trace: Trace, index: TraceIndex): FrameSummary | undefined {
  const focus = sliceFocus(trace);
  if (!focus) return undefined;
  const events = trace.events;
  for (const e of focus.result.order) {
    if (focus.result.links.get(e)?.kind !== 'return') continue;
    const ev = events.at(e);
    const f = ev ? index.frames.get(ev.callId) : undefined;
    if (
      f &&
      !/^__\w+__$/.test(f.function) &&
      !f.function.startsWith('<') &&
      !isPytestFile(f.file) &&
      !isProperty(trace, f)
    )
      return f;
  }
  return undefined;
}

/**
 * The function under test, from the trace: the user function whose result flows into the failing
 * line (the backward slice); else a user function called on the failing line of the failing frame
 * (the test's assertion, the script's line that raised), not a dunder method nor test code; else the
 * innermost non-test frame the exception came from; else the last call. Never the function that
 * happened to be running when a time limit stopped the recording before the failure: undefined then.
 */
export function functionUnderTest(trace: Trace): FrameSummary | undefined {
  const index = indexTrace(trace);
  const flow = functionOnSlice(trace, index);
  if (flow) return flow;
  const path = failurePath(trace, index)
    .map((id) => index.frames.get(id))
    .filter((f): f is FrameSummary => f !== undefined);
  const ok = (f: FrameSummary) =>
    !/^__\w+__$/.test(f.function) && !f.function.startsWith('<') && !isPytestFile(f.file);
  const failing = [...index.exceptions]
    .reverse()
    .find((x) => path.some((f) => f.callId === x.callId));
  if (failing) {
    const onLine = path.find(
      (f) => f.parentCallId === failing.callId && f.calledFromLine === failing.line && ok(f),
    );
    if (onLine) return onLine;
  }
  // The time limit stopped the recording before the failure was recorded: whatever ran last is only
  // what happened to run at the deadline, not the function under test (the test's assertions say it).
  const o = trace.outcome;
  if (!failing && (o.recordingStopped || o.status === 'timeout')) return undefined;
  const stack = path.filter((f) => index.exceptions.some((x) => x.callId === f.callId));
  const inner = stack.find(ok);
  if (inner) return inner;
  const called = path.find(ok);
  if (called) return called;
  let last: FrameSummary | undefined;
  for (const f of index.frames.values())
    if (ok(f) && (!last || f.firstIndex > last.firstIndex)) last = f;
  return last;
}

/**
 * Task statement: for a test, its name, assertions and the function under test; for a script or
 * module, the docstring and signature of the function the failure points at.
 */
export function taskOf(trace: Trace, files: PromptFile[]): string | undefined {
  const fn = functionUnderTest(trace);
  const pin = fn
    ? { functionAt: { path: fn.file, line: fn.firstLine }, functionName: fn.function }
    : {};
  if (trace.program.kind === 'pytest')
    return extractTask({ files, testName: trace.program.target, ...pin });
  return extractTask({ files, ...pin });
}

export function commandOf(opts: RecordOptions): string {
  return displayCommand(opts, opts.args ?? []);
}
