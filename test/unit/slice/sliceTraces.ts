// Hand-made recordings for the slice's unit tests, built from helper-style records (with the
// statement rows and object numbers the recorder sends): the wrong value is made in a constructor
// two calls before the assertion fails, through an attribute of an object passed on by a return.
import { TraceAssembler } from '../../../src/core/trace/assemble';
import {
  DEFAULT_LIMITS,
  TRACE_SCHEMA,
  TRACE_SCHEMA_VERSION,
  type Trace,
} from '../../../src/core/trace/model';
import type { RawRecord } from '../../../src/core/trace/records';

export const BOX_SOURCE = `class Box:
    def __init__(self, v):
        self.v = v * 2
def make(v):
    return Box(v)
def use(b):
    noise = 1
    return b.v + 1
b = make(3)
r = use(b)
assert r == 4
`;

export function traceOf(records: RawRecord[], source: string, file = 'box.py'): Trace {
  const asm = new TraceAssembler();
  asm.push([['F', 0, file], ...records]);
  asm.finish();
  return {
    schema: TRACE_SCHEMA,
    version: TRACE_SCHEMA_VERSION,
    engine: 'fast',
    createdAt: '',
    limits: DEFAULT_LIMITS,
    program: { kind: 'script', target: file, args: [], cwd: '/x', root: '/x' },
    interpreter: { path: 'python3', version: '3.12', debugpyVersion: '1.8', debugpyPath: '/' },
    outcome: {
      status: 'exception',
      exitCode: 1,
      exception: { type: 'AssertionError', message: '', repr: 'AssertionError()', file, line: 11 },
      durationMs: 1,
      startupMs: 1,
      eventCount: asm.eventCount,
      partial: false,
    },
    sources: [{ path: file, text: source }],
    events: asm.events,
    output: [],
    uses: asm.uses,
  };
}

/** box.py: Box.__init__ doubles the value (the bug); use() reads it back through `b.v`. */
export function boxTrace(): Trace {
  return traceOf(
    [
      ['C', 1, 0, 0, 1, '<module>', 0, 0, 'm'],
      [
        'U',
        0,
        [
          [1, 1, [], ['Box'], 0],
          [4, 4, [], ['make'], 0],
          [6, 6, [], ['use'], 0],
          [9, 9, ['make'], ['b'], 0],
          [10, 10, ['use', 'b'], ['r'], 0],
          [11, 11, ['r'], [], 0],
        ],
      ],
      ['L', 1, 9],
      ['U', 0, [[5, 5, ['Box', 'v'], [], 0]]],
      ['C', 2, 1, 0, 4, 'make', 1, { v: '3' }, 'f'],
      ['L', 2, 5],
      ['U', 0, [[3, 3, ['v'], ['self.v'], 0]]],
      ['C', 3, 2, 0, 2, '__init__', 2, { self: 'Box#1()', v: '3' }, 'f', { self: 1 }],
      ['L', 3, 3],
      ['R', 3, 3, 'r', 'None', { self: 'Box#1(v=6)' }, 0, 0, { self: 1 }],
      ['R', 2, 5, 'r', 'Box#1(v=6)', 0, 0, 0, { __return__: 1 }],
      ['L', 1, 10, { b: 'Box#1(v=6)' }, 0, 0, { b: 1 }],
      [
        'U',
        0,
        [
          [7, 7, [], ['noise'], 0],
          [8, 8, ['b.v'], [], 0],
        ],
      ],
      ['C', 4, 1, 0, 6, 'use', 1, { b: 'Box#1(v=6)' }, 'f', { b: 1 }],
      ['L', 4, 7],
      ['L', 4, 8, { noise: '1' }],
      ['R', 4, 8, 'r', '7', 0, 0, 0],
      ['L', 1, 11, { r: '7' }],
      ['R', 1, 11, 'e', ['AssertionError', '', 'AssertionError()'], 0, 0, 0],
      ['E', 'exit', 12, 1, null],
    ],
    BOX_SOURCE,
  );
}
