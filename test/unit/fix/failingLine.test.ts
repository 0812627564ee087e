import { describe, expect, it } from 'vitest';
import { failingLineAfterPatch, mapLine, originalFailure } from '../../../src/core/fix/failingLine';
import { makePatch } from '../../../src/core/fix/patchAdapter';
import { computeHunks } from '../../../src/core/patch/hunks';
import type { Trace, TraceEvent } from '../../../src/core/trace/model';

const SCRIPT = [
  'def f(x):',
  '    return x + 1',
  '',
  'r = f(1)',
  'assert r == 3, r',
  'print("ok")',
  '',
].join('\n');

describe('mapLine', () => {
  it('shifts a line below inserted or deleted lines and follows a re-indented line', () => {
    expect(
      mapLine(computeHunks(SCRIPT, SCRIPT.replace('def f(x):', 'import sys\n\ndef f(x):')), 5),
    ).toBe(7);
    expect(
      mapLine(computeHunks(SCRIPT, SCRIPT.replace('    return x + 1', '    return x + 2')), 5),
    ).toBe(5);
    const wrapped = SCRIPT.replace(
      'assert r == 3, r\n',
      'try:\n    assert r == 3, r\nexcept AssertionError:\n    pass\n',
    );
    expect(mapLine(computeHunks(SCRIPT, wrapped), 5)).toBe(6);
  });

  it('a changed line maps to its replacement; a removed one is deleted', () => {
    expect(
      mapLine(computeHunks(SCRIPT, SCRIPT.replace('assert r == 3, r', 'assert r == 2, r')), 5),
    ).toBe(5);
    expect(mapLine(computeHunks(SCRIPT, SCRIPT.replace('assert r == 3, r\n', '')), 5)).toBe(
      'deleted',
    );
  });
});

describe('failingLineAfterPatch', () => {
  it('maps through the patch of the failing file only; an exit failure need not run', () => {
    const patch = makePatch(
      [{ path: 'a.py', text: SCRIPT }],
      [{ path: 'a.py', newText: `import os\n${SCRIPT}` }],
    );
    expect(failingLineAfterPatch({ file: 'a.py', line: 5, exit: false, path: [] }, patch)).toEqual({
      kind: 'line',
      file: 'a.py',
      line: 6,
      originalLine: 5,
      mayNotRun: false,
    });
    expect(failingLineAfterPatch({ file: 'b.py', line: 5, exit: true, path: [] }, patch)).toEqual({
      kind: 'line',
      file: 'b.py',
      line: 5,
      originalLine: 5,
      mayNotRun: true,
    });
    expect(failingLineAfterPatch(undefined, patch)).toBeUndefined();
  });

  it('maps the lines the failure came through; a changed assert line is flagged with what it was', () => {
    const src = [
      'def check(v):',
      '    assert v == 3, v',
      '',
      'def main():',
      '    check(2)',
      '',
      'main()',
      '',
    ].join('\n');
    const swallowed = src.replace(
      '    assert v == 3, v\n',
      '    try:\n        assert v == 3, v\n    except AssertionError:\n        pass\n',
    );
    const failure = { file: 's.py', line: 7, exit: false, path: [2, 5] };
    const kept = failingLineAfterPatch(
      failure,
      makePatch([{ path: 's.py', text: src }], [{ path: 's.py', newText: swallowed }]),
    );
    expect(kept).toEqual({
      kind: 'line',
      file: 's.py',
      line: 10,
      originalLine: 7,
      mayNotRun: false,
      checks: [
        { file: 's.py', line: 3, originalLine: 2, changed: false, wasAssert: true },
        { file: 's.py', line: 8, originalLine: 5, changed: false, wasAssert: false },
      ],
    });
    const weakened = failingLineAfterPatch(
      failure,
      makePatch(
        [{ path: 's.py', text: src }],
        [{ path: 's.py', newText: src.replace('assert v == 3', 'assert v == 2') }],
      ),
    );
    expect(weakened?.kind === 'line' && weakened.checks?.[0]).toEqual({
      file: 's.py',
      line: 2,
      originalLine: 2,
      changed: true,
      wasAssert: true,
    });
  });
});

describe('originalFailure', () => {
  const ev = (kind: TraceEvent['kind'], file: string, line: number, depth: number, type = '') =>
    ({
      kind,
      file,
      line,
      depth,
      ...(type ? { exception: { type, message: '', repr: '' } } : {}),
    }) as TraceEvent;
  const trace = (events: TraceEvent[], kind: 'script' | 'pytest' = 'script') =>
    ({
      program: { kind },
      events,
      outcome: { status: 'exception', exitCode: 1 },
    }) as unknown as Trace;

  it('the outermost line the exception left, and the lines of that file it came through, innermost first', () => {
    const t = trace([
      ev('line', 's.py', 7, 0),
      ev('call', 's.py', 4, 1),
      ev('call', 'lib.py', 1, 2),
      ev('call', 's.py', 1, 3),
      ev('line', 's.py', 2, 3),
      ev('exception', 's.py', 2, 3, 'AssertionError'),
      ev('exception', 'lib.py', 3, 2, 'AssertionError'),
      ev('line', 's.py', 5, 1),
      ev('exception', 's.py', 5, 1, 'AssertionError'),
      ev('exception', 's.py', 7, 0, 'AssertionError'),
    ]);
    expect(originalFailure(t)).toEqual({ file: 's.py', line: 7, exit: false, path: [2, 5] });
  });

  it("a pytest test: the test function's line; an earlier exception that was caught is not on the path", () => {
    const t = trace(
      [
        ev('exception', 'tests/test_a.py', 3, 1, 'KeyError'),
        ev('return', 'tests/test_a.py', 3, 1),
        ev('line', 'tests/test_a.py', 9, 0),
        ev('exception', 'tests/test_a.py', 9, 0, 'AssertionError'),
      ],
      'pytest',
    );
    expect(originalFailure(t)).toEqual({ file: 'tests/test_a.py', line: 9, exit: false, path: [] });
  });
});
