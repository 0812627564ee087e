import { describe, expect, it } from 'vitest';
import { failingLineAfterPatch, mapLine } from '../../../src/core/fix/failingLine';
import { makePatch } from '../../../src/core/fix/patchAdapter';
import { computeHunks } from '../../../src/core/patch/hunks';

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
    expect(failingLineAfterPatch({ file: 'a.py', line: 5, exit: false }, patch)).toEqual({
      kind: 'line',
      file: 'a.py',
      line: 6,
      originalLine: 5,
      mayNotRun: false,
    });
    expect(failingLineAfterPatch({ file: 'b.py', line: 5, exit: true }, patch)).toEqual({
      kind: 'line',
      file: 'b.py',
      line: 5,
      originalLine: 5,
      mayNotRun: true,
    });
    expect(failingLineAfterPatch(undefined, patch)).toBeUndefined();
  });
});
