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
  const line = {
    kind: 'line' as const,
    file: 'a.py',
    line: 12,
    originalLine: 11,
    mayNotRun: false,
  };

  it('passes a run to the end whose failing line ran cleanly; sys.exit(0) as the last statement is an end', () => {
    expect(
      programVerdict(
        end({ how: 'end' }, { file: '/c/a.py', line: 12, ran: 1, raised: 0, exception: null }),
        run,
        line,
      ),
    ).toBe('');
    expect(
      programVerdict(
        end(
          { how: 'exit', code: 0, where: { file: '/c/a.py', line: 20 }, direct: true, atEnd: true },
          { file: '/c/a.py', line: 12, ran: 2, raised: 0, exception: null },
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
    expect(
      programVerdict(
        end(
          { how: 'end' },
          { file: '/c/a.py', line: 12, ran: 1, raised: 1, exception: 'AssertionError' },
        ),
        run,
        line,
      ),
    ).toBe('the line that failed (a.py:12) still raises AssertionError, which the program catches');
    expect(
      programVerdict(
        end({ how: 'end' }, { file: '/c/a.py', line: 12, ran: 0, raised: 0, exception: null }),
        run,
        line,
      ),
    ).toBe('the line that failed (a.py:12) never ran, so the run proves nothing');
    expect(
      programVerdict(
        end({ how: 'end' }, { file: '/c/a.py', line: 12, ran: 0, raised: 0, exception: null }),
        run,
        { ...line, mayNotRun: true },
      ),
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
});
