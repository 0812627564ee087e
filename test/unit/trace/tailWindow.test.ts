// A long run past maxSteps keeps its head and tail and, of the middle, the first and the last
// execution with values of every line that ran there, with its frame's locals.
import { describe, expect, it } from 'vitest';
import { renderNext } from '../../../src/core/render/next';
import { TraceAssembler } from '../../../src/core/trace/assemble';
import { traceFromJson, traceToJson } from '../../../src/core/trace/json';
import { localsAt } from '../../../src/core/trace/locals';
import type { Trace } from '../../../src/core/trace/model';
import type { RawRecord } from '../../../src/core/trace/records';
import { traceOfAssembly } from '../../support/recordedTrace';

const SOURCE = 'i = 0\nwhile i < N:\n    if i == 250:\n        mark = i * 10\n    i += 1\n';

/** `i` counts to n; line 4 runs once, at i == 250, in the middle of the run. */
function longRun(n: number, maxEvents: number): Trace {
  const asm = new TraceAssembler(maxEvents);
  const recs: RawRecord[] = [
    ['F', 0, 'loop.py'],
    ['C', 1, 0, 0, 1, '<module>', 0, 0, 'm'],
    ['L', 1, 1],
    ['L', 1, 2, { i: '0' }],
  ];
  for (let k = 0; k < n; k++) {
    recs.push(['L', 1, 3]);
    if (k === 250) recs.push(['L', 1, 4], ['L', 1, 5, { mark: '2500' }]);
    else recs.push(['L', 1, 5]);
    recs.push(['L', 1, 2, { i: String(k + 1) }]);
  }
  recs.push(['R', 1, 2, 'r', 'None', 0, 0, 0], ['E', 'exit', 0, 1, null]);
  asm.push(recs);
  asm.finish();
  return traceOfAssembly(asm, { file: 'loop.py', source: SOURCE, maxEvents });
}

describe('a long run keeps the middle executions of every line', () => {
  it('keeps the only run of a line from the middle, with its values and its locals', () => {
    const t = longRun(1000, 80);
    const g = t.elided!;
    expect(g.events).toBeGreaterThan(2000);
    expect(g.tail).toBeGreaterThan(g.at);
    const mark = t.events.findIndex((e) => e.changed.mark !== undefined);
    expect(mark).toBeGreaterThanOrEqual(g.at);
    expect(mark).toBeLessThan(g.tail!);
    expect(localsAt(t, mark)).toEqual({ i: '250', mark: '2500' });
    // Line 4 ran once and its execution is kept: it is not counted as unrecorded.
    expect(g.lines.find((l) => l.line === 4)).toBeUndefined();
    // Every line that ran with values in the middle has its first and last there kept.
    const kept = t.events.filter((_e, i) => i >= g.at && i < g.tail!);
    expect(new Set(kept.map((e) => e.line))).toEqual(new Set([4, 5]));
    expect(renderNext(t, { budget: 4000 }).text).toMatch(
      / {8}mark = i \* 10 {2}# \(\d+\) mark=2500;/,
    );
  });

  it('keeps the tail after the kept middle, with its locals rebuilt from the gap', () => {
    const t = longRun(1000, 80);
    const last = t.events.length - 2;
    expect(localsAt(t, last).i).toBe('1000');
    expect(localsAt(t, last).mark).toBe('2500');
  });

  it('reads the kept middle back from a saved trace', () => {
    const t = traceFromJson(JSON.parse(traceToJson(longRun(1000, 80))));
    const mark = t.events.findIndex((e) => e.changed.mark !== undefined);
    expect(localsAt(t, mark)).toEqual({ i: '250', mark: '2500' });
  });
});
