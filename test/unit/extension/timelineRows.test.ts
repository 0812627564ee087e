// The timeline's rows: what each event changed (with changes inside cut values), the gap a long run
// left out as one row, and a one-line summary of the recording.
import { describe, expect, it } from 'vitest';
import {
  changeText,
  detailOf,
  elisionRowOf,
  rowOf,
  summaryOf,
} from '../../../src/extension/timeline/rows';
import { TraceBuilder } from '../render/traceBuilder';

describe('timeline rows', () => {
  it('writes changes, deltas inside cut values, returns and exceptions', () => {
    const b = new TraceBuilder().source('m.py', 'x');
    b.call('m.py', 'f', 1, { n: '3' }).line(2, { out: '[0, 0, 0, …]' });
    const t = b.ret(3, '[0]').build();
    const line = t.events.at(1)!;
    line.deltas = [
      { path: 'out[7]', op: '=', value: '1' },
      { path: 'seen', op: 'add', value: '4' },
    ];
    // Written as the NExT text and the editor write changes (core render/changes).
    expect(changeText(line)).toBe('out=[0, 0, 0, …], out[7]=1, seen.add(4)');
    expect(rowOf(t.events.at(0)!).text).toBe('call n=3');
    expect(rowOf(t.events.at(2)!).text).toBe('__return__=[0]');
    expect(detailOf(t, line)).toMatchObject({
      k: 2,
      changed: { out: '[0, 0, 0, …]' },
      deltas: ['out[7]=1', 'seen.add(4)'],
      locals: { n: '3', out: '[0, 0, 0, …]' },
    });
  });

  it('an exception reads as the error it is', () => {
    const b = new TraceBuilder().source('m.py', 'x');
    b.call('m.py', 'f', 1).raise(2, { type: 'ValueError', message: 'bad\nvalue' });
    const t = b.build();
    expect(rowOf(t.events.at(1)!).text).toBe('✗ ValueError: bad ⏎ value');
  });

  it('a long run: one row for the events left out, with their counts', () => {
    const b = new TraceBuilder().source('m.py', 'x');
    b.call('m.py', '<module>', 1).line(1, { i: '0' }).line(2, { i: '9' });
    const t = b.build({ eventCount: 12_003, partial: false });
    t.elided = {
      at: 2,
      events: 12_000,
      steps: 6_000,
      lines: [
        { file: 'm.py', line: 2, count: 8000 },
        { file: 'm.py', line: 1, count: 4000 },
      ],
    };
    expect(elisionRowOf(t)).toEqual({
      at: 2,
      text: '⋯ 12,000 events not kept here (6,000 steps); the recording keeps the start and the end of the run',
      title:
        'Long runs keep their first and last events (tracefix.maxEvents = 20,000). Most run in the gap: m.py:2 ×8,000, m.py:1 ×4,000. Step numbers after the gap continue past the left-out steps.',
    });
    expect(summaryOf(t)).toBe('main.py · runs to its end · 12,003 events (3 kept)');
    delete t.elided;
    expect(elisionRowOf(t)).toBeUndefined();
  });
});
