import { describe, expect, it } from 'vitest';
import { fileLineMap, lineSimilarity } from '../../../src/core/compare/sourceMap';

describe('fileLineMap', () => {
  it('maps unchanged lines across added and removed ones', () => {
    const b = ['def f(x):', '    y = x + 1', '    return y', ''].join('\n');
    const a = [
      'import os',
      '',
      'def f(x):',
      '    y = x + 1',
      '    print(y)',
      '    return y',
      '',
    ].join('\n');
    const m = fileLineMap('m.py', a, b);
    expect(m.toA(1)).toBe(3);
    expect(m.toA(2)).toBe(4);
    expect(m.toA(3)).toBe(6);
    expect([...m.changedA].sort()).toEqual([1, 2, 5]);
    expect(m.changedB.size).toBe(0);
    expect(m.toB(5)).toBeUndefined();
  });

  it('pairs an edited line with its counterpart', () => {
    const b = ['def spread(v):', '    low = values[0]', '    return low', ''].join('\n');
    const a = ['def spread(v):', '    low = 0', '    return low', ''].join('\n');
    const m = fileLineMap('m.py', a, b);
    expect(m.toA(2)).toBe(2);
    expect(m.changedA.has(2)).toBe(true);
    expect(m.regions).toEqual([{ aFrom: 2, aTo: 3, bFrom: 2, bTo: 3 }]);
  });

  it('pairs edited lines by similarity when a region grows', () => {
    const b = ['x = 1', 'total = compute(x)', 'print(total)'].join('\n');
    const a = ['x = 1', 'check(x)', 'log("start")', 'total = compute(x, 2)', 'print(total)'].join(
      '\n',
    );
    const m = fileLineMap('m.py', a, b);
    expect(m.toA(2)).toBe(4);
    expect(m.toA(3)).toBe(5);
  });

  it('scores line similarity', () => {
    expect(lineSimilarity('  a = 1', 'a = 1')).toBe(1);
    expect(lineSimilarity('total = compute(x)', 'foo()')).toBeLessThan(0.5);
  });
});
