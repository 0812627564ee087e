import { describe, expect, it } from 'vitest';
import {
  lastTracebackException,
  pytestErrorLine,
  pytestSummaryLine,
  runPassed,
  summarizeFailure,
  type FailureFacts,
} from '../../../src/core/verify/failureSummary';

const PYTEST_FAIL = `F                                                                        [100%]
=================================== FAILURES ===================================
_________________________________ test_average _________________________________

    def test_average():
>       assert average([2, 4, 6]) == 4
E       assert 3.0 == 4
E        +  where 3.0 = average([2, 4, 6])

tests/test_average.py:5: AssertionError
=========================== short test summary info ============================
FAILED tests/test_average.py::test_average - assert 3.0 == 4
1 failed in 0.04s
`;

const CHAINED = `Traceback (most recent call last):
  File "/tmp/a.py", line 3, in f
    return d["k"]
           ~^^^^^
KeyError: 'k'

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/tmp/a.py", line 8, in <module>
    f({})
  File "/tmp/a.py", line 5, in f
    raise ValueError("missing key k")
ValueError: missing key k
`;

function facts(f: Partial<FailureFacts>): FailureFacts {
  return { kind: 'script', exitCode: 1, timedOut: false, timeoutMs: 30_000, output: '', ...f };
}

describe('failure summary', () => {
  it('takes the exception line of the last traceback, not the first of a chain', () => {
    expect(lastTracebackException(CHAINED)).toBe('ValueError: missing key k');
    expect(summarizeFailure(facts({ output: `some output\n${CHAINED}` }))).toBe(
      'ValueError: missing key k',
    );
  });

  it('skips caret markers and source lines of an assertion traceback', () => {
    const out = `Traceback (most recent call last):\n  File "/x/average.py", line 11, in <module>\n    assert result == 4, f"expected 4, got {result}"\n           ^^^^^^^^^^^\nAssertionError: expected 4, got 3.0\n`;
    expect(summarizeFailure(facts({ output: out }))).toBe('AssertionError: expected 4, got 3.0');
  });

  it('uses pytest short summary for a failing test', () => {
    expect(pytestSummaryLine(PYTEST_FAIL)).toBe(
      'FAILED tests/test_average.py::test_average - assert 3.0 == 4',
    );
    expect(pytestErrorLine(PYTEST_FAIL)).toBe('assert 3.0 == 4');
    expect(summarizeFailure(facts({ kind: 'pytest', output: PYTEST_FAIL }))).toBe(
      'FAILED tests/test_average.py::test_average - assert 3.0 == 4',
    );
  });

  it('prefers the E line when pytest summary only names the exception type', () => {
    const out = `E       AssertionError\nE       ZeroDivisionError: division by zero\nFAILED t.py::test_x - ZeroDivisionError\n`;
    expect(summarizeFailure(facts({ kind: 'pytest', output: out }))).toBe(
      'FAILED t.py::test_x - AssertionError',
    );
  });

  it('without a pytest summary falls back to the E line', () => {
    expect(
      summarizeFailure(facts({ kind: 'pytest', output: '>   assert x\nE   assert False\n' })),
    ).toBe('assert False');
  });

  it('reports a collection error (pytest exit 4 for a node id it could not collect) by its exception', () => {
    const out = [
      '____________________ ERROR collecting tests/test_average.py ____________________',
      'tests/test_average.py:1: in <module>',
      '    from average import average',
      'E     File "/p/average.py", line 6',
      'E       return total / len(xs]',
      'E                            ^',
      "E   SyntaxError: closing parenthesis ']' does not match opening parenthesis '('",
      '=========================== short test summary info ============================',
      'ERROR tests/test_average.py',
      '1 error in 0.06s',
      'ERROR: not found: /p/tests/test_average.py::test_average',
      "(no name '/p/tests/test_average.py::test_average' in any of [<Module tests/test_average.py>])",
    ].join('\n');
    expect(summarizeFailure(facts({ kind: 'pytest', exitCode: 4, output: out }))).toBe(
      "ERROR tests/test_average.py - SyntaxError: closing parenthesis ']' does not match opening parenthesis '('",
    );
  });

  it('says so when pytest ran no tests (exit 5), which is not a pass', () => {
    const f = facts({ kind: 'pytest', exitCode: 5, output: '\nno tests ran in 0.00s\n' });
    expect(runPassed(f)).toBe(false);
    expect(summarizeFailure(f)).toMatch(/^no tests ran \(pytest exit code 5\)/);
  });

  it('reports pytest usage errors', () => {
    const out =
      'ERROR: usage: __main__.py [options] [file_or_dir]\n__main__.py: error: unrecognized arguments: --nope\n';
    expect(summarizeFailure(facts({ kind: 'pytest', exitCode: 4, output: out }))).toBe(
      'pytest usage error: unrecognized arguments: --nope',
    );
  });

  it('reports timeouts with the limit in seconds', () => {
    expect(summarizeFailure(facts({ timedOut: true, exitCode: null, timeoutMs: 1500 }))).toBe(
      'timed out after 1.5 s',
    );
    expect(summarizeFailure(facts({ timedOut: true, exitCode: null, timeoutMs: 30_000 }))).toBe(
      'timed out after 30 s',
    );
    expect(runPassed({ timedOut: true, exitCode: 0 })).toBe(false);
  });

  it('takes the exception line of a script syntax error (no Traceback header)', () => {
    const out =
      "  File \"/p/average.py\", line 6\n    return total / len(xs]\n                         ^\nSyntaxError: closing parenthesis ']' does not match opening parenthesis '('\n";
    expect(summarizeFailure(facts({ output: out }))).toBe(
      "SyntaxError: closing parenthesis ']' does not match opening parenthesis '('",
    );
  });

  it('without a traceback gives the exit code and the last line of output', () => {
    expect(summarizeFailure(facts({ exitCode: 3, output: 'working\nbad input: -1\n\n' }))).toBe(
      'exit code 3: bad input: -1',
    );
    expect(summarizeFailure(facts({ exitCode: 2, output: '' }))).toBe('exit code 2 (no output)');
    expect(summarizeFailure(facts({ exitCode: null, signal: 'SIGSEGV', output: '' }))).toBe(
      'killed by SIGSEGV (no output)',
    );
  });

  it('is empty for a pass and keeps summaries to one bounded line', () => {
    expect(summarizeFailure(facts({ exitCode: 0 }))).toBe('');
    const long = `Traceback (most recent call last):\n  File "a.py", line 1, in <module>\nValueError: ${'x'.repeat(1000)}\n`;
    const s = summarizeFailure(facts({ output: long }));
    expect(s.length).toBeLessThanOrEqual(300);
    expect(s).not.toContain('\n');
  });
});
