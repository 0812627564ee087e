import { describe, expect, it } from 'vitest';
import { parseBaseline } from '../../../src/core/compare/baseline';
import { UserError } from '../../../src/core/errors';

describe('--baseline', () => {
  it('reads every kind', () => {
    expect(parseBaseline('auto')).toEqual({ kind: 'auto' });
    expect(parseBaseline('none')).toEqual({ kind: 'none' });
    expect(parseBaseline('git')).toEqual({ kind: 'git', ref: 'HEAD' });
    expect(parseBaseline('git:v1.2')).toEqual({ kind: 'git', ref: 'v1.2' });
    expect(parseBaseline('last-pass')).toEqual({ kind: 'last-pass', ref: 'HEAD' });
    expect(parseBaseline('last-pass:main')).toEqual({ kind: 'last-pass', ref: 'main' });
    expect(parseBaseline('sibling')).toEqual({ kind: 'sibling' });
    expect(parseBaseline('test:tests/t.py::test_a[1-2]')).toEqual({
      kind: 'test',
      nodeId: 'tests/t.py::test_a[1-2]',
    });
    expect(parseBaseline('trace:runs/good.json')).toEqual({
      kind: 'trace',
      file: 'runs/good.json',
    });
  });

  it('refuses anything else in one line', () => {
    for (const bad of ['yesterday', 'test:', 'trace:', 'sibling:x', 'none:x'])
      expect(() => parseBaseline(bad), bad).toThrow(UserError);
    expect(() => parseBaseline('test:')).toThrow(
      '--baseline test: give a pytest node id after "test:".',
    );
  });
});
