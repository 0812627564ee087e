// Whether a verification run proves the fix, judged from the evidence the run sent out of band
// (evidence.ts) and never from the exit code alone: a patch can make a failing test "pass" by
// skipping it, marking it xfail, calling pytest.exit(returncode=0) or os._exit(0), stop a script
// with sys.exit(0) before its check, or catch the AssertionError of the check that failed.
import { summarizeFailure, type FailureFacts } from './failureSummary';

type PhaseName = 'setup' | 'call' | 'teardown';

export interface PhaseReport {
  outcome: 'passed' | 'failed' | 'skipped';
  xfail: boolean;
  message: string;
}

export interface PytestRecord {
  finished: boolean;
  exitstatus: number;
  /** Node ids after collection and deselection; null when collection never finished. */
  collected: string[] | null;
  deselected: string[];
  reports: Record<string, Partial<Record<PhaseName, PhaseReport>>>;
  collectProblems: { nodeid: string; outcome: 'failed' | 'skipped'; message: string }[];
  interrupted: { type: string; message: string; returncode: number | null } | null;
  /** What pytest.main returned, as the launcher saw it after the session (null: never returned). */
  launcherExit: number | null;
  watch: WatchReport[] | null;
}

/** A watched line of the original failure: id 0 is the failing line, 1… its checks (FailingLine). */
export interface WatchReport {
  id: number;
  /** The statement at the line (in the patched file) is an `assert`. */
  isAssert: boolean;
  ran: boolean;
  /** An exception passed through the line (even one the program then caught). */
  raised: boolean;
  exception: string;
}

export interface ProgramRecord {
  end:
    | { how: 'end' }
    | {
        how: 'exit';
        code: number;
        where: { file: string; line: number } | null;
        direct: boolean;
        atEnd: boolean;
      }
    | { how: 'exception'; type: string }
    | null;
  watch: WatchReport[] | null;
}

/** A line on the original failure's path, in the failing line's file, as it is in the patched file. */
export interface CheckLine {
  /** Relative to the root. */
  file: string;
  line: number;
  originalLine: number;
  /** The patch changed the line's text. */
  changed: boolean;
  /** The original line was an `assert` statement (what counts for a changed line). */
  wasAssert: boolean;
}

/** The line that failed in the original run, as it is in the patched file. */
export type FailingLine =
  /** `file` relative to the root; `mayNotRun`: the original failure was the program exiting (sys.exit
   * with an error), so the fixed program need not reach that line at all. `checks`: the lines the
   * failure passed through in that file before, innermost first (the innermost `assert` among them
   * is the check that failed: it must run and hold). */
  | {
      kind: 'line';
      file: string;
      line: number;
      originalLine: number;
      mayNotRun: boolean;
      checks?: CheckLine[];
    }
  /** The patch deleted the line that failed without replacing it. */
  | { kind: 'deleted'; file: string; originalLine: number };

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/** Does a collected node id belong to what the user selected (`file.py`, `file.py::Class::test`, `…::test[1]`)? */
export function nodeIdSelected(requested: string, collected: string): boolean {
  const norm = (p: string) =>
    p
      .replace(/\\/g, '/')
      .replace(/^(\.\/)+/, '')
      .replace(/\/+$/, '');
  const [rf = '', ...rnames] = requested.split('::');
  const [cf = '', ...cnames] = collected.split('::');
  if (!fileSelected(norm(rf), norm(cf))) return false;
  if (rnames.length > cnames.length) return false;
  return rnames.every((n, i) => {
    const c = cnames[i] ?? '';
    // `test_y` selects every parametrization `test_y[…]`.
    return c === n || (i === rnames.length - 1 && !n.includes('[') && c.startsWith(`${n}[`));
  });
}

/** The requested file or folder (relative to the cwd, or absolute) names the collected file (relative to pytest's rootdir). */
function fileSelected(requested: string, collected: string): boolean {
  if (!requested) return true;
  if (requested.endsWith('.py'))
    return (
      requested === collected ||
      requested.endsWith(`/${collected}`) ||
      collected.endsWith(`/${requested}`)
    );
  // A folder selects every file under it: some tail of its path is a leading part of the collected path.
  const parts = requested.split('/');
  return parts.some((_, k) => {
    const tail = parts.slice(k).join('/');
    return tail !== '' && (collected.startsWith(`${tail}/`) || collected.includes(`/${tail}/`));
  });
}

/** '' when the record proves the selected test(s) ran and passed; else one line on why not. */
export function pytestVerdict(
  record: PytestRecord | undefined,
  facts: FailureFacts,
  requestedNodeId: string,
  failing?: FailingLine,
): string {
  if (facts.timedOut) return summarizeFailure(facts);
  if (record?.interrupted) {
    const i = record.interrupted;
    const how =
      i.type === 'Exit'
        ? `pytest.exit(${i.returncode !== null ? `returncode=${i.returncode}` : ''})`
        : i.type;
    return `the test run was stopped early by ${how}${i.message ? `: ${i.message}` : ''}`;
  }
  // A module skipped while collecting ends in pytest's "found no collectors" (exit 4): say why.
  const skippedModule = record?.collectProblems.find((p) => p.outcome === 'skipped');
  if (
    skippedModule &&
    !record?.collected?.length &&
    !record?.collectProblems.some((p) => p.outcome === 'failed')
  ) {
    return `${skippedModule.nodeid || 'the test module'} was skipped while collecting${skippedModule.message ? `: ${skippedModule.message}` : ''}`;
  }
  if (facts.exitCode !== 0) return summarizeFailure(facts);
  if (!record?.finished)
    return 'pytest exited with code 0 before its session ended (os._exit or a crash?): the test was never seen to pass';
  if (record.launcherExit === null)
    return 'the run exited with code 0 after the pytest session ended but before pytest returned (os._exit?): the test was never seen to pass';
  if (record.exitstatus !== 0 || record.launcherExit !== 0)
    return `pytest ended with status ${record.exitstatus !== 0 ? record.exitstatus : (record.launcherExit ?? '?')} but the process exited with code 0, so the run proves nothing`;
  const problem =
    record.collectProblems.find((p) => p.outcome === 'failed') ?? record.collectProblems[0];
  if (problem && (problem.outcome === 'failed' || !record.collected?.length)) {
    return problem.outcome === 'failed'
      ? `collecting ${problem.nodeid || 'the tests'} failed${problem.message ? `: ${problem.message}` : ''}`
      : `${problem.nodeid || 'the test module'} was skipped while collecting${problem.message ? `: ${problem.message}` : ''}`;
  }
  const collected = record.collected ?? [];
  if (collected.length === 0) {
    if (record.deselected.length)
      return `the test was deselected (${plural(record.deselected.length, 'test')}; by -k/-m or a conftest hook), so it never ran`;
    return `no test was collected for ${requestedNodeId}`;
  }
  const foreign = collected.filter((id) => !nodeIdSelected(requestedNodeId, id));
  if (foreign.length)
    return `pytest ran ${foreign[0] ?? ''}${foreign.length > 1 ? ` and ${plural(foreign.length - 1, 'other test')}` : ''}, not the selected test ${requestedNodeId}`;
  for (const id of collected) {
    const phases = record.reports[id];
    const why = testVerdict(phases);
    if (why) return collected.length > 1 ? `${id}: ${why}` : why;
  }
  return watchVerdict(record.watch, failing, true);
}

function testVerdict(phases: Partial<Record<PhaseName, PhaseReport>> | undefined): string {
  if (!phases?.setup && !phases?.call) return 'the test never ran';
  for (const name of ['setup', 'call', 'teardown'] as const) {
    const p = phases[name];
    if (!p) {
      if (name === 'call') return 'the test never ran its body';
      if (name === 'teardown') return 'the test never finished its teardown';
      continue;
    }
    const msg = p.message ? `: ${p.message}` : '';
    if (p.xfail)
      return p.outcome === 'passed'
        ? `the test is marked xfail (it xpassed${msg}), so its pass proves nothing`
        : `the test xfailed (marked as an expected failure${msg})`;
    if (p.outcome === 'skipped')
      return `the test was skipped${name === 'call' ? '' : ` in ${name}`}${msg}`;
    if (p.outcome === 'failed') return `the test failed in ${name}${msg}`;
  }
  return '';
}

/** '' when the program ran to its end, exited 0 and the failing line ran without raising; else why not. */
export function programVerdict(
  record: ProgramRecord | undefined,
  facts: FailureFacts,
  failing: FailingLine | undefined,
): string {
  if (facts.timedOut) return summarizeFailure(facts);
  const end = record?.end;
  if (end?.how === 'exception' || facts.exitCode !== 0) return summarizeFailure(facts);
  if (!end)
    return 'the program exited with code 0 before reaching its end (os._exit?): the run proves nothing';
  if (end.how === 'exit' && !end.atEnd) {
    const at = end.where ? ` at ${shortPath(end.where.file)}:${end.where.line}` : '';
    return `the program stopped early with sys.exit(${end.code})${at}${end.direct ? '' : ' (called from a function)'}, before its end: the run proves nothing`;
  }
  return watchVerdict(record?.watch ?? null, failing, end.how === 'end');
}

/** '' when the failing line ran (unless it need not) without raising and its check held; else why not. */
function watchVerdict(
  watch: WatchReport[] | null,
  failing: FailingLine | undefined,
  completed: boolean,
): string {
  if (!failing) return '';
  if (failing.kind === 'deleted')
    return `the patch deletes the line that failed (${failing.file}:${failing.originalLine})`;
  if (!watch) return 'the run sent no evidence about the line that failed, so it proves nothing';
  const byId = new Map(watch.map((w) => [w.id, w]));
  const w = byId.get(0);
  const where = `${failing.file}:${failing.line}`;
  if (w?.raised)
    return `the line that failed (${where}) still raises ${w.exception || 'an exception'}${completed ? ', which the program catches' : ''}`;
  if (!w?.ran && !failing.mayNotRun)
    return `the line that failed (${where}) never ran, so the run proves nothing`;
  // The check that failed: the innermost assert on the failure's path in that file.
  const checks = failing.checks ?? [];
  const k = checks.findIndex((c, i) => (c.changed ? c.wasAssert : byId.get(i + 1)?.isAssert));
  const check = checks[k];
  if (!check) return '';
  const r = byId.get(k + 1);
  const at = `${check.file}:${check.line}`;
  if (check.changed)
    return `the patch changes the assertion that failed (${check.file}:${check.originalLine}), so its passing proves nothing`;
  if (r?.raised)
    return `the assertion that failed (${at}) still fails (${r.exception || 'an exception'}), and the program catches it`;
  if (!r?.ran && !failing.mayNotRun)
    return `the assertion that failed (${at}) never ran, so the run proves nothing`;
  return '';
}

function shortPath(p: string): string {
  return p.split(/[\\/]/).slice(-2).join('/');
}
