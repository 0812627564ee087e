// Failure-first NExT rendering on hand-built traces: only code that ran, the budget a hard cap spent
// on the failure path first, what was left out counted, header comments for runs that did not end
// normally, the head/tail gap, long lines — and a rendering time that grows with the input, printed.
import { describe, expect, it } from 'vitest';
import { historyPieces } from '../../../src/core/render/lineText';
import { headerComments, renderNext } from '../../../src/core/render/next';
import { countTokens } from '../../../src/core/render/tokens';
import type { Trace } from '../../../src/core/trace/model';
import { TraceBuilder } from './traceBuilder';

const FNS = 120;

/** lib.py: FNS functions; main.py calls many of them in loops, then `check` → `validate` raises. */
function bigTrace(): { trace: Trace; lib: string[] } {
  const lib: string[] = ['import math', ''];
  for (let k = 0; k < FNS; k++) {
    lib.push(
      '',
      `def f${k}(x):`,
      `    """Helper number ${k}."""`,
      `    y = x * ${k} + math.pi`,
      `    return round(y, 3)`,
      '',
    );
  }
  lib.push(
    '',
    'def validate(total):',
    '    limit = 100',
    '    if total > limit:',
    '        raise ValueError(f"total {total} over {limit}")',
    '    return total',
    '',
  );
  lib.push('', 'def check(values):', '    total = sum(values)', '    return validate(total)', '');
  const main = [
    'from lib import *',
    '',
    'values = [f(i) for f, i in zip(FUNCS, range(60))]',
    'check(values)',
    '',
  ];
  const at = (name: string) => lib.indexOf(name) + 1;
  const b = new TraceBuilder().source('main.py', main.join('\n')).source('lib.py', lib.join('\n'));
  b.call('main.py', '<module>', 1);
  const values: string[] = [];
  for (let i = 0; i < 60; i++) {
    const l = at(`def f${i}(x):`);
    const y = (i * i + Math.PI).toFixed(3);
    b.call('lib.py', `f${i}`, l, { x: String(i) })
      .line(l + 2, { y })
      .ret(l + 3, y);
    values.push(y);
  }
  b.line(3, { values: `[${values.slice(0, 8).join(', ')}, ...(52 more)]` });
  const c = at('def check(values):');
  const v = at('def validate(total):');
  b.call('lib.py', 'check', c, { values: `[${values.slice(0, 8).join(', ')}, ...(52 more)]` }).line(
    c + 1,
    { total: '70990.5' },
  );
  b.call('lib.py', 'validate', v, { total: '70990.5' })
    .line(v + 1, { limit: '100' })
    .line(v + 2);
  const exc = {
    type: 'ValueError',
    message: 'total 70990.5 over 100',
    repr: "ValueError('total 70990.5 over 100')",
    file: 'lib.py',
    line: v + 3,
  };
  b.raise(v + 3, exc)
    .raise(c + 2, exc)
    .raise(4, exc);
  const trace = b.build({ status: 'exception', exitCode: 1, exception: exc });
  return { trace, lib };
}

describe('failure-first NExT', () => {
  it('shows the code that ran, not whole files; what did not run is a marker naming what it holds', () => {
    const r = renderNext(bigTrace().trace);
    expect(r.text).not.toContain('def f60(x):');
    expect(r.text).toContain('def f59(x):  # (');
    expect(r.text).toMatch(/^# \.\.\. lines \d+-\d+ not shown \(f60, f61, f62, \+57 more\)$/m);
    expect(r.text).toContain('        raise ValueError(f"total {total} over {limit}")  # (');
  });

  it.each([250, 400, 800, 2000])(
    'keeps a %i-token budget, the failure path first and whole',
    (budget) => {
      const r = renderNext(bigTrace().trace, { budget });
      expect(r.tokens).toBeLessThanOrEqual(budget);
      expect(r.tokens).toBe(countTokens(r.text));
      // The frames on the exception's stack, values uncut.
      expect(r.text).toContain('raise ValueError(f"total {total} over {limit}")  # (');
      expect(r.text).toContain("__exception__ = ValueError('total 70990.5 over 100');");
      expect(r.text).toMatch(/def validate\(total\): {2}# \(\d+\) total=70990\.5;/);
      // The outermost frame's line too, once the budget holds more than the two inner frames.
      if (budget >= 400)
        expect(r.text).toMatch(
          /check\(values\) {2}# \(\d+\) __exception__ = ValueError\('total 70990\.5 over 100'\);/,
        );
      // What was left out is counted, and the count matches the entries written.
      const written = (r.text.match(/\(\d+\) /g) ?? []).length;
      expect(written).toBe(r.stepsShown);
      if (r.stepsShown < r.totalSteps) {
        expect(r.text).toMatch(
          new RegExp(
            `^# Not shown within the ${budget}-token budget: ${r.totalSteps - r.stepsShown} of ${r.totalSteps} steps; \\d+ functions that ran \\(`,
            'm',
          ),
        );
      }
    },
  );

  it('spends what is left on the functions nearest the failure, the latest first', () => {
    const r = renderNext(bigTrace().trace, { budget: 800 });
    const shown = [...r.text.matchAll(/^def (f\d+)\(x\):/gm)].map((m) => Number(m[1]!.slice(1)));
    expect(shown.length).toBeGreaterThan(0);
    // Every f called is a sibling of the failing call; the ones shown are the last ones called.
    expect(shown).toEqual(Array.from({ length: shown.length }, (_, i) => 60 - shown.length + i));
  });

  it('shows a nested def that never ran as part of the function around it', () => {
    const src = [
      'def outer(s):',
      '    if isinstance(s, bytes):',
      '        def post(c):',
      '            return bytes(c)',
      '    n = len(s)',
      '    return n',
      '',
      'outer("ab")',
      '',
    ].join('\n');
    const b = new TraceBuilder().source('n.py', src);
    b.call('n.py', '<module>', 1)
      .call('n.py', 'outer', 1, { s: "'ab'" })
      .line(2)
      .line(5, { n: '2' })
      .ret(6, '2')
      .line(8);
    const text = renderNext(b.build()).text;
    expect(text).toContain(
      "def outer(s):  # (1) s='ab';\n    if isinstance(s, bytes):\n        def post(c):\n            return bytes(c)\n    n = len(s)  # (2) n=2;\n",
    );
  });

  it('cuts a very long source line with a count and keeps the budget', () => {
    const long = `x = "${'z'.repeat(300_000)}"`;
    const b = new TraceBuilder().source('long.py', `${long}\nassert x == ""\n`);
    b.call('long.py', '<module>', 1).line(1, { x: `'${'z'.repeat(117)}...` });
    b.raise(2, { type: 'AssertionError', message: '', file: 'long.py', line: 2 });
    const started = performance.now();
    const r = renderNext(b.build({ status: 'exception', exitCode: 1 }));
    console.log(`renderNext, 300 KB line: ${(performance.now() - started).toFixed(0)} ms`);
    expect(r.text.split('\n')[0]).toMatch(
      /^x = "z{395} <\.\.\. 299606 more characters> {2}# \(1\) x='z{117}\.\.\.;$/,
    );
  });

  it('renders in time that grows with the input (figures printed, not asserted)', () => {
    for (const n of [5_000, 20_000, 80_000]) {
      const src = Array.from({ length: n / 10 }, (_, i) => `v${i} = ${i}`).join('\n');
      const b = new TraceBuilder().source('m.py', src);
      b.call('m.py', '<module>', 1);
      for (let i = 0; i < n; i++) b.line((i % (n / 10)) + 1, { [`v${i % (n / 10)}`]: String(i) });
      const t = b.build();
      const started = performance.now();
      const r = renderNext(t);
      console.log(
        `renderNext, ${n} events over ${n / 10} lines: ${(performance.now() - started).toFixed(0)} ms, ${r.tokens} tokens`,
      );
      expect(r.tokens).toBeLessThanOrEqual(6000);
    }
  });
});

describe('header comments', () => {
  function small(outcome: Partial<Trace['outcome']>, extra: Partial<Trace> = {}): Trace {
    const b = new TraceBuilder().source('m.py', 'a = 1\nb = 2\nstop()\n');
    b.call('m.py', '<module>', 1).line(1, { a: '1' }).line(2, { b: '2' }).line(3);
    return { ...b.build(outcome), ...extra };
  }

  it('say where and why a run stopped', () => {
    expect(headerComments(small({ status: 'timeout', exitCode: null, partial: true }))).toEqual([
      '# Partial trace: the program was stopped by the 20 s timeout at m.py:3, after step (2).',
    ]);
    expect(headerComments(small({ status: 'exited', exitCode: 3 }))).toEqual([
      '# The program ended at once with os._exit(3) at m.py:3, after step (2).',
    ]);
    expect(
      headerComments(
        small({
          status: 'crashed',
          exitCode: null,
          signal: 'SIGSEGV',
          partial: true,
          message: 'killed.',
        }),
      ),
    ).toEqual([
      '# The program was killed by SIGSEGV at m.py:3, after step (2); values are recorded up to there.',
    ]);
    expect(
      headerComments(
        small({
          status: 'completed',
          exitCode: 0,
          partial: true,
          tracerTakenOver: { file: 'm.py', line: 2, afterEvent: 2 },
        }),
      ),
    ).toEqual([
      '# Partial trace: the program installed its own tracer (sys.settrace) at m.py:2, after step (2); that thread is not fully recorded after it.',
    ]);
    expect(
      headerComments(
        small({
          status: 'completed',
          exitCode: 0,
          partial: true,
          message: 'The recording channel was lost.',
        }),
      ),
    ).toEqual(['# Partial trace: The recording channel was lost at m.py:3, after step (2).']);
    expect(headerComments(small({}))).toEqual([]);
  });

  it('go first in the text and count in the budget', () => {
    const r = renderNext(small({ status: 'timeout', exitCode: null, partial: true }), {
      budget: 40,
    });
    expect(r.text.startsWith('# Partial trace:')).toBe(true);
    expect(r.tokens).toBeLessThanOrEqual(40);
  });
});

describe('a line history across the unrecorded gap', () => {
  const e = (step: number, index: number) => ({
    step,
    index,
    parts: [{ kind: 'set' as const, name: 'i', head: 'i=', value: String(step), tail: '' }],
  });
  const list = [e(1, 1), e(2, 2), e(3, 3), e(900, 50), e(901, 51)];
  const text = (keep: number, gapAt: number) =>
    historyPieces(list, { keep, width: Infinity, gap: 3 }, 400, gapAt).pieces.join(' ');

  it('puts the gap where it happened, merged into the elided middle when it falls there', () => {
    expect(text(10, 50)).toBe(
      '(1) i=1; (2) i=2; (3) i=3; ...(400 more runs not recorded); (900) i=900; (901) i=901;',
    );
    expect(text(2, 50)).toBe(
      '(1) i=1; (2) i=2; ...(2 more; 400 more runs not recorded); (901) i=901;',
    );
    expect(text(1, 1)).toBe('...(400 more runs not recorded); (1) i=1; ...(3 more); (901) i=901;');
    expect(text(1, 2)).toBe('(1) i=1; ...(3 more; 400 more runs not recorded); (901) i=901;');
    expect(text(1, 60)).toBe('(1) i=1; ...(3 more); (901) i=901; ...(400 more runs not recorded);');
    expect(text(0, 50)).toBe('...(4 more; 400 more runs not recorded); (901) i=901;');
  });
});
