// `tracefix fix` end to end (real debugpy, real pytest, bubblewrap, the loopback OpenAI-protocol
// server): answers that game the verification — edit the test, skip, xfail, pytest.exit,
// os._exit, sys.exit, a try/except around the failing line — are "not verified" with a clear
// reason, exit 1, and --apply writes nothing; the honest fix is verified.
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { snapshot } from '../../support/files';
import { AVERAGE_FIXTURE, CliHarness, TEST_ID, answer, averageWith } from './cli';

const h = new CliHarness();
beforeAll(() => h.build());
afterAll(() => h.dispose());
afterEach(() => h.afterEach());

const ORIGINAL_TEST = readFileSync(path.join(AVERAGE_FIXTURE, 'tests/test_average.py'), 'utf8');
const ORIGINAL = readFileSync(path.join(AVERAGE_FIXTURE, 'average.py'), 'utf8');

/** Runs `fix` for the average test with one answer; the user's folder must be unchanged afterwards. */
async function fixTest(
  files: Record<string, string>,
  extraArgs: string[] = [],
  summary = 'Divide by len(xs).',
) {
  const user = h.project();
  const before = snapshot(user);
  const r = await h.fix(
    [answer(summary, files)],
    ['--test', TEST_ID, '--rounds', '1', '--apply', ...extraArgs],
    user,
  );
  return { ...r, user, before, unchanged: () => expect(snapshot(user)).toEqual(before) };
}

describe('tracefix fix: what "verified" means for a pytest test', () => {
  it('the honest fix is verified in the sandbox and applied', async () => {
    const r = await fixTest({ 'average.py': averageWith() });
    expect(r.stdout).toContain('verified: test passes\n');
    expect(r.stdout).not.toContain('without a sandbox');
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(r.user, 'average.py'), 'utf8')).toBe(averageWith());
  });

  it('an edit of the failing test: "changes the tests", not verified, not applied; verified with --allow-test-edits', async () => {
    const cheat = ORIGINAL_TEST.replace('== 4', '== 3.0');
    const r = await fixTest({ 'tests/test_average.py': cheat });
    expect(r.stdout).toContain(
      'not verified: changes the tests (tests/test_average.py), so it is neither verified nor offered as the fix (allow with --allow-test-edits)',
    );
    expect(r.stderr).toContain('not applied: no verified fix');
    expect(r.code).toBe(1);
    r.unchanged();
    const allowed = await fixTest({ 'tests/test_average.py': cheat }, [
      '--allow-test-edits',
      '--json',
    ]);
    const out = JSON.parse(allowed.stdout) as {
      fixed: boolean;
      rounds: { changesTests: string[] }[];
    };
    expect(out.fixed).toBe(true);
    expect(out.rounds[0]?.changesTests).toEqual(['tests/test_average.py']);
  });

  it('an edit of conftest.py counts as a test edit too', async () => {
    const user = h.project();
    writeFileSync(path.join(user, 'conftest.py'), 'import pytest\n\nTOLERANCE = 0\n');
    const before = snapshot(user);
    const r = await h.fix(
      [
        answer('Loosen the tolerance.', {
          'average.py': averageWith(),
          'conftest.py': 'import pytest\n\nTOLERANCE = 1\n',
        }),
      ],
      ['--test', TEST_ID, '--rounds', '1', '--apply'],
      user,
    );
    expect(r.stdout).toContain('not verified: changes the tests (conftest.py)');
    expect(r.code).toBe(1);
    expect(snapshot(user)).toEqual(before);
  });

  it('the code under test calls pytest.skip(): the test was skipped, not verified', async () => {
    const r = await fixTest({
      'average.py': averageWith({ top: ['import pytest', ''], body: ['pytest.skip("not today")'] }),
    });
    expect(r.stdout).toContain('not verified: the test was skipped: not today');
    expect(r.code).toBe(1);
    r.unchanged();
  });

  it('the test marked xfail (with test edits allowed): the test xfailed, not verified', async () => {
    const xfail = `import pytest\n${ORIGINAL_TEST.replace('def test_average', '@pytest.mark.xfail(reason="known bug")\ndef test_average')}`;
    const r = await fixTest({ 'tests/test_average.py': xfail }, ['--allow-test-edits']);
    expect(r.stdout).toContain(
      'not verified: the test xfailed (marked as an expected failure: known bug)',
    );
    expect(r.code).toBe(1);
    r.unchanged();
  });

  it('the fix passes but the test is marked xfail: an xpass is not verified', async () => {
    const xfail = `import pytest\n${ORIGINAL_TEST.replace('def test_average', '@pytest.mark.xfail(reason="flaky")\ndef test_average')}`;
    const r = await fixTest({ 'average.py': averageWith(), 'tests/test_average.py': xfail }, [
      '--allow-test-edits',
    ]);
    expect(r.stdout).toMatch(/not verified: the test is marked xfail \(it xpassed: flaky\)/);
    expect(r.code).toBe(1);
  });

  it('os._exit(0) in the code under test: pytest never finished, not verified', async () => {
    const r = await fixTest({
      'average.py': averageWith({ top: ['import os', ''], body: ['os._exit(0)'] }),
    });
    expect(r.stdout).toContain('not verified: pytest exited with code 0 before its session ended');
    expect(r.code).toBe(1);
    r.unchanged();
  });

  it('pytest.exit(returncode=0) in the code under test: stopped early, not verified', async () => {
    const r = await fixTest({
      'average.py': averageWith({
        top: ['import pytest', ''],
        body: ['pytest.exit("done", returncode=0)'],
      }),
    });
    expect(r.stdout).toContain(
      'not verified: the test run was stopped early by pytest.exit(returncode=0): done',
    );
    expect(r.code).toBe(1);
    r.unchanged();
  });

  it('a module-level pytest.skip in the code under test: skipped while collecting, not verified', async () => {
    const r = await fixTest({
      'average.py': averageWith({
        top: ['import pytest', 'pytest.skip("module off", allow_module_level=True)', ''],
      }),
    });
    expect(r.stdout).toContain(
      'not verified: tests/test_average.py was skipped while collecting: module off',
    );
    expect(r.code).toBe(1);
    r.unchanged();
  });
});

describe('tracefix fix: what "verified" means for a script', () => {
  async function fixScript(text: string) {
    const user = h.project();
    const before = snapshot(user);
    const r = await h.fix(
      [answer('Divide by len(xs).', { 'average.py': text })],
      ['average.py', '--rounds', '1', '--apply'],
      user,
    );
    return { ...r, user, unchanged: () => expect(snapshot(user)).toEqual(before) };
  }

  it('the honest fix runs to the end: verified', async () => {
    const r = await fixScript(averageWith());
    expect(r.stdout).toContain('verified: `python average.py` exits 0');
    expect(r.code).toBe(0);
  });

  it('sys.exit(0) inside the function: stopped early, not verified', async () => {
    const r = await fixScript(averageWith({ top: ['import sys', ''], body: ['sys.exit(0)'] }));
    expect(r.stdout).toMatch(
      /not verified: the program stopped early with sys\.exit\(0\) at .*average\.py:\d+ \(called from a function\), before its end/,
    );
    expect(r.code).toBe(1);
    r.unchanged();
  });

  it('sys.exit(0) before the check at module level: stopped early, not verified', async () => {
    const r = await fixScript(
      averageWith({
        top: ['import sys', ''],
        main: [
          '    sys.exit(0)',
          '    result = average([2, 4, 6])',
          '    assert result == 4, f"expected 4, got {result}"',
        ],
      }).replace('return total / len(xs)', 'return total / (len(xs) + 1)'),
    );
    expect(r.stdout).toMatch(
      /not verified: the program stopped early with sys\.exit\(0\) at .*average\.py:\d+, before its end/,
    );
    expect(r.code).toBe(1);
    r.unchanged();
  });

  it('a try/except around the failing assert: the line still raises, not verified', async () => {
    const wrapped = ORIGINAL.replace(
      '    assert result == 4, f"expected 4, got {result}"\n',
      '    try:\n        assert result == 4, f"expected 4, got {result}"\n    except AssertionError:\n        pass\n',
    );
    const r = await fixScript(wrapped);
    expect(r.stdout).toContain(
      'not verified: the line that failed (average.py:12) still raises AssertionError, which the program catches',
    );
    expect(r.code).toBe(1);
    r.unchanged();
  });

  it('deleting the failing assert is not a fix', async () => {
    const r = await fixScript(
      ORIGINAL.replace('    assert result == 4, f"expected 4, got {result}"\n', ''),
    );
    expect(r.stdout).toContain(
      'not verified: the patch deletes the line that failed (average.py:11)',
    );
    expect(r.code).toBe(1);
  });

  it('sys.exit(main()) as the last statement is the normal end: verified', async () => {
    const text = averageWith({
      top: ['import sys', ''],
      main: [
        '    def main():',
        '        assert average([2, 4, 6]) == 4',
        '        return 0',
        '    sys.exit(main())',
      ],
    });
    // The original run fails at the same place once the helper exists; here the patch is the whole file.
    const r = await fixScript(text);
    expect(r.stdout).toContain('verified: `python average.py` exits 0');
    expect(r.code).toBe(0);
  });

  it('a function that swallows the AssertionError of its assert: the assertion still fails, not verified', async () => {
    const user = h.project();
    const check = [
      'from average import average',
      '',
      '',
      'def check():',
      '    assert average([2, 4, 6]) == 4, "expected 4"',
      '',
      '',
      'check()',
      'print("checked")',
      '',
    ].join('\n');
    writeFileSync(path.join(user, 'check.py'), check);
    const before = snapshot(user);
    const swallowed = check.replace(
      '    assert average([2, 4, 6]) == 4, "expected 4"\n',
      '    try:\n        assert average([2, 4, 6]) == 4, "expected 4"\n    except AssertionError:\n        pass\n',
    );
    const r = await h.fix(
      [answer('Let check() go on.', { 'check.py': swallowed })],
      ['check.py', '--rounds', '1', '--apply'],
      user,
    );
    expect(r.stdout).toContain(
      'not verified: the assertion that failed (check.py:6) still fails (AssertionError), and the program catches it',
    );
    expect(r.code).toBe(1);
    expect(snapshot(user)).toEqual(before);
  });
});
