// The line that failed in the original run of a script or module, and where it is after a patch.
// Verification requires it to run without raising: a try/except around it, or an exit before it,
// must not count as a fix.
import type { Hunk } from '../patch/hunks';
import type { Trace } from '../trace/model';
import type { FailingLine } from '../verify/verdict';
import type { ProposedPatch } from './patchAdapter';

export interface OriginalFailure {
  /** Relative to the root, forward slashes. */
  file: string;
  /** 1-based. */
  line: number;
  /** The failure was the program exiting (SystemExit): the fixed program need not reach the line. */
  exit: boolean;
}

/**
 * Where the failure surfaced in the outermost user frame: the main module's top-level line whose
 * execution raised (`assert average(xs) == 4`, `main()`), so that a fix deep inside still has to
 * let that line complete. Undefined for pytest runs and runs that failed without an exception.
 */
export function originalFailure(trace: Trace): OriginalFailure | undefined {
  if (trace.program.kind === 'pytest') return undefined;
  const events = trace.events;
  let outermost: { file: string; line: number; type: string } | undefined;
  for (let i = events.length - 1; i >= 0; i--) {
    const ev = events.at(i);
    if (ev?.kind !== 'exception' || !ev.exception) continue;
    if (ev.depth === 0) {
      outermost = { file: ev.file, line: ev.line, type: ev.exception.type };
      break;
    }
  }
  const exc = trace.outcome.exception;
  const found =
    outermost ??
    (exc?.file && exc.line ? { file: exc.file, line: exc.line, type: exc.type } : undefined);
  if (!found) return undefined;
  return {
    file: found.file.replace(/\\/g, '/'),
    line: found.line,
    exit: found.type === 'SystemExit',
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

/** The original failing line as it is in the patched files. */
export function failingLineAfterPatch(
  failure: OriginalFailure | undefined,
  patch: ProposedPatch,
): FailingLine | undefined {
  if (!failure) return undefined;
  const changed = patch.files.find((f) => f.path.replace(/\\/g, '/') === failure.file);
  const mapped = changed ? mapLine(changed.hunks, failure.line) : failure.line;
  if (mapped === 'deleted')
    return { kind: 'deleted', file: failure.file, originalLine: failure.line };
  return {
    kind: 'line',
    file: failure.file,
    line: mapped,
    originalLine: failure.line,
    mayNotRun: failure.exit,
  };
}
