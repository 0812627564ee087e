import { describe, expect, it } from 'vitest';
import { LineMap } from '../../../src/core/render/lineMap';

const all = (m: LineMap) =>
  Array.from({ length: m.lineCount }, (_, i) => m.toCurrent(i + 1) ?? null);
const text = (...lines: string[]) => lines.join('\n') + '\n';

describe('LineMap', () => {
  const recorded = text('a = 1', 'b = 2', 'c = 3', 'print(a)');

  it('is the identity for the recorded text', () => {
    const m = LineMap.between(recorded, recorded);
    expect(m.identity).toBe(true);
    expect(all(m)).toEqual([1, 2, 3, 4, 5]);
    expect(m.toOriginal(2)).toBe(2);
    expect(m.toOriginal(9)).toBeUndefined();
  });

  it('drops an edited line and keeps the others in place', () => {
    const m = LineMap.between(recorded, text('a = 1', 'b = 20', 'c = 3', 'print(a)'));
    expect(m.identity).toBe(false);
    expect(all(m)).toEqual([1, null, 3, 4, 5]);
    expect(m.toOriginal(2)).toBeUndefined();
  });

  it('moves lines below an insertion, never leaving a value on the inserted line', () => {
    const m = LineMap.between(
      recorded,
      text('a = 1', '', '    # note', 'b = 2', 'c = 3', 'print(a)'),
    );
    expect(all(m)).toEqual([1, 4, 5, 6, 7]);
    expect(m.toOriginal(2)).toBeUndefined();
    expect(m.toOriginal(3)).toBeUndefined();
    expect(m.toOriginal(4)).toBe(2);
  });

  it('pulls lines up after a deletion', () => {
    const m = LineMap.between(recorded, text('a = 1', 'print(a)'));
    expect(all(m)).toEqual([1, null, null, 2, 3]);
  });

  it('handles CRLF text and a return to the recorded text', () => {
    expect(LineMap.between(recorded, recorded.replace(/\n/g, '\r\n')).toCurrent(4)).toBe(4);
    expect(LineMap.between(recorded, text('a = 1', 'b = 2', 'c = 3', 'print(a)')).identity).toBe(
      true,
    );
  });
});
