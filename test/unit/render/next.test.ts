import { countTokens } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { renderNext } from '../../../src/core/render/next';
import { TraceAssembler } from '../../../src/core/trace/assemble';
import type { RawRecord } from '../../../src/core/trace/records';
import type { Trace } from '../../../src/core/trace/model';
import { traceOfAssembly } from '../../support/recordedTrace';

const SOURCE = 'i = 0\nwhile i < N:\n    i += 1\n';

/** A trace of `i += 1` executed n times, built from helper-style raw records. */
function loopTrace(n: number): Trace {
  const asm = new TraceAssembler();
  const recs: RawRecord[] = [
    ['F', 0, 'loop.py'],
    ['C', 1, 0, 0, 1, '<module>', 0, 0, 'm'],
    ['L', 1, 1],
  ];
  recs.push(['L', 1, 2, { i: '0' }]);
  for (let k = 1; k <= n; k++) recs.push(['L', 1, 3], ['L', 1, 2, { i: String(k) }]);
  recs.push(['R', 1, 2, 'r', 'None', 0, 0, 0], ['E', 'exit', 0, 1, null]);
  asm.push(recs);
  asm.finish();
  return traceOfAssembly(asm, {
    file: 'loop.py',
    source: SOURCE,
    interpreter: { version: '3.11', debugpyVersion: '1.6' },
  });
}

describe('NExT rendering', () => {
  it('attributes each change to the line that made it, numbering steps in order', () => {
    const text = renderNext(loopTrace(3)).text;
    expect(text).toBe(
      'i = 0  # (0) i=0;\nwhile i < N:\n    i += 1  # (1) i=1; (2) i=2; (3) i=3;\n',
    );
  });

  it('keeps the first entries and the last, counting the elided middle, to fit the budget', () => {
    const r = renderNext(loopTrace(400), { budget: 80 });
    expect(r.tokens).toBeLessThanOrEqual(80);
    expect(r.tokens).toBe(countTokens(r.text));
    expect(r.overBudget).toBe(false);
    const line = r.text.split('\n').find((l) => l.startsWith('    i += 1')) ?? '';
    expect(line).toMatch(
      /^ {4}i \+= 1 {2}# \(1\) i=1; (\(\d+\) i=\d+; )*\.\.\.\(\d+ more\); \(400\) i=400;$/,
    );
    const kept = (line.match(/\(\d+\) i=/g) ?? []).length;
    const more = Number(/\.\.\.\((\d+) more\)/.exec(line)?.[1]);
    expect(kept + more).toBe(400);
    expect(r.text).toMatch(
      new RegExp(`^# Not shown within the 80-token budget: ${400 - kept} of 401 steps\\.$`, 'm'),
    );
  });

  it('never keeps more than maxPerLine leading entries, even within budget', () => {
    const r = renderNext(loopTrace(50), { maxPerLine: 3 });
    expect(r.text.split('\n').find((l) => l.startsWith('    i += 1'))).toBe(
      '    i += 1  # (1) i=1; (2) i=2; (3) i=3; ...(46 more); (50) i=50;',
    );
  });

  it('reports overBudget when even the most compact form does not fit', () => {
    const r = renderNext(loopTrace(5), { budget: 5 });
    expect(r.overBudget).toBe(true);
  });
});

describe('trace assembly', () => {
  it('emits return values, yields and exception info from the records', () => {
    const asm = new TraceAssembler();
    asm.push([
      ['F', 0, 'f.py'],
      ['C', 1, 0, 0, 1, '<module>', 0, 0, 'm'],
      ['L', 1, 5],
      ['C', 2, 1, 0, 1, 'f', 1, { x: '0' }, 'f'],
      ['L', 2, 2],
      [
        'R',
        2,
        2,
        'e',
        ['ZeroDivisionError', 'division by zero', "ZeroDivisionError('division by zero')"],
        0,
        0,
        0,
      ],
    ]);
    asm.finish();
    const ex = asm.events.find((e) => e.kind === 'exception');
    expect(ex?.exception).toMatchObject({
      type: 'ZeroDivisionError',
      message: 'division by zero',
      file: 'f.py',
      line: 2,
    });
    expect(asm.events.find((e) => e.kind === 'call' && e.function === 'f')).toMatchObject({
      step: 0,
      depth: 1,
      callIndex: 1,
      parentCallId: 1,
    });
    // The module line whose call raised never completed: emitted at the end without a step.
    expect(asm.events.at(-1)).toMatchObject({ kind: 'line', line: 5, step: null });
  });
});
