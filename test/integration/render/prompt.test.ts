// The repair prompt on a real project: CPython's `fractions` module (757 lines) with a bug injected in
// `limit_denominator`, and a failing parametrized pytest method. Built at test time, recorded with the
// real recorder. The budget is a hard cap; the failing function's code and values are shown in full.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixPrompt } from '../../../src/core/fix/explainAndFix';
import { promptFiles, taskOf, traceErrorText } from '../../../src/core/fix/traceContext';
import { renderNext } from '../../../src/core/render/next';
import { countTokens } from '../../../src/core/render/tokens';
import type { Trace } from '../../../src/core/trace/model';
import { recordTrace } from '../../../src/core/trace/record';

const python = process.env.TRACEFIX_TEST_PYTHON ?? '/usr/bin/python3';
const NODE = 'tests/test_frac.py::TestLimit::test_pi[10-expected0]';
const CORRECT = 'if abs(bound2 - self) <= abs(bound1-self):';
const BUGGY = 'if abs(bound2 - self) >= abs(bound1-self):';

const TEST = `import pytest
from myfractions import Fraction


def test_pi():
    # Same name as the failing method below: the task must not quote this one.
    assert Fraction(355, 113) > 3


class TestLimit:
    def test_limit(self):
        assert Fraction(1, 2) + Fraction(1, 2) == 1

    @pytest.mark.parametrize("den,expected", [(10, Fraction(22, 7)), (100, Fraction(311, 99))])
    def test_pi(self, den, expected):
        x = Fraction('3.141592653589793')
        assert x.limit_denominator(den) == expected
`;

let dir = '';
let source = '';
let trace: Trace;

/**
 * CPython's `fractions.py` with the 3.11 `limit_denominator` (3.12 rewrote it without `bound1` /
 * `bound2`): the interpreter under test's own when it has it, else Debian's python3's. The 3.11 module
 * runs unchanged on 3.12 and 3.13, so every interpreter records the same program.
 */
function fractionsSource(): string {
  for (const py of [python, '/usr/bin/python3']) {
    try {
      const file = execFileSync(py, ['-c', 'import fractions; print(fractions.__file__)'], {
        encoding: 'utf8',
      }).trim();
      const text = readFileSync(file, 'utf8');
      if (text.includes(CORRECT)) return text;
    } catch {
      // that interpreter is not there: try the next
    }
  }
  throw new Error(`no fractions.py with "${CORRECT}" (CPython 3.11's) on this machine`);
}

/** The lines of `limit_denominator` in the module, from its def to its last line. */
function limitDenominator(): string {
  const lines = source.split('\n');
  const start = lines.findIndex((l) => l.includes('def limit_denominator('));
  const end = lines.findIndex((l, i) => i > start && l.trim() === 'return bound1');
  return lines.slice(start, end + 1).join('\n');
}

function section(text: string, title: string): string {
  const start = text.indexOf(`## ${title}`);
  const next = text.indexOf('\n## ', start + 3);
  return text.slice(start, next < 0 ? undefined : next);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tfx-fractions-'));
  const original = fractionsSource();
  expect(original).toContain(CORRECT);
  source = original.replace(CORRECT, BUGGY);
  writeFileSync(path.join(dir, 'myfractions.py'), source);
  mkdirSync(path.join(dir, 'tests'));
  writeFileSync(path.join(dir, 'tests', 'test_frac.py'), TEST);
  writeFileSync(
    path.join(dir, 'check.py'),
    "from myfractions import Fraction\n\napprox = Fraction('3.141592653589793').limit_denominator(10)\nassert approx == Fraction(22, 7), approx\n",
  );
  trace = await recordTrace({ target: { kind: 'pytest', nodeId: NODE }, cwd: dir, python });
  expect(trace.outcome.status).toBe('exception');
  expect(trace.sources.map((s) => s.path).sort()).toEqual(['myfractions.py', 'tests/test_frac.py']);
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('NExT text of a real module', () => {
  it.each([300, 600, 1000, 1500, 6000])(
    'stays within a %i-token budget, failure first',
    (budget) => {
      const r = renderNext(trace, { budget });
      expect(r.tokens).toBeLessThanOrEqual(budget);
      expect(r.tokens).toBe(countTokens(r.text));
      // The failing assertion is always there.
      expect(r.text).toContain('assert x.limit_denominator(den) == expected  # (');
      expect(r.text).toContain('__exception__ = AssertionError(');
      // Never whole files: functions that did not run are markers.
      expect(r.text).not.toContain('def _floordiv(a, b):');
      expect(r.text).toMatch(/^# \.\.\. lines \d+-\d+ not shown/m);
      if (budget >= 1000) {
        // The failing function, its values whole (never `Fraction(...`).
        expect(r.text).toMatch(
          /^ {8}bound1 = Fraction\(p0\+k\*p1, q0\+k\*q1\) {2}# \(\d+\) bound1=Fraction\(25, 8\);$/m,
        );
        // The function that made the wrong value has room before the steps that built `self`.
        expect(r.text).toMatch(
          /^ {8}bound2 = Fraction\(p1, q1\) {2}# \(\d+\) bound2=Fraction\(22, 7\);$/m,
        );
        expect(r.text).toMatch(/^ {12}return bound1 {2}# \(\d+\) __return__=Fraction\(25, 8\);$/m);
        expect(r.text).toContain(`        ${BUGGY}\n`);
      }
      if (r.stepsShown < r.totalSteps)
        expect(r.text).toMatch(
          new RegExp(
            `^# Not shown within the ${budget}-token budget: ${r.totalSteps - r.stepsShown} of ${r.totalSteps} steps`,
            'm',
          ),
        );
    },
  );
});

describe('the prompt', () => {
  it("holds the failing function's code, the right test, pytest's report and the trace, within the budget", async () => {
    const { messages } = await buildFixPrompt({
      recordOptions: { target: { kind: 'pytest', nodeId: NODE }, cwd: dir, python },
      trace,
      budget: 6000,
    });
    // The budget caps the whole prompt (system and user message), counted as the prompt is fitted.
    expect(messages.reduce((n, m) => n + countTokens(m.content) + 4, 0)).toBeLessThanOrEqual(6000);
    const user = messages.find((m) => m.role === 'user')!.content;
    const task = section(user, 'Task');
    expect(task).toContain(
      'Failing test: TestLimit::test_pi[10-expected0] (tests/test_frac.py)\n    assert x.limit_denominator(den) == expected',
    );
    expect(task).not.toContain('355, 113');
    expect(task).toContain(
      'Function under test: Fraction.limit_denominator(self, max_denominator=1000000) (myfractions.py)',
    );
    expect(task).toContain('Closest Fraction to self with denominator at most max_denominator.');
    const failure = section(user, 'Failure');
    expect(failure).toContain('E       assert Fraction(25, 8) == Fraction(22, 7)');
    expect(failure).toContain('tests/test_frac.py:17: AssertionError');
    expect(user).not.toContain('may not terminate');
    const code = section(user, 'Code');
    expect(code).toContain(limitDenominator());
    expect(code).toContain('### myfractions.py');
    expect(code).not.toContain('def _floordiv(a, b):');
    const next = section(user, 'Execution trace of the failing run (NExT format)');
    expect(next).toContain('bound1=Fraction(25, 8);');
    expect(next).toContain(`        ${BUGGY}\n`);
  });

  it('keeps the failing function whole in a small code budget', () => {
    const files = promptFiles(trace, { budget: 1500 });
    const shown = files.map((f) => f.shown ?? f.text);
    expect(shown.reduce((n, s) => n + countTokens(s), 0)).toBeLessThanOrEqual(1500);
    const frac = files.find((f) => f.path === 'myfractions.py')!;
    expect(frac.text).toBe(source);
    expect(frac.shown).toContain(limitDenominator());
    expect(frac.shown).toMatch(/^# \.\.\. lines 1-\d+ not shown/);
  });

  it("for a script: the program's traceback and the function its failing line called", async () => {
    const script = await recordTrace({
      target: { kind: 'script', path: 'check.py' },
      cwd: dir,
      python,
    });
    const error = traceErrorText(script);
    expect(error).toMatch(
      /^Traceback \(most recent call last\):\n {2}File ".*check\.py", line 4, in <module>\n/,
    );
    expect(error).toMatch(/AssertionError: 25\/8$/);
    const task = taskOf(script, promptFiles(script))!;
    expect(task.split('\n')[0]).toBe(
      'Function under test: Fraction.limit_denominator(self, max_denominator=1000000) (myfractions.py)',
    );
  }, 60_000);
});
