// What a repair prompt needs from a recorded run: the code as traced, the task statement, the
// failing command and its failure (from the outcome and the program's output), and whether the
// run failed at all.
import { extractTask, type PromptFile } from '../model/prompt';
import { fileOrder } from '../render/next';
import type { Trace } from '../trace/model';
import type { RecordOptions } from '../trace/options';
import { summarizeFailure } from '../verify/failureSummary';
import { displayCommand } from '../verify/verify';

/** Files shown to the model at most, and their total size (the largest are dropped first). */
const MAX_FILES = 12;
const MAX_CODE_CHARS = 60_000;
/** Tail of the output quoted as the failure. */
const MAX_ERROR_LINES = 40;
const MAX_ERROR_CHARS = 3000;

export function outputText(trace: Trace): string {
  return trace.output.map((c) => c.text).join('');
}

/** Did the traced run pass: it ran to its end with exit code 0 (and the test passed). */
export function tracePassed(trace: Trace): boolean {
  const o = trace.outcome;
  if (o.status !== 'completed' || o.exitCode !== 0) return false;
  return trace.program.kind !== 'pytest' || o.testPassed !== false;
}

/** One line on why the traced run failed ('' when it passed). */
export function traceFailure(trace: Trace): string {
  const o = trace.outcome;
  if (o.status === 'timeout') return `timed out after ${trace.limits.timeoutMs / 1000} s (the program may not terminate)`;
  if (o.status === 'step-limit') return `still running after ${trace.limits.maxSteps} recorded steps (the program may not terminate)`;
  if (tracePassed(trace)) return '';
  const summary = summarizeFailure({ kind: trace.program.kind, exitCode: o.exitCode, timedOut: false, timeoutMs: trace.limits.timeoutMs, output: outputText(trace) });
  const exc = o.exception;
  if (exc && (!summary || /^exit code/.test(summary))) {
    const where = exc.file ? ` (at ${exc.file}:${exc.line ?? '?'})` : '';
    return `${exc.type}${exc.message ? `: ${exc.message}` : ''}${where}`;
  }
  return summary || `exit code ${o.exitCode ?? '?'}`;
}

/** The failure as quoted in the prompt: the summary line and the end of the output (traceback, pytest report). */
export function traceErrorText(trace: Trace): string {
  const summary = traceFailure(trace);
  const lines = outputText(trace).replace(/\r\n?/g, '\n').trimEnd().split('\n');
  let tail = lines.slice(-MAX_ERROR_LINES).join('\n');
  if (tail.length > MAX_ERROR_CHARS) tail = tail.slice(tail.length - MAX_ERROR_CHARS).replace(/^[^\n]*\n/, '');
  if (!tail.trim() || tail.includes(summary)) return tail.trim() ? tail : summary;
  return `${summary}\n\n${tail}`;
}

/** The user files of the run as they were when traced, most relevant first, bounded. */
export function promptFiles(trace: Trace): PromptFile[] {
  const order = fileOrder(trace);
  const rank = (p: string) => {
    const i = order.indexOf(p);
    return i < 0 ? order.length : i;
  };
  const files = trace.sources.filter((s) => s.text).sort((a, b) => rank(a.path) - rank(b.path)).slice(0, MAX_FILES);
  // Drop the largest files (never the first one entered) until the code fits.
  let total = files.reduce((n, f) => n + f.text.length, 0);
  while (total > MAX_CODE_CHARS && files.length > 1) {
    let largest = 1;
    for (let i = 2; i < files.length; i++) if ((files[i]?.text.length ?? 0) > (files[largest]?.text.length ?? 0)) largest = i;
    total -= files[largest]?.text.length ?? 0;
    files.splice(largest, 1);
  }
  return files.map((s) => ({ path: s.path, text: s.text }));
}

/**
 * Task statement: for a test, its name, assertions and the function under test (extractTask); for a
 * script or module, the docstring and signature of the function the failure points at — where the
 * exception surfaced, else the last user function called before the end.
 */
export function taskOf(trace: Trace, files: PromptFile[]): string | undefined {
  if (trace.program.kind === 'pytest') return extractTask({ files, testName: trace.program.target });
  return extractTask({ files, functionName: functionUnderSuspicion(trace) });
}

function functionUnderSuspicion(trace: Trace): string | undefined {
  const events = trace.events;
  for (let i = events.length - 1; i >= 0; i--) {
    const ev = events.at(i);
    if (ev?.kind === 'exception' && ev.function !== '<module>') return ev.function;
  }
  for (let i = events.length - 1; i >= 0; i--) {
    const ev = events.at(i);
    if (ev?.kind === 'call' && ev.function !== '<module>' && !ev.function.startsWith('<')) return ev.function;
  }
  return undefined;
}

export function commandOf(opts: RecordOptions): string {
  return displayCommand(opts, opts.args ?? []);
}
