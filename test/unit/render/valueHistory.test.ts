import { describe, expect, it } from 'vitest';
import {
  clip,
  collapseRepeats,
  fitLine,
  formatHistory,
} from '../../../src/core/render/valueHistory';

const range = (n: number) => Array.from({ length: n }, (_, i) => String(i));

describe('formatHistory', () => {
  it('elides the middle of long histories and counts them', () => {
    expect(formatHistory({ name: 'i', values: range(10) }, { head: 3, valueWidth: Infinity })).toBe(
      'i = 0 → 1 → 2 … 9 (×10)',
    );
  });

  it('shows short histories whole, without a count', () => {
    expect(
      formatHistory(
        { name: 'out', values: ['[0]', '[0, 0]', '[0, 0, 0]'] },
        { head: 3, valueWidth: Infinity },
      ),
    ).toBe('out = [0] → [0, 0] → [0, 0, 0]');
    expect(formatHistory({ name: 'x', values: range(4) }, { head: 3, valueWidth: Infinity })).toBe(
      'x = 0 → 1 → 2 → 3',
    );
    expect(formatHistory({ name: 'x', values: ['5'] }, { head: 3, valueWidth: Infinity })).toBe(
      'x = 5',
    );
  });

  it('collapses repeats but keeps the execution count', () => {
    expect(collapseRepeats(['0', '0', '1', '1', '0'])).toEqual(['0', '1', '0']);
    expect(
      formatHistory({ name: 'x', values: ['0', '0', '0'] }, { head: 3, valueWidth: Infinity }),
    ).toBe('x = 0 (×3)');
  });

  it('cuts long values when asked', () => {
    expect(
      formatHistory({ name: 's', values: ["'abcdefghijkl'"] }, { head: 3, valueWidth: 6 }),
    ).toBe("s = 'abcd…");
    expect(formatHistory({ name: 'i', values: range(10) }, { head: 0, valueWidth: 6 })).toBe(
      'i = … 9 (×10)',
    );
  });
});

describe('clip', () => {
  it('keeps text within the width, marking cuts', () => {
    expect(clip('abcdef', 6)).toBe('abcdef');
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('abcdef', 1)).toBe('…');
    expect(clip('abcdef', 0)).toBe('');
  });
});

describe('fitLine', () => {
  const i = { name: 'i', values: range(10) };
  const big = { name: 'data', values: [`[${range(40).join(', ')}]`, `[${range(41).join(', ')}]`] };

  it('uses the fullest style that fits', () => {
    expect(fitLine([i], [], 80)).toBe('i = 0 → 1 → 2 … 9 (×10)');
    expect(fitLine([i], [], 20)).toBe('i = 0 → 1 … 9 (×10)');
    expect(fitLine([i], [], 18)).toBe('i = 0 … 9 (×10)');
    expect(fitLine([{ name: 'totals', values: ['[3]', '[3, 8]', '[3, 8, 16]'] }], [], 20)).toBe(
      'totals = … [3, 8…',
    );
    expect(fitLine([i], ['✗ ValueError'], 80)).toBe('i = 0 → 1 → 2 … 9 (×10); ✗ ValueError');
  });

  it('never exceeds the width, whatever the values', () => {
    for (const width of [10, 20, 40, 60, 80]) {
      const text = fitLine([i, big], ['✗ ValueError'], width);
      expect(text.length).toBeLessThanOrEqual(width);
      expect(text.startsWith('i = ')).toBe(true);
    }
    // Both values cut to 24 characters rather than the whole text cut after the first one.
    expect(fitLine([big], [], 60)).toBe(
      'data = [0, 1, 2, 3, 4, 5, 6, 7… → [0, 1, 2, 3, 4, 5, 6, 7…',
    );
  });
});
