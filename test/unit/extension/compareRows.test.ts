import { describe, expect, it } from 'vitest';
import { compareMarks } from '../../../src/extension/compare/marks';
import { comparedRows, passingEventOf } from '../../../src/extension/timeline/compareRows';
import { compareRuns } from '../../../src/core/compare/compare';
import { TraceBuilder } from '../render/traceBuilder';

const SRC = [
  'def f(x):',
  '    if x > 0:',
  '        y = 1',
  '    else:',
  '        y = 2',
  '    return y',
  '',
].join('\n');
const run = (x: string, line: number, y: string) =>
  new TraceBuilder()
    .source('m.py', SRC)
    .call('m.py', 'f', 1, { x })
    .line(2)
    .line(line, { y })
    .ret(6, y)
    .build();
const labels = { a: 'the failing run', aShort: 'now', b: 'the run at HEAD', bShort: 'at HEAD' };

describe('the timeline compared with a passing run', () => {
  it('aligns the rows, marks where the runs part, and places the passing-only steps', () => {
    const failing = run('-1', 5, '2');
    const passing = run('1', 3, '1');
    const { rows, header } = comparedRows(failing, passing, {
      description: 'the same test at HEAD (3f2a91c), where it passes',
      labels,
    });
    expect(rows.map((r) => [r.i, r.mark ?? '', r.b ?? ''])).toEqual([
      [0, 'value', 'call x=1'],
      [1, '', ''],
      [2, 'only-a', ''],
      [-3, 'only-b', ''],
      [3, 'value', '__return__=1'],
    ]);
    expect(rows[0]?.first).toBe(true);
    expect(passingEventOf(-3)).toBe(2);
    expect(rows[3]?.text).toBe('y=1');
    expect(header).toMatchObject({
      title: 'Compared with the same test at HEAD (3f2a91c), where it passes',
      bShort: 'at HEAD',
      first: 0,
    });
    expect(header.summary).toMatch(/^First divergence: step \(1\) at m.py:1 in f#1 `def f\(x\):`/);
  });

  it('marks the editor lines with what the passing run had there', () => {
    const cmp = compareRuns(run('-1', 5, '2'), run('1', 3, '1'));
    expect(compareMarks(cmp, labels)).toEqual([
      { file: 'm.py', line: 1, text: '≠ at HEAD: x=1', first: true },
      { file: 'm.py', line: 5, text: '≠ at HEAD took its line 3 instead', first: false },
      { file: 'm.py', line: 6, text: '≠ at HEAD: __return__=1', first: false },
    ]);
  });
});
