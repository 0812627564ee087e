import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../../src/core/compare/compare';
import { comparisonText } from '../../../src/core/compare/format';
import { TraceBuilder } from '../render/traceBuilder';

const HELPER = ['def helper(s):', '    i = s.find(".")', '    return len(s) - i - 1', ''].join(
  '\n',
);
const MAIN = [
  'from helper import helper',
  'def width(s):',
  '    w = helper(s)',
  '    n = Node(w)',
  '    return n',
  '',
].join('\n');

/** main.py's width("3.145") calling helper(), with helper's `i` and result as given. */
function run(
  opts: { i?: string; ret?: string; node?: string; helperText?: string; offset?: number } = {},
) {
  const off = opts.offset ?? 0;
  return new TraceBuilder()
    .source('main.py', MAIN)
    .source('helper.py', opts.helperText ?? HELPER)
    .call('main.py', 'width', 2, { s: "'3.145'" })
    .call('helper.py', 'helper', 1 + off, { s: "'3.145'" })
    .line(2 + off, { i: opts.i ?? '1' })
    .ret(3 + off, opts.ret ?? '3')
    .line(3, { w: opts.ret ?? '3' })
    .line(4, { n: opts.node ?? 'Node#1(v=3)' })
    .ret(5, opts.node ?? 'Node#1(v=3)')
    .build();
}

describe('compareRuns', () => {
  it('finds no divergence between equal runs', () => {
    const c = compareRuns(run(), run());
    expect(c.divergences).toEqual([]);
    expect(c.matched).toBe(7);
    expect(comparisonText(c)).toContain('No divergence');
  });

  it('reports the first value that differs, two calls deep, then the next ones', () => {
    const c = compareRuns(run({ i: '0', ret: '4', node: 'Node#1(v=4)' }), run());
    const [first, ...next] = c.divergences;
    expect(first).toMatchObject({
      kind: 'value',
      a: { file: 'helper.py', line: 2, call: 'helper#1', path: ['width#1', 'helper#1'] },
      values: [{ name: 'i', a: '0', b: '1' }],
    });
    expect(next.map((d) => d.values[0]?.name)).toEqual(['__return__', 'w', 'n', '__return__']);
    expect(c.places).toBe(5);
  });

  it('ignores object numbers and clock readings', () => {
    const a = run({ node: 'Node#4(v=3)' });
    const b = run({ node: 'Node#1(v=3)' });
    const c = compareRuns(a, b);
    expect(c.divergences).toEqual([]);
    expect(c.noise.object).toBe(2);
  });

  it('keeps the alignment across lines added between the runs', () => {
    const moved = ['# a comment', '# another', HELPER].join('\n');
    const a = run({ helperText: moved, offset: 2 });
    const c = compareRuns(a, run());
    expect(c.divergences).toEqual([]);
    expect(c.matched).toBe(7);
    expect(c.changes).toMatchObject([{ path: 'helper.py', added: 2, removed: 0 }]);
  });

  it('reports a call only one run made', () => {
    const extra = new TraceBuilder()
      .source('main.py', MAIN)
      .source('helper.py', HELPER)
      .call('main.py', 'width', 2, { s: "'3.145'" })
      .call('helper.py', 'helper', 1, { s: "'3.145'" })
      .line(2, { i: '1' })
      .ret(3, '3')
      .call('helper.py', 'helper', 1, { s: "'3.145'" })
      .line(2, { i: '1' })
      .ret(3, '3')
      .line(3, { w: '3' })
      .line(4, { n: 'Node#1(v=3)' })
      .ret(5, 'Node#1(v=3)')
      .build();
    const c = compareRuns(extra, run());
    expect(c.divergences).toHaveLength(1);
    expect(c.divergences[0]).toMatchObject({
      kind: 'flow',
      onlyA: 3,
      onlyB: 0,
      callsA: ['helper#2'],
      a: { kind: 'call', function: 'helper' },
    });
    expect(comparisonText(c)).toContain('only the failing run took it');
  });

  it('reports another branch taken as a control-flow divergence', () => {
    const src = [
      'def f(x):',
      '    if x > 0:',
      '        y = 1',
      '    else:',
      '        y = 2',
      '    return y',
      '',
    ].join('\n');
    const branch = (x: string, line: number, y: string) =>
      new TraceBuilder()
        .source('m.py', src)
        .call('m.py', 'f', 1, { x })
        .line(2)
        .line(line, { y })
        .ret(6, y)
        .build();
    const c = compareRuns(branch('-1', 5, '2'), branch('1', 3, '1'));
    expect(c.divergences[0]).toMatchObject({
      kind: 'value',
      values: [{ name: 'x', a: '-1', b: '1' }],
    });
    expect(c.divergences[1]).toMatchObject({
      kind: 'flow',
      a: { line: 5, source: 'y = 2' },
      b: { line: 3, source: 'y = 1' },
    });
  });
});

describe('compareRuns at module level', () => {
  const script = (header: string[]) =>
    [...header, 'def f(x):', '    return x + 1', '', 'y = f(1)', 'print(y)', ''].join('\n');
  const run = (header: string[]) => {
    const h = header.length;
    return new TraceBuilder()
      .source('main.py', script(header))
      .call('main.py', '<module>', 1)
      .line(1 + h)
      .call('main.py', 'f', 1 + h, { x: '1' })
      .ret(2 + h, '2')
      .line(4 + h, { y: '2' })
      .line(5 + h)
      .ret(5 + h, 'None')
      .build();
  };

  it('aligns a script whose module gained lines above everything (its code still starts at line 1)', () => {
    const c = compareRuns(run(['"""Docs."""', 'import os', '']), run([]));
    expect(c.divergences).toEqual([]);
    expect(c.matched).toBe(7);
    expect(c.calls).toBe(2);
  });
});
