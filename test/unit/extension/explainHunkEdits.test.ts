// The editor applies a fix as character replacements built from the core's hunks; the result must be
// exactly the core's applyHunks result (line ends, final newline), and the replacements minimal.
import { describe, expect, it } from 'vitest';
import { applyHunks, computeHunks } from '../../../src/core/patch/hunks';
import { applyReplacements, hunkReplacements } from '../../../src/extension/explain/hunkEdits';

function check(oldText: string, newText: string): void {
  const hunks = computeHunks(oldText, newText);
  const reps = hunkReplacements(oldText, hunks);
  expect(applyReplacements(oldText, reps)).toBe(applyHunks(oldText, hunks));
}

describe('hunkReplacements', () => {
  it('changes one line and touches nothing else', () => {
    const old = 'def spread(values):\n    low = 0\n    high = values[0]\n';
    const reps = hunkReplacements(
      old,
      computeHunks(old, old.replace('low = 0', 'low = values[0]')),
    );
    expect(reps).toEqual([
      {
        start: old.indexOf('    low'),
        end: old.indexOf('    high'),
        text: '    low = values[0]\n',
      },
    ]);
    expect(applyReplacements(old, reps)).toBe(old.replace('low = 0', 'low = values[0]'));
  });

  it('keeps CRLF line ends', () => {
    const old = 'a = 1\r\nb = 2\r\nc = 3\r\n';
    const reps = hunkReplacements(old, computeHunks(old, 'a = 1\nb = 20\nc = 3\n'));
    expect(applyReplacements(old, reps)).toBe('a = 1\r\nb = 20\r\nc = 3\r\n');
  });

  it.each([
    ['change the last line without a final newline', 'a\nb\nc', 'a\nb\nC'],
    ['delete the last line without a final newline', 'a\nb\nc', 'a\nb'],
    ['delete every line', 'a\nb', ''],
    ['append without a final newline', 'a\nb', 'a\nb\nc\nd'],
    ['append with a final newline', 'a\nb\n', 'a\nb\nc\n'],
    ['insert at the top', 'b\nc\n', 'a\nb\nc\n'],
    ['several hunks', 'a\nb\nc\nd\ne\nf\ng\n', 'a\nB\nc\nd\ne\nF\nG\nh\n'],
    ['fill an empty file', '', 'x = 1\n'],
    ['delete in the middle', 'a\nb\nc\nd\n', 'a\nd\n'],
  ])('%s: same text as applyHunks', (_name, oldText, newText) => check(oldText, newText));

  it('refuses hunks that do not fit the text', () => {
    const hunks = computeHunks('a\nb\n', 'a\nB\n');
    expect(() => hunkReplacements('a\nX\n', hunks)).toThrow(/line 2/);
  });
});
