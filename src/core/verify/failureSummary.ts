// One line that says why a run failed, taken from its output: pytest's short summary
// (`FAILED tests/test_x.py::test_y - assert 3.0 == 4`), its `E   ` lines, or the exception line
// at the end of a Python traceback; else the exit code and the last line of output.
import type { TargetKind } from '../trace/model';

export interface FailureFacts {
  kind: TargetKind;
  exitCode: number | null;
  signal?: NodeJS.Signals | null;
  timedOut: boolean;
  timeoutMs: number;
  output: string;
}

const MAX_LINE = 300;

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > MAX_LINE ? `${one.slice(0, MAX_LINE - 1)}…` : one;
}

function lines(output: string): string[] {
  return output.replace(/\r\n?/g, '\n').split('\n');
}

/** The exception line of the last Python traceback in `output` (`ValueError: bad`), if any. */
export function lastTracebackException(output: string): string | undefined {
  const ls = lines(output);
  let start = -1;
  for (let i = ls.length - 1; i >= 0; i--) {
    if (/^\s*Traceback \(most recent call last\):\s*$/.test(ls[i] ?? '')) {
      start = i;
      break;
    }
  }
  if (start < 0) return undefined;
  const indent = /^\s*/.exec(ls[start] ?? '')?.[0].length ?? 0;
  for (let i = start + 1; i < ls.length; i++) {
    const l = ls[i] ?? '';
    if (!l.trim()) continue;
    const ind = /^\s*/.exec(l)?.[0].length ?? 0;
    // Frames and their source lines are indented deeper than the header; `^^^^` markers too.
    if (ind > indent) continue;
    return clip(l);
  }
  return undefined;
}

/** pytest's `FAILED node - message` / `ERROR node - message` short-summary line, first one. */
export function pytestSummaryLine(output: string): string | undefined {
  for (const l of lines(output)) {
    const m = /^(FAILED|ERROR) (\S+)(?: - (.*))?$/.exec(l.trim());
    if (m) return clip(m[3] ? `${m[1]} ${m[2]} - ${m[3]}` : `${m[1]} ${m[2]}`);
  }
  return undefined;
}

const EXCEPTION_LINE = /^(?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*(?:Error|Exception|Exit|Interrupt)(?::|$)/;

/** pytest's `E   …` explanation: the first exception line among them (`SyntaxError: …` under a
 * collection error), else the first one (`assert 3.0 == 4`). */
export function pytestErrorLine(output: string): string | undefined {
  let first: string | undefined;
  for (const l of lines(output)) {
    const m = /^E {2,}(\S.*)$/.exec(l);
    if (!m?.[1]) continue;
    if (EXCEPTION_LINE.test(m[1])) return clip(m[1]);
    first ??= m[1];
  }
  return first === undefined ? undefined : clip(first);
}

function lastNonEmpty(output: string): string | undefined {
  const ls = lines(output).filter(
    (l) => l.trim() && !/^\[… \d+ characters of output elided …\]$/.test(l),
  );
  const last = ls[ls.length - 1];
  return last === undefined ? undefined : clip(last);
}

export const PYTEST_EXIT = {
  ok: 0,
  testsFailed: 1,
  interrupted: 2,
  internal: 3,
  usage: 4,
  noTests: 5,
} as const;

/** Did the run pass: exit code 0 (and not timed out). pytest's 5 ("no tests ran") is a failure. */
export function runPassed(f: Pick<FailureFacts, 'exitCode' | 'timedOut'>): boolean {
  return !f.timedOut && f.exitCode === 0;
}

/** '' when the run passed, else one line saying why it did not. */
export function summarizeFailure(f: FailureFacts): string {
  if (f.timedOut) return `timed out after ${formatSeconds(f.timeoutMs)} s`;
  if (f.exitCode === 0) return '';
  const code =
    f.exitCode === null ? `killed by ${f.signal ?? 'a signal'}` : `exit code ${f.exitCode}`;
  if (f.kind === 'pytest') {
    if (f.exitCode === PYTEST_EXIT.noTests)
      return 'no tests ran (pytest exit code 5): the test id selects no test';
    const summary = pytestSummaryLine(f.output);
    const detail = pytestErrorLine(f.output);
    // Exit 4 also follows a collection error ("not found" for the node id): report the error.
    if (f.exitCode === PYTEST_EXIT.usage && !summary && !detail)
      return `pytest usage error: ${pytestUsageLine(f.output) ?? lastNonEmpty(f.output) ?? code}`;
    // `FAILED x - AssertionError` (no message) says less than the E line under it.
    if (summary && summary.includes(' - ') && !/ - \w+Error$/.test(summary)) return summary;
    if (detail) return summary ? `${summary.replace(/ - .*$/, '')} - ${detail}` : detail;
    if (summary) return summary;
    return lastTracebackException(f.output) ?? `${code}: ${lastNonEmpty(f.output) ?? 'no output'}`;
  }
  const exc = lastTracebackException(f.output);
  if (exc) return exc;
  const last = lastNonEmpty(f.output);
  // A syntax error in the script itself is reported without a "Traceback" header.
  if (last && EXCEPTION_LINE.test(last)) return last;
  return last ? `${code}: ${last}` : `${code} (no output)`;
}

function pytestUsageLine(output: string): string | undefined {
  for (const l of lines(output)) {
    const m = /^(?:\S+: )?error: (.*)$/.exec(l.trim());
    if (m?.[1]) return clip(m[1]);
  }
  return undefined;
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? String(s) : s.toFixed(1);
}
