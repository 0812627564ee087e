// Words for a round and its target, shared by the view, the code actions and the notifications.
// Free of `vscode` (unit-tested).
import type { FixRound } from '../../core/fix';
import type { Trace } from '../../core/trace/model';

/** "verified: test passes" / "not verified: <failure>" for labels. */
export function verificationLabel(r: FixRound, kind: string): string {
  if (r.verification?.passed) {
    const what =
      kind === 'pytest' ? 'verified: test passes' : 'verified: runs to its end without failing';
    return r.verification.sandboxed ? what : `${what} (run without a sandbox)`;
  }
  if (r.changesTests.length && !r.verification)
    return `not verified: ${r.failure} (allow with the tracefix.allowTestEdits setting)`;
  return `not verified: ${r.failure || 'no patch to verify'}`;
}

/** One line to name a round's fix: the model's summary, else the first hunk's summary. */
export function fixSummary(r: FixRound): string {
  const s = r.summary.replace(/\s+/g, ' ').trim();
  if (s) return s.length > 80 ? `${s.slice(0, 79)}…` : s;
  const f = r.patch?.files[0];
  return f ? `${f.path}: ${f.hunks[0]?.summary ?? 'change'}` : 'no change';
}

/** What the user calls the target: `test_spread`, `report.py`, `-m pkg.cli`. */
export function targetName(program: Trace['program']): string {
  if (program.kind === 'pytest') return program.target.split('::').pop() || program.target;
  if (program.kind === 'module') return `-m ${program.target}`;
  return program.target.split(/[\\/]/).pop() || program.target;
}

/** "test_spread passes" / "report.py runs to its end without an error". */
export function passesText(program: Trace['program']): string {
  return program.kind === 'pytest'
    ? `${targetName(program)} passes`
    : `${targetName(program)} runs to its end without an error`;
}

/** "test_spread fails" / "report.py fails". */
export function failsText(program: Trace['program']): string {
  return `${targetName(program)} fails`;
}
