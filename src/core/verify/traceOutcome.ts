// Whether a recorded run passed, and one line on why it failed: read from the trace's outcome and
// output the way a verification run is judged (failureSummary.ts). Shared by the prompt, the trace
// tools, the editor and the CLI.
import type { Trace } from '../trace/model';
import { recordingStoppedText } from '../trace/outcome';
import { pytestErrorLine, summarizeFailure } from './failureSummary';

export function outputText(trace: Trace, stream?: 'stdout' | 'stderr'): string {
  return trace.output
    .filter((c) => !stream || c.stream === stream)
    .map((c) => c.text)
    .join('');
}

/** Did the traced run pass: it ran to its end with exit code 0 (and the test passed). */
export function tracePassed(trace: Trace): boolean {
  const o = trace.outcome;
  if (o.status !== 'completed' || o.exitCode !== 0) return false;
  return trace.program.kind !== 'pytest' || o.testPassed !== false;
}

function at(file?: string, line?: number): string {
  return file ? ` (at ${file}:${line ?? '?'})` : '';
}

/** One line on why the traced run failed ('' when it passed). */
export function traceFailure(trace: Trace): string {
  const o = trace.outcome;
  // Only a run that outlived the timeout may not terminate; a long run that ended is just long.
  if (o.recordingStopped && o.status === 'timeout') return recordingStoppedText(o);
  if (o.status === 'timeout')
    return `timed out after ${trace.limits.timeoutMs / 1000} s (the program may not terminate)`;
  if (tracePassed(trace)) return '';
  const last = trace.events.at(trace.events.length - 1);
  if (o.status === 'exited')
    return `the program ended at once with os._exit(${o.exitCode ?? '?'})${at(last?.file, last?.line)}`;
  if (o.status === 'crashed')
    return `the program was killed by ${o.signal ?? 'a signal'}${at(last?.file, last?.line)}`;
  const test = o.test;
  if (test?.collectError) return `the test could not be collected: ${firstLine(test.collectError)}`;
  if (trace.program.kind === 'pytest' && test && test.collected.length === 0)
    return `no test matches ${test.nodeId}`;
  const summary = summarizeFailure({
    kind: trace.program.kind,
    exitCode: o.exitCode,
    timedOut: false,
    timeoutMs: trace.limits.timeoutMs,
    output: outputText(trace),
  });
  // pytest's report of the test says more than an exit code.
  const reported = test?.failureText ? pytestErrorLine(test.failureText) : undefined;
  if (reported && (!summary || /^exit code/.test(summary))) return reported;
  const exc = o.exception;
  if (exc && (!summary || /^exit code/.test(summary)))
    return `${exc.type}${exc.message ? `: ${firstLine(exc.message)}` : ''}${at(exc.file, exc.line)}`;
  if (!summary && test?.phases.call === 'failed') return `${test.nodeId} failed`;
  return summary || `exit code ${o.exitCode ?? '?'}`;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}
