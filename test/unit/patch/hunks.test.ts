import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors';
import { applyHunks, computeHunks, diffFile, splitLines } from '../../../src/core/patch/hunks';

const base = [
  'def median(xs):',
  '    xs = sorted(xs)',
  '    mid = len(xs) // 2',
  '    return xs[mid]',
  '',
  '',
  'def mean(xs):',
  '    return sum(xs) / len(xs)',
  '',
].join('\n');

describe('computeHunks', () => {
  it('one changed line is one hunk touching one line', () => {
    const next = base.replace('return xs[mid]', 'return xs[mid - 1]');
    const hunks = computeHunks(base, next);
    expect(hunks).toEqual([
      {
        startLine: 3,
        endLine: 4,
        oldLines: ['    return xs[mid]'],
        newLines: ['    return xs[mid - 1]'],
        summary: 'Change line 4',
      },
    ]);
  });

  it('separate edits are separate hunks; insertions and deletions are ranges of zero width / no new lines', () => {
    const next = base
      .replace(
        '    mid = len(xs) // 2\n',
        '    mid = len(xs) // 2\n    if len(xs) % 2 == 0:\n        return (xs[mid - 1] + xs[mid]) / 2\n',
      )
      .replace('    return sum(xs) / len(xs)\n', '');
    const hunks = computeHunks(base, next);
    expect(hunks.map((h) => [h.startLine, h.endLine, h.newLines.length, h.summary])).toEqual([
      [3, 3, 2, 'Insert 2 lines after line 3'],
      [7, 8, 0, 'Delete line 8'],
    ]);
  });

  it('line ends do not count as changes: a CRLF file against an LF proposal', () => {
    const crlf = base.replace(/\n/g, '\r\n');
    const next = base.replace('return xs[mid]', 'return xs[mid - 1]');
    const hunks = computeHunks(crlf, next);
    expect(hunks).toHaveLength(1);
    expect(hunks[0]?.startLine).toBe(3);
  });

  it('identical texts give no hunks and no diff', () => {
    expect(diffFile('x.py', base, base)).toEqual({
      path: 'x.py',
      hunks: [],
      unifiedDiff: '',
      added: 0,
      removed: 0,
    });
  });
});

describe('diffFile', () => {
  it('makes an a/ b/ unified diff with counts', () => {
    const next = base.replace('return xs[mid]', 'return xs[mid - 1]');
    const d = diffFile('pkg\\stats.py', base.replace(/\n/g, '\r\n'), next);
    expect(d.added).toBe(1);
    expect(d.removed).toBe(1);
    expect(d.unifiedDiff).toBe(
      [
        '--- a/pkg/stats.py',
        '+++ b/pkg/stats.py',
        '@@ -1,7 +1,7 @@',
        ' def median(xs):',
        '     xs = sorted(xs)',
        '     mid = len(xs) // 2',
        '-    return xs[mid]',
        '+    return xs[mid - 1]',
        ' ',
        ' ',
        ' def mean(xs):',
        '',
      ].join('\n'),
    );
  });
});

describe('applyHunks', () => {
  const next = base
    .replace('def median(xs):\n', '# fixed\ndef median(xs):\n')
    .replace('return xs[mid]', 'return xs[mid - 1]')
    .replace('    return sum(xs) / len(xs)\n', '    return sum(xs) / max(1, len(xs))\n');

  it('applying all hunks yields the proposed text', () => {
    expect(applyHunks(base, computeHunks(base, next))).toBe(next);
  });

  it('keeps CRLF line ends and a missing final newline', () => {
    const crlf = base.replace(/\n/g, '\r\n').replace(/\r\n$/, '');
    const out = applyHunks(crlf, computeHunks(crlf, next));
    expect(out).toBe(next.replace(/\n/g, '\r\n').replace(/\r\n$/, ''));
    expect(splitLines(out)).toMatchObject({ eol: '\r\n', finalNewline: false });
  });

  it('applies a subset of hunks in any order', () => {
    const hunks = computeHunks(base, next);
    expect(hunks).toHaveLength(3);
    const onlyLast = applyHunks(base, [hunks[2]!]);
    expect(onlyLast).toBe(
      base.replace('    return sum(xs) / len(xs)\n', '    return sum(xs) / max(1, len(xs))\n'),
    );
    expect(applyHunks(base, [hunks[2]!, hunks[0]!, hunks[1]!])).toBe(next);
  });

  it('refuses hunks that no longer fit the text', () => {
    const hunks = computeHunks(base, next);
    const edited = base.replace('return xs[mid]', 'return xs[0]');
    let err: unknown;
    try {
      applyHunks(edited, hunks);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe('patch-conflict');
  });

  it('handles insertion at the end and into an empty file', () => {
    expect(applyHunks('a\n', computeHunks('a\n', 'a\nb\n'))).toBe('a\nb\n');
    expect(applyHunks('', computeHunks('', 'x = 1\n'))).toBe('x = 1');
  });
});
