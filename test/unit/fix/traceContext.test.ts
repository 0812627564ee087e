import { describe, expect, it } from 'vitest';
import {
  functionUnderTest,
  promptFiles,
  taskOf,
  traceErrorText,
} from '../../../src/core/fix/traceContext';
import { traceFailure, tracePassed } from '../../../src/core/verify/traceOutcome';
import { countTokens } from '../../../src/core/render/tokens';
import type { Trace, TraceOutcome } from '../../../src/core/trace/model';
import { TraceBuilder } from '../render/traceBuilder';

const AVERAGE =
  'def average(xs):\n    """Return the arithmetic mean of xs."""\n    return sum(xs) / (len(xs) + 1)\n\n\nresult = average([2, 4])\nassert result == 3, result\n';
const HELPER = 'def unused():\n    pass\n';

function trace(
  outcome: Partial<TraceOutcome>,
  output = '',
  kind: Trace['program']['kind'] = 'script',
): Trace {
  const b = new TraceBuilder().source('helper.py', HELPER).source('average.py', AVERAGE);
  b.call('average.py', '<module>', 1)
    .call('average.py', 'average', 1, { xs: '[2, 4]' })
    .ret(3, '2.0')
    .line(6, { result: '2.0' });
  b.raise(7, { type: 'AssertionError', message: '2.0', file: 'average.py', line: 7 });
  const t = b.build({ status: 'completed', exitCode: 0, ...outcome });
  t.program.kind = kind;
  t.program.target = kind === 'pytest' ? 'tests/test_avg.py::test_avg' : 'average.py';
  if (output) t.output = [{ stream: 'stderr', text: output, afterEvent: t.events.length }];
  return t;
}

const TB =
  'Traceback (most recent call last):\n  File "/p/average.py", line 7, in <module>\n    assert result == 3, result\nAssertionError: 2.0\n';

describe('trace context for the prompt', () => {
  it('knows a passing run from a failing one', () => {
    expect(tracePassed(trace({}))).toBe(true);
    expect(tracePassed(trace({ exitCode: 1, status: 'exception' }))).toBe(false);
    expect(tracePassed(trace({ status: 'timeout', exitCode: null }))).toBe(false);
    expect(tracePassed(trace({ status: 'exited', exitCode: 0 }))).toBe(false);
    expect(tracePassed(trace({ testPassed: false }, '', 'pytest'))).toBe(false);
  });

  it('summarises the failure from the output, else from the recorded exception', () => {
    expect(traceFailure(trace({ status: 'exception', exitCode: 1 }, TB))).toBe(
      'AssertionError: 2.0',
    );
    const noOutput = trace({
      status: 'exception',
      exitCode: 1,
      exception: {
        type: 'AssertionError',
        message: '2.0',
        repr: "AssertionError('2.0')",
        file: 'average.py',
        line: 7,
      },
    });
    expect(traceFailure(noOutput)).toBe('AssertionError: 2.0 (at average.py:7)');
    expect(traceFailure(trace({}))).toBe('');
  });

  it('says "may not terminate" only for a run that outlived the timeout', () => {
    expect(traceFailure(trace({ status: 'timeout', exitCode: null, partial: true }))).toBe(
      'timed out after 20 s (the program may not terminate)',
    );
    // A long run that ended (head and tail kept) failed for its own reason.
    const long = trace({ status: 'exception', exitCode: 1 }, TB);
    long.elided = { at: 2, events: 400_000, steps: 400_000, lines: [] };
    expect(traceFailure(long)).toBe('AssertionError: 2.0');
    for (const status of ['exception', 'exited', 'crashed', 'completed'] as const) {
      expect(traceFailure(trace({ status, exitCode: 3 }, TB))).not.toMatch(/terminate/);
    }
  });

  it('names os._exit, a crash and a test that does not exist or does not import', () => {
    expect(traceFailure(trace({ status: 'exited', exitCode: 3 }))).toBe(
      'the program ended at once with os._exit(3) (at average.py:7)',
    );
    expect(traceFailure(trace({ status: 'crashed', exitCode: null, signal: 'SIGSEGV' }))).toBe(
      'the program was killed by SIGSEGV (at average.py:7)',
    );
    const missing = trace(
      {
        status: 'completed',
        exitCode: 4,
        test: { nodeId: 'tests/test_avg.py::test_nope', collected: [], phases: {} },
      },
      '',
      'pytest',
    );
    expect(traceFailure(missing)).toBe('no test matches tests/test_avg.py::test_nope');
    const broken = trace(
      {
        status: 'completed',
        exitCode: 2,
        test: {
          nodeId: 'tests/test_avg.py::test_avg',
          collected: [],
          phases: {},
          collectError: 'ImportError while importing test module\nNo module named x',
        },
      },
      '',
      'pytest',
    );
    expect(traceFailure(broken)).toBe(
      'the test could not be collected: ImportError while importing test module',
    );
    expect(traceErrorText(broken)).toContain('No module named x');
  });

  it("quotes pytest's own report of the test, not the end of the output", () => {
    const report =
      'self = <test_avg.TestAvg object>\n\n    def test_avg():\n>       assert average([2, 4]) == 3\nE       assert 2.0 == 3\n\ntests/test_avg.py:4: AssertionError';
    const t = trace(
      {
        status: 'exception',
        exitCode: 1,
        testPassed: false,
        test: {
          nodeId: 'tests/test_avg.py::test_avg',
          collected: ['tests/test_avg.py::test_avg'],
          phases: { setup: 'passed', call: 'failed', teardown: 'passed' },
          failureText: report.replace('object>', 'object at 0x7f2a7fc2cc10>'),
        },
      },
      `${'x\n'.repeat(50)}=== 1 failed ===\n`,
      'pytest',
    );
    const text = traceErrorText(t);
    expect(text).toContain(report);
    expect(text).not.toContain('=== 1 failed ===');
    expect(text).toBe(report);
  });

  it("quotes a script's last traceback from stderr, whatever it printed before, bounded", () => {
    const t = trace({ status: 'exception', exitCode: 1 }, `${'noise\n'.repeat(100)}${TB}`);
    t.output.unshift({ stream: 'stdout', text: 'progress 1\nprogress 2\n', afterEvent: 0 });
    expect(traceErrorText(t)).toBe(TB.trimEnd());
    // A RecursionError's traceback is long: its start and its end are kept, the middle counted.
    const frames = Array.from(
      { length: 400 },
      (_, i) => `  File "/p/r.py", line ${i}, in depth\n    return depth(n + 1)\n`,
    ).join('');
    const deep = trace(
      { status: 'exception', exitCode: 1 },
      `Traceback (most recent call last):\n${frames}RecursionError: maximum recursion depth exceeded\n`,
    );
    const text = traceErrorText(deep);
    expect(text.length).toBeLessThan(4200);
    expect(text).toMatch(
      /^Traceback \(most recent call last\):\n {2}File "\/p\/r.py", line 0, in depth\n/,
    );
    expect(text).toMatch(/\[\.\.\. \d+ characters left out \.\.\.\]/);
    expect(text.endsWith('RecursionError: maximum recursion depth exceeded')).toBe(true);
  });

  it('shows the files whose code ran, whole when they fit', () => {
    const files = promptFiles(trace({ exitCode: 1 }));
    expect(files).toEqual([{ path: 'average.py', text: AVERAGE }]);
  });

  it('tells a recording the time limit stopped as such, and names no function that merely ran at the deadline', () => {
    const b = new TraceBuilder().source('average.py', AVERAGE);
    b.call('average.py', '<module>', 1).call('average.py', 'average', 1, { xs: '[2, 4]' });
    const stopped = { afterMs: 60_000, untracedMs: 10_000, file: 'average.py', line: 3 };
    const ended = b.build({
      status: 'exception',
      exitCode: 1,
      partial: true,
      recordingStopped: { ...stopped, function: 'average', afterEvent: 2 },
    });
    expect(functionUnderTest(ended)).toBeUndefined();
    const hung = b.build({
      status: 'timeout',
      exitCode: null,
      partial: true,
      recordingStopped: { ...stopped, function: 'average', afterEvent: 2 },
    });
    expect(traceFailure(hung)).toBe(
      'Recording stopped after 60 s (the time limit) at average.py:3 in average; the program went on untraced and had not ended 10 s later, when Tracefix stopped it.',
    );
    expect(traceFailure(hung)).not.toMatch(/may not terminate/);
  });

  it('states the task of a script from the function the failure points at', () => {
    const t = trace({ status: 'exception', exitCode: 1 }, TB);
    expect(functionUnderTest(t)?.function).toBe('average');
    const task = taskOf(t, promptFiles(t));
    expect(task).toContain('Function under test: average(xs) (average.py)');
    expect(task).toContain('Return the arithmetic mean of xs.');
  });
});

// A module of many functions, of which the failing test's call runs one: `## Code` holds that one
// (and the test) whole within the budget, the rest collapsed to markers.
describe('code of a large module', () => {
  const FNS = 150;
  const lines: string[] = ['import math', ''];
  for (let k = 0; k < FNS; k++) {
    lines.push(
      '',
      `def f${k}(x):`,
      `    """Step ${k} of the pipeline."""`,
      `    y = x * ${k}`,
      `    return math.floor(y / ${k + 1})`,
      '',
    );
  }
  const BIG = lines.join('\n');
  const TEST =
    'from big import f3, f12, f77\n\n\nclass TestBig:\n    def test_f(self):\n        f3(3) + f12(3)\n        assert f77(3) == 4\n';
  const defLine = (k: number) => lines.indexOf(`def f${k}(x):`) + 1;

  function bigTrace(): Trace {
    const b = new TraceBuilder().source('tests/test_big.py', TEST).source('big.py', BIG);
    b.call('tests/test_big.py', 'test_f', 5, { self: 'TestBig#1()' });
    for (const k of [3, 12, 77]) {
      const l = defLine(k);
      b.call('big.py', `f${k}`, l, { x: '3' })
        .line(l + 2, { y: String(3 * k) })
        .ret(l + 3, String(Math.floor((3 * k) / (k + 1))));
      if (k === 12) b.line(6);
    }
    b.raise(7, {
      type: 'AssertionError',
      message: 'assert 2 == 4',
      file: 'tests/test_big.py',
      line: 7,
    });
    const t = b.build({
      status: 'exception',
      exitCode: 1,
      exception: {
        type: 'AssertionError',
        message: 'assert 2 == 4',
        repr: "AssertionError('assert 2 == 4')",
        file: 'tests/test_big.py',
        line: 7,
      },
    });
    t.program.kind = 'pytest';
    t.program.target = 'tests/test_big.py::TestBig::test_f';
    return t;
  }

  it('keeps the failing function whole and the budget, collapsing the rest', () => {
    expect(countTokens(BIG)).toBeGreaterThan(2000);
    const files = promptFiles(bigTrace(), { budget: 600 });
    const big = files.find((f) => f.path === 'big.py')!;
    expect(big.text).toBe(BIG);
    const shown = big.shown!;

    const f77 = lines.slice(defLine(77) - 1, defLine(77) + 3).join('\n');
    expect(shown).toContain(f77);
    expect(shown).toContain('import math');
    expect(shown).toMatch(/# \.\.\. lines \d+-\d+ not shown/);
    expect(files.find((f) => f.path === 'tests/test_big.py')?.shown ?? TEST).toContain(
      'assert f77(3) == 4',
    );
    const total = files.reduce((n, f) => n + countTokens(f.shown ?? f.text), 0);
    expect(total).toBeLessThanOrEqual(600);
  });

  it('names the test and the function under test by the node id and the trace', () => {
    const t = bigTrace();
    const task = taskOf(t, promptFiles(t, { budget: 600 }))!;
    expect(task.split('\n')[0]).toBe('Function under test: f77(x) (big.py)');
    expect(task).toContain('Step 77 of the pipeline.');
    expect(task).toContain(
      'Failing test: TestBig::test_f (tests/test_big.py)\n    assert f77(3) == 4',
    );
  });
});
