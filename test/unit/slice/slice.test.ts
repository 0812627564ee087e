import { describe, expect, it } from 'vitest';
import { backwardSlice, failingEvent, sliceIndexOf } from '../../../src/core/slice/slice';
import { why } from '../../../src/core/slice/why';
import { parsePath, partOf } from '../../../src/core/slice/paths';
import { traceFromJson, traceToJson } from '../../../src/core/trace/json';
import type { Trace } from '../../../src/core/trace/model';
import { pieces } from '../../../src/core/slice/valueOrigins';
import { boxTrace, traceOf } from './sliceTraces';

function where(t: Trace, events: number[]): string[] {
  return events.map((e) => {
    const ev = t.events.at(e)!;
    return `${ev.kind} ${ev.function}:${ev.line}`;
  });
}

describe('access paths', () => {
  it('parse names, attributes, items and method calls', () => {
    expect(parsePath('x')).toEqual({ root: 'x', item: false });
    expect(parsePath('self.v')).toEqual({ root: 'self', attr: 'v', item: false });
    expect(parsePath('self.items[]')).toEqual({ root: 'self', attr: 'items', item: true });
    expect(parsePath('xs.append()')).toEqual({ root: 'xs', method: 'append', item: false });
    expect(parsePath('not a path')).toBeUndefined();
    expect(partOf(parsePath('d[]')!)).toBe('[]');
    expect(partOf(parsePath('xs.append()')!)).toBe('*');
  });
});

describe('backward slice', () => {
  it('starts where the exception was raised and follows returns, arguments and attributes', () => {
    const t = boxTrace();
    const start = failingEvent(t);
    expect(where(t, [start])).toEqual(['exception <module>:11']);
    const s = backwardSlice(t, start);
    const on = where(t, s.order);
    // The wrong value was made in Box.__init__ (self.v = v * 2), read back in use() through b.v.
    expect(on).toContain('line __init__:3');
    expect(on).toContain('return use:8');
    expect(on).toContain('line make:5');
    // What changed nothing the failure read is not on it.
    expect(on).not.toContain('line use:7');
    const init = s.order.find(
      (e) => t.events.at(e)?.function === '__init__' && t.events.at(e)?.kind === 'line',
    )!;
    expect(s.links.get(init)?.kind).toBe('object');
    expect(s.truncated).toBe(false);
  });

  it('is bounded by maxEvents', () => {
    const t = boxTrace();
    const s = backwardSlice(t, failingEvent(t), { maxEvents: 3 });
    expect(s.order).toHaveLength(3);
    expect(s.truncated).toBe(true);
  });

  it('reads the statement rows and object numbers back from a saved trace', () => {
    const t = traceFromJson(JSON.parse(traceToJson(boxTrace())));
    expect(t.uses?.['box.py']).toHaveLength(10);
    expect(t.events.at(2)?.ids).toEqual({ self: 1 });
    const s = backwardSlice(t);
    expect(where(t, s.order)).toContain('line __init__:3');
  });

  it('falls back to no slice rows for a trace without statement rows', () => {
    const t = boxTrace();
    delete t.uses;
    const idx = sliceIndexOf(t);
    expect(idx.hasUses).toBe(false);
    expect(backwardSlice(t).coarse).toBe(true);
  });
});

describe('why', () => {
  it('answers with the chain from the value back to where it was made', () => {
    const t = boxTrace();
    const a = why(t, { name: 'r', event: failingEvent(t) });
    const chain = where(
      t,
      a.links.map((l) => l.event),
    );
    expect(chain[0]).toBe('line <module>:10');
    expect(chain).toContain('line __init__:3');
    expect(chain).toContain('return use:8');
    expect(chain).not.toContain('line use:7');
  });

  it('follows a path into an object to the write of that attribute', () => {
    const t = boxTrace();
    const useLine = t.events.findIndex(
      (e) => e.function === 'use' && e.line === 8 && e.kind === 'line',
    );
    const a = why(t, { name: 'b.v', event: useLine });
    expect(where(t, [a.origin])).toEqual(['line __init__:3']);
  });

  it('says nothing was recorded for a name the frame never bound', () => {
    const t = boxTrace();
    expect(why(t, { name: 'nope', event: failingEvent(t) }).origin).toBe(-1);
  });
});

describe('text origins', () => {
  it('splits a string repr into distinctive pieces', () => {
    expect(
      pieces("'Usage: x [OPTIONS]\\n\\nOptions:\\n  --name, -n TEXT  Who to greet.\\n'"),
    ).toEqual(['Usage: x [OPTIONS]', 'Options:', '--name, -n TEXT', 'Who to greet.']);
    expect(pieces('42')).toEqual([]);
  });

  it('links the failing line to where a piece of the text it read was first made', () => {
    const t = traceOf(
      [
        ['C', 1, 0, 0, 1, '<module>', 0, 0, 'm'],
        [
          'U',
          0,
          [
            [1, 1, [], ['label'], 0],
            [2, 2, ['capture'], ['out'], 0],
            [3, 3, ['out'], [], 0],
          ],
        ],
        ['L', 1, 1],
        ['L', 1, 2, { label: "'--name, -n TEXT'" }],
        // Printed into a buffer the recorder does not see: the text reaches `out` by no name.
        ['L', 1, 3, { out: "'Options:\\n  --name, -n TEXT'" }],
        ['R', 1, 3, 'e', ['AssertionError', '', 'AssertionError()'], 0, 0, 0],
        ['E', 'exit', 4, 1, null],
      ],
      'label = "--name, -n TEXT"\nout = capture()\nassert "-n, --name" in out\n',
      'cli.py',
    );
    const s = backwardSlice(t);
    const made = s.order.find((e) => s.links.get(e)?.kind === 'text');
    expect(made).toBeDefined();
    expect(t.events.at(made!)?.changed).toEqual({ label: "'--name, -n TEXT'" });
  });
});
