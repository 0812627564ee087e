import { describe, expect, it } from 'vitest';
import {
  nodeIdSelected,
  programVerdict,
  pytestVerdict,
  type ProgramRecord,
  type PytestRecord,
} from '../../../src/core/verify/verdict';

const ok = {
  kind: 'pytest' as const,
  exitCode: 0,
  timedOut: false,
  timeoutMs: 30_000,
  output: '1 passed',
};
const ID = 'tests/test_a.py::test_x';
const passed = { outcome: 'passed' as const, xfail: false, message: '' };

function rec(over: Partial<PytestRecord> = {}): PytestRecord {
  return {
    finished: true,
    exitstatus: 0,
    collected: [ID],
    deselected: [],
    collectProblems: [],
    interrupted: null,
    reports: { [ID]: { setup: passed, call: passed, teardown: passed } },
    launcherExit: 0,
    watch: null,
    ...over,
  };
}

describe('pytestVerdict', () => {
  it('passes only a collected test whose setup, call and teardown passed, in a finished session with exit 0', () => {
    expect(pytestVerdict(rec(), ok, ID)).toBe('');
    expect(
      pytestVerdict(
        rec({
          collected: ['tests/test_a.py::test_x[1]', 'tests/test_a.py::test_x[2]'],
          reports: {
            'tests/test_a.py::test_x[1]': { setup: passed, call: passed, teardown: passed },
            'tests/test_a.py::test_x[2]': { setup: passed, call: passed, teardown: passed },
          },
        }),
        ok,
        ID,
      ),
    ).toBe('');
  });

  it('a session that ended but never returned to the launcher, or whose status is not the exit code, proves nothing', () => {
    expect(pytestVerdict(rec({ launcherExit: null }), ok, ID)).toMatch(
      /^the run exited with code 0 after the pytest session ended but before pytest returned/,
    );
    expect(pytestVerdict(rec({ exitstatus: 1, launcherExit: 1 }), ok, ID)).toBe(
      'pytest ended with status 1 but the process exited with code 0, so the run proves nothing',
    );
  });

  it('a watched test line that raised fails the verdict even when pytest reported a pass', () => {
    const failing = {
      kind: 'line' as const,
      file: 'tests/test_a.py',
      line: 5,
      originalLine: 5,
      mayNotRun: false,
    };
    const watch = (raised: boolean) => [
      { id: 0, isAssert: true, ran: true, raised, exception: raised ? 'AssertionError' : '' },
    ];
    expect(pytestVerdict(rec({ watch: watch(false) }), ok, ID, failing)).toBe('');
    expect(pytestVerdict(rec({ watch: watch(true) }), ok, ID, failing)).toBe(
      'the line that failed (tests/test_a.py:5) still raises AssertionError, which the program catches',
    );
  });

  it('no record with exit 0: the session never ended (os._exit)', () => {
    expect(pytestVerdict(undefined, ok, ID)).toMatch(
      /^pytest exited with code 0 before its session ended/,
    );
  });

  it('a failing exit code reads as the usual failure summary', () => {
    expect(
      pytestVerdict(
        undefined,
        { ...ok, exitCode: 1, output: 'FAILED tests/test_a.py::test_x - assert 3 == 4' },
        ID,
      ),
    ).toBe('FAILED tests/test_a.py::test_x - assert 3 == 4');
  });

  it('pytest.exit, skip, xfail, xpass, deselection, collection problems and foreign tests are each named', () => {
    expect(
      pytestVerdict(rec({ interrupted: { type: 'Exit', message: 'bye', returncode: 0 } }), ok, ID),
    ).toBe('the test run was stopped early by pytest.exit(returncode=0): bye');
    expect(
      pytestVerdict(
        rec({
          reports: {
            [ID]: {
              setup: passed,
              call: { outcome: 'skipped', xfail: false, message: 'later' },
              teardown: passed,
            },
          },
        }),
        ok,
        ID,
      ),
    ).toBe('the test was skipped: later');
    expect(
      pytestVerdict(
        rec({
          reports: {
            [ID]: {
              setup: { outcome: 'skipped', xfail: false, message: 'no db' },
              teardown: passed,
            },
          },
        }),
        ok,
        ID,
      ),
    ).toBe('the test was skipped in setup: no db');
    expect(
      pytestVerdict(
        rec({
          reports: {
            [ID]: {
              setup: passed,
              call: { outcome: 'skipped', xfail: true, message: 'bug' },
              teardown: passed,
            },
          },
        }),
        ok,
        ID,
      ),
    ).toBe('the test xfailed (marked as an expected failure: bug)');
    expect(
      pytestVerdict(
        rec({
          reports: {
            [ID]: {
              setup: passed,
              call: { outcome: 'passed', xfail: true, message: 'bug' },
              teardown: passed,
            },
          },
        }),
        ok,
        ID,
      ),
    ).toMatch(/^the test is marked xfail \(it xpassed: bug\)/);
    expect(
      pytestVerdict(
        rec({
          reports: {
            [ID]: {
              setup: passed,
              call: passed,
              teardown: { outcome: 'failed', xfail: false, message: 'leak' },
            },
          },
        }),
        ok,
        ID,
      ),
    ).toBe('the test failed in teardown: leak');
    expect(pytestVerdict(rec({ collected: [], deselected: [ID] }), ok, ID)).toMatch(
      /^the test was deselected/,
    );
    expect(
      pytestVerdict(
        rec({
          collected: [],
          collectProblems: [{ nodeid: 'tests/test_a.py', outcome: 'skipped', message: 'off' }],
        }),
        ok,
        ID,
      ),
    ).toBe('tests/test_a.py was skipped while collecting: off');
    expect(
      pytestVerdict(rec({ collected: ['tests/test_a.py::test_other'], reports: {} }), ok, ID),
    ).toBe('pytest ran tests/test_a.py::test_other, not the selected test tests/test_a.py::test_x');
    expect(pytestVerdict(rec({ reports: {} }), ok, ID)).toBe('the test never ran');
  });

  it('a timeout wins over everything', () => {
    expect(pytestVerdict(rec(), { ...ok, timedOut: true, exitCode: null }, ID)).toBe(
      'timed out after 30 s',
    );
  });
});

describe('nodeIdSelected', () => {
  it('matches files, classes, parametrizations and folders, relative to another rootdir or absolute', () => {
    expect(nodeIdSelected('tests/test_a.py::test_x', 'tests/test_a.py::test_x')).toBe(true);
    expect(nodeIdSelected('test_a.py::test_x', 'tests/test_a.py::test_x')).toBe(true);
    expect(nodeIdSelected('/p/tests/test_a.py::test_x', 'tests/test_a.py::test_x')).toBe(true);
    expect(nodeIdSelected('tests/test_a.py::test_x', 'tests/test_a.py::test_x[3-4]')).toBe(true);
    expect(nodeIdSelected('tests/test_a.py::test_x[1]', 'tests/test_a.py::test_x[2]')).toBe(false);
    expect(nodeIdSelected('tests/test_a.py', 'tests/test_a.py::T::test_y')).toBe(true);
    expect(nodeIdSelected('tests/test_a.py::T', 'tests/test_a.py::T::test_y')).toBe(true);
    expect(nodeIdSelected('tests', 'tests/sub/test_b.py::test_z')).toBe(true);
    expect(nodeIdSelected('tests/test_a.py::test_x', 'tests/test_b.py::test_x')).toBe(false);
    expect(nodeIdSelected('tests/test_a.py::test_x', 'tests/test_a.py::test_xy')).toBe(false);
  });
});

describe('programVerdict', () => {
  const run = {
    kind: 'script' as const,
    exitCode: 0,
    timedOut: false,
    timeoutMs: 30_000,
    output: 'ok',
  };
  const end = (e: ProgramRecord['end'], watch: ProgramRecord['watch'] = null): ProgramRecord => ({
    end: e,
    watch,
  });
  const w = (ran: boolean, raised: boolean, exception: string, id = 0, isAssert = false) => ({
    id,
    isAssert,
    ran,
    raised,
    exception,
  });
  const line = {
    kind: 'line' as const,
    file: 'a.py',
    line: 12,
    originalLine: 11,
    mayNotRun: false,
  };

  it('passes a run to the end whose failing line ran cleanly; sys.exit(0) as the last statement is an end', () => {
    expect(programVerdict(end({ how: 'end' }, [w(true, false, '')]), run, line)).toBe('');
    expect(
      programVerdict(
        end(
          { how: 'exit', code: 0, where: { file: '/c/a.py', line: 20 }, direct: true, atEnd: true },
          [w(true, false, '')],
        ),
        run,
        line,
      ),
    ).toBe('');
  });

  it('no record, an early sys.exit, a failing line that raised or never ran, a deleted line: each a reason', () => {
    expect(programVerdict(undefined, run, line)).toMatch(
      /^the program exited with code 0 before reaching its end/,
    );
    expect(
      programVerdict(
        end({
          how: 'exit',
          code: 0,
          where: { file: '/c/x/a.py', line: 4 },
          direct: false,
          atEnd: false,
        }),
        run,
        line,
      ),
    ).toBe(
      'the program stopped early with sys.exit(0) at x/a.py:4 (called from a function), before its end: the run proves nothing',
    );
    expect(programVerdict(end({ how: 'end' }, [w(true, true, 'AssertionError')]), run, line)).toBe(
      'the line that failed (a.py:12) still raises AssertionError, which the program catches',
    );
    expect(programVerdict(end({ how: 'end' }, [w(false, false, '')]), run, line)).toBe(
      'the line that failed (a.py:12) never ran, so the run proves nothing',
    );
    expect(
      programVerdict(end({ how: 'end' }, [w(false, false, '')]), run, { ...line, mayNotRun: true }),
    ).toBe('');
    expect(
      programVerdict(end({ how: 'end' }), run, { kind: 'deleted', file: 'a.py', originalLine: 11 }),
    ).toBe('the patch deletes the line that failed (a.py:11)');
  });

  it('an exception or a failing exit code reads as the usual failure summary', () => {
    expect(
      programVerdict(
        end({ how: 'exception', type: 'ValueError' }),
        {
          ...run,
          exitCode: 1,
          output: 'Traceback (most recent call last):\n  File "a.py", line 1\nValueError: bad',
        },
        line,
      ),
    ).toBe('ValueError: bad');
  });

  it('no evidence about the watched line at all: the run proves nothing', () => {
    expect(programVerdict(end({ how: 'end' }), run, line)).toBe(
      'the run sent no evidence about the line that failed, so it proves nothing',
    );
  });

  it('the assertion that failed on the way (innermost assert in the file) must run and hold', () => {
    const withCheck = {
      ...line,
      checks: [
        { file: 'a.py', line: 5, originalLine: 5, changed: false, wasAssert: true },
        { file: 'a.py', line: 8, originalLine: 8, changed: false, wasAssert: false },
      ],
    };
    const report = (check: ReturnType<typeof w>) => [
      w(true, false, ''),
      check,
      w(true, false, '', 2, false),
    ];
    expect(
      programVerdict(end({ how: 'end' }, report(w(true, false, '', 1, true))), run, withCheck),
    ).toBe('');
    // A function that swallows the AssertionError: the line that failed at the top is clean.
    expect(
      programVerdict(
        end({ how: 'end' }, report(w(true, true, 'AssertionError', 1, true))),
        run,
        withCheck,
      ),
    ).toBe(
      'the assertion that failed (a.py:5) still fails (AssertionError), and the program catches it',
    );
    expect(
      programVerdict(end({ how: 'end' }, report(w(false, false, '', 1, true))), run, withCheck),
    ).toBe('the assertion that failed (a.py:5) never ran, so the run proves nothing');
    // Not an assert in the patched file: no check there (a raise line need not run).
    expect(
      programVerdict(end({ how: 'end' }, report(w(false, false, '', 1, false))), run, withCheck),
    ).toBe('');
    expect(
      programVerdict(end({ how: 'end' }, report(w(true, false, '', 1, true))), run, {
        ...withCheck,
        checks: [{ file: 'a.py', line: 5, originalLine: 5, changed: true, wasAssert: true }],
      }),
    ).toBe('the patch changes the assertion that failed (a.py:5), so its passing proves nothing');
  });
});
