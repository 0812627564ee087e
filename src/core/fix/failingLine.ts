// The line that failed in the original run, and where it is after a patch. Verification requires it
// to run without raising, and the assertion that failed on the way to it to run and hold: a
// try/except around either, or an exit before them, must not count as a fix.
import { splitLines, type Hunk } from '../patch/hunks';
import { recordingModel } from '../trace/recordingModel';
import type { Trace } from '../trace/model';
import type { CheckLine, FailingLine } from '../verify/verdict';
import type { ProposedPatch } from './patchAdapter';

export interface OriginalFailure {
  /** Relative to the root, forward slashes. */
  file: string;
  /** 1-based. */
  line: number;
  /** The failure was the program exiting (SystemExit): the fixed program need not reach the line. */
  exit: boolean;
  /** Lines of the same file the exception passed through before (innermost first): where the
   * check that failed (an `assert`) is found, when it is not the failing line itself. */
  path: number[];
}

/**
 * Where the failure surfaced in the outermost user frame: the main module's top-level line whose
 * execution raised (`assert average(xs) == 4`, `main()`), or the test function's line for a pytest
 * test, so that a fix deep inside still has to let that line complete; with the lines of that file
 * the exception came through. Undefined for runs that failed without an exception.
 */
export function originalFailure(trace: Trace): OriginalFailure | undefined {
  const events = trace.events;
  const raised = recordingModel(trace).exceptionEvents;
  let at = -1;
  for (let k = raised.length - 1; k >= 0; k--) {
    const ev = events.at(raised[k] as number);
    if (ev?.exception && ev.depth === 0) {
      at = raised[k] as number;
      break;
    }
  }
  const outer = at >= 0 ? events.at(at) : undefined;
  const exc = trace.outcome.exception;
  const found = outer
    ? { file: outer.file, line: outer.line, type: outer.exception?.type ?? '' }
    : exc?.file && exc.line
      ? { file: exc.file, line: exc.line, type: exc.type }
      : undefined;
  if (!found) return undefined;
  // The same exception leaving the deeper frames: exception events of depth 1, 2, … just before.
  const path: number[] = [];
  let depth = 0;
  for (let i = at - 1; i >= 0 && outer; i--) {
    const ev = events.at(i);
    if (!ev || ev.kind === 'line') continue;
    if (ev.kind !== 'exception' || ev.depth !== depth + 1) break;
    depth = ev.depth;
    if (ev.file === outer.file) path.push(ev.line);
  }
  return {
    file: found.file.replace(/\\/g, '/'),
    line: found.line,
    exit: found.type === 'SystemExit',
    path: path.reverse(),
  };
}

/** Maps a 1-based old line through a file's hunks: its new line, or 'deleted'. */
export function mapLine(hunks: readonly Hunk[], line: number): number | 'deleted' {
  const old0 = line - 1;
  let shift = 0;
  for (const h of [...hunks].sort((a, b) => a.startLine - b.startLine)) {
    const newStart = h.startLine + shift;
    if (old0 < h.startLine) break;
    if (old0 >= h.endLine) {
      shift += h.newLines.length - (h.endLine - h.startLine);
      continue;
    }
    // The line itself changed: follow it when it only moved or was re-indented (a try: around it),
    // else take the line in its place, else it was deleted.
    const text = h.oldLines[old0 - h.startLine]?.trim() ?? '';
    const same = h.newLines.findIndex((l) => l.trim() === text && text !== '');
    if (same >= 0) return newStart + same + 1;
    const offset = old0 - h.startLine;
    if (offset < h.newLines.length) return newStart + offset + 1;
    return h.newLines.length ? newStart + h.newLines.length : 'deleted';
  }
  return line + shift;
}

/** The original failing line (and the lines of its file it came through) as they are in the patched files. */
export function failingLineAfterPatch(
  failure: OriginalFailure | undefined,
  patch: ProposedPatch,
): FailingLine | undefined {
  if (!failure) return undefined;
  const changed = patch.files.find((f) => f.path.replace(/\\/g, '/') === failure.file);
  const mapped = changed ? mapLine(changed.hunks, failure.line) : failure.line;
  if (mapped === 'deleted')
    return { kind: 'deleted', file: failure.file, originalLine: failure.line };
  const oldLines = changed ? splitLines(changed.oldText).lines : [];
  const newLines = changed ? splitLines(changed.newText).lines : [];
  const checks: CheckLine[] = [];
  for (const originalLine of failure.path) {
    if (originalLine === failure.line) continue;
    const line = changed ? mapLine(changed.hunks, originalLine) : originalLine;
    const before = oldLines[originalLine - 1]?.trim() ?? '';
    const after = line === 'deleted' ? undefined : newLines[line - 1]?.trim();
    checks.push({
      file: failure.file,
      line: line === 'deleted' ? originalLine : line,
      originalLine,
      changed: changed !== undefined && after !== before,
      wasAssert: /^assert\b/.test(before),
    });
  }
  return {
    kind: 'line',
    file: failure.file,
    line: mapped,
    originalLine: failure.line,
    mayNotRun: failure.exit,
    ...(checks.length ? { checks } : {}),
  };
}
