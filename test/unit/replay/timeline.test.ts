import { describe, expect, it } from 'vitest';
import { NOT_RECORDED, Timeline } from '../../../src/core/replay/timeline';
import { events, loadFixture } from './fixtures';

// factorial.json: 0 call <module> | 1 line 1 (def) | 2 call factorial(4) [c2] | 3 line 2 | 4 call(3) [c3]
// | 5 line 2 | 6 call(2) [c4] | 7 line 2 | 8 call(1) [c5] | 9 line 2 | 10 line 3 | 11 return 1
// | 12 line 4 [c4] | 13 return 2 | 14 line 4 [c3] | 15 return 6 | 16 line 4 [c2] | 17 return 24
// | 18 line 7 <module> | 19 line 8 | 20 return None
const factorial = () => new Timeline(loadFixture('factorial').events);
// average_bug.json: ... 2 line 8 <module> | 3 call main [c2] | 4 line 9 | 5 call average [c3] | 6 line 2
// | 7 line 3 i=0 | 8 line 4 | 9 line 3 | 10 line 4 | 11 line 3 | 12 line 4 total=16 | 13 line 3 i=3
// | 14 line 4 (raising) | 15 exception average:4 | 16 line main:10 | 17 exception main:10
// | 18 line <module>:14 | 19 exception <module>:14
// (Real recordings: module-level functions are not recorded as values.)
const averageBug = () => new Timeline(loadFixture('average_bug').events);

const walk = (
  t: Timeline,
  motion: (t: Timeline) => { index: number; reason: string },
  times: number,
) =>
  Array.from({ length: times }, () => {
    const s = motion(t);
    return `${s.index}:${s.reason}`;
  });

describe('Timeline stepping forward and back', () => {
  it('step in visits every event, entering calls', () => {
    const t = factorial();
    expect(t.start(true)).toEqual({ index: 0, reason: 'entry' });
    expect(walk(t, (x) => x.stepIn(), 4)).toEqual(['1:step', '2:step', '3:step', '4:step']);
    expect(t.current.kind).toBe('call');
    expect(t.stack()[0]?.locals).toEqual({ n: '3' });
  });

  it('step over skips the whole recursion and stops at the end of the recording', () => {
    const t = factorial();
    t.start(true);
    expect(walk(t, (x) => x.next(), 5)).toEqual([
      '1:step',
      '18:step',
      '19:step',
      '20:step',
      '20:end',
    ]);
    expect(t.stack()[0]?.locals.result).toBe('24');
    expect(t.atEnd).toBe(true);
  });

  it('step back is the reverse of step over and stops at the beginning', () => {
    const t = factorial();
    t.goto(19);
    expect(walk(t, (x) => x.stepBack(), 4)).toEqual(['18:step', '1:step', '0:step', '0:entry']);
  });

  it('step back from a caller line skips the callee it called', () => {
    const t = factorial();
    t.goto(12); // factorial(2) completing `return n * factorial(n - 1)`
    expect(t.stepBack()).toEqual({ index: 7, reason: 'step' });
    expect(t.stack()[0]?.locals).toEqual({ n: '2' });
    expect(t.reverseStepIn()).toEqual({ index: 6, reason: 'step' }); // its own call event
  });

  it('step out leaves one recursion level at a time, onto the calling line with its state', () => {
    const t = factorial();
    t.goto(9); // innermost call, n=1
    const landed = walk(t, (x) => x.stepOut(), 4);
    expect(landed).toEqual(['12:step', '14:step', '16:step', '18:step']);
    t.goto(12);
    expect(t.stack()[0]).toMatchObject({
      function: 'factorial',
      line: 4,
      locals: { n: '2' },
      callIndex: 3,
    });
  });

  it('step over at a return goes to the caller', () => {
    const t = factorial();
    t.goto(10);
    expect(walk(t, (x) => x.next(), 2)).toEqual(['11:step', '12:step']);
  });

  it("restart frame jumps to the frame's call event", () => {
    const t = factorial();
    t.goto(12);
    expect(t.restartFrame(4)).toEqual({ index: 6, reason: 'restart' });
    expect(t.current).toMatchObject({ kind: 'call' });
    expect(t.stack()[0]?.locals).toEqual({ n: '2' });
    expect(t.restartFrame(99)).toBeUndefined();
  });

  it('goto rejects indices outside the recording', () => {
    const t = factorial();
    expect(t.goto(21)).toBeUndefined();
    expect(t.goto(-1)).toBeUndefined();
    expect(t.goto(20)).toEqual({ index: 20, reason: 'goto' });
  });
});

describe('Timeline call stack', () => {
  it('reconstructs callers with their calling line and their locals as of the position', () => {
    const t = factorial();
    t.goto(9);
    const stack = t.stack();
    expect(stack.map((f) => [f.function, f.callId, f.line, f.locals.n, f.stateIndex])).toEqual([
      ['factorial', 5, 2, '1', 9],
      ['factorial', 4, 4, '2', 7],
      ['factorial', 3, 4, '3', 5],
      ['factorial', 2, 4, '4', 3],
      ['<module>', 1, 7, undefined, 1],
    ]);
    expect(stack[4]?.locals).toEqual({}); // `result` is not assigned yet
    expect(stack.every((f, i) => f.isTop === (i === 0))).toBe(true);
  });

  it('gives the calling line of a caller whose next event is the exception leaving it', () => {
    const t = averageBug();
    t.goto(13);
    expect(t.stack().map((f) => `${f.function}:${f.line}`)).toEqual([
      'average:3',
      'main:10',
      '<module>:14',
    ]);
    expect(t.stack()[1]?.locals).toEqual({ scores: '[3, 5, 8]' });
  });

  it('marks the caller line as approximate when the recording ends inside the call', () => {
    const t = new Timeline(
      events([
        { kind: 'call', callId: 1, fn: '<module>', line: 1, depth: 0 },
        {
          kind: 'line',
          callId: 1,
          fn: '<module>',
          line: 1,
          depth: 0,
          locals: { f: '<function f>' },
        },
        { kind: 'call', callId: 2, fn: 'f', line: 1, depth: 1, parent: 1 },
        { kind: 'line', callId: 2, fn: 'f', line: 2, depth: 1, parent: 1, locals: { a: '1' } },
      ]),
    );
    t.goto(3);
    expect(t.stack()[1]).toMatchObject({
      function: '<module>',
      line: 1,
      lineApproximate: true,
      locals: { f: '<function f>' },
    });
  });
});

describe('Timeline breakpoints and exceptions', () => {
  it('verifies only lines that executed', () => {
    const t = factorial();
    expect(t.setBreakpoints('factorial.py', [4, 6, 3])).toEqual([
      { line: 4, verified: true },
      { line: 6, verified: false },
      { line: 3, verified: true },
    ]);
    expect(t.setBreakpoints('other.py', [1])).toEqual([{ line: 1, verified: false }]);
  });

  it('continue and reverse continue go from breakpoint hit to breakpoint hit', () => {
    const t = factorial();
    t.start(true);
    t.setBreakpoints('factorial.py', [4]);
    expect(walk(t, (x) => x.continue(), 4)).toEqual([
      '12:breakpoint',
      '14:breakpoint',
      '16:breakpoint',
      '20:end',
    ]);
    expect(walk(t, (x) => x.reverseContinue(), 4)).toEqual([
      '16:breakpoint',
      '14:breakpoint',
      '12:breakpoint',
      '0:entry',
    ]);
  });

  it('a step over a call stops at a breakpoint inside it', () => {
    const t = factorial();
    t.goto(1);
    t.setBreakpoints('factorial.py', [3]);
    expect(t.next()).toEqual({ index: 10, reason: 'breakpoint' });
    t.goto(18);
    expect(t.stepBack()).toEqual({ index: 10, reason: 'breakpoint' });
  });

  it('run to line stops at the next execution of that line, or not at all', () => {
    const t = factorial();
    t.start(true);
    expect(t.runToLine('factorial.py', 3)).toEqual({ index: 10, reason: 'step' });
    expect(t.runToLine('factorial.py', 3)).toBeUndefined();
    expect(t.position).toBe(10);
  });

  it('stops at the raise point of a recorded exception, not where it propagates', () => {
    const t = averageBug();
    expect([15, 17, 19].map((i) => t.isRaisePoint(i))).toEqual([true, false, false]);
    t.start(true);
    expect(t.continue()).toEqual({ index: 15, reason: 'exception' });
    expect(t.exceptionAt()).toMatchObject({
      type: 'IndexError',
      message: 'list index out of range',
      line: 4,
    });
    expect(t.continue()).toEqual({ index: 19, reason: 'end' });
    expect(t.start(false)).toEqual({ index: 15, reason: 'exception' });
  });

  it('with the exception filter off, continue runs to the end and a step over the call lands after it', () => {
    const t = averageBug();
    t.exceptionFilter = false;
    t.start(true);
    expect(t.continue()).toEqual({ index: 19, reason: 'end' });
    t.goto(2);
    expect(t.next()).toEqual({ index: 18, reason: 'step' });
    t.exceptionFilter = true;
    t.goto(2);
    expect(t.next()).toEqual({ index: 15, reason: 'exception' });
  });

  it('a loop breakpoint is hit once per iteration, forwards and backwards', () => {
    const t = averageBug();
    t.start(true);
    t.setBreakpoints('average_bug.py', [4]);
    // Four turns run line 4; the fourth raises there.
    expect(walk(t, (x) => x.continue(), 5)).toEqual([
      '8:breakpoint',
      '10:breakpoint',
      '12:breakpoint',
      '14:breakpoint',
      '15:exception',
    ]);
    expect(t.stack()[0]?.locals).toEqual({ values: '[3, 5, 8]', total: '16', i: '3' });
    expect(walk(t, (x) => x.reverseContinue(), 5)).toEqual([
      '14:breakpoint',
      '12:breakpoint',
      '10:breakpoint',
      '8:breakpoint',
      '0:entry',
    ]);
  });
});

describe('Timeline evaluate', () => {
  it('answers recorded names in the selected frame and nothing else', () => {
    const t = factorial();
    t.goto(12);
    expect(t.evaluate('n')).toEqual({ recorded: true, value: '2' });
    expect(t.evaluate(' n ')).toEqual({ recorded: true, value: '2' });
    expect(t.evaluate('n', 2)).toEqual({ recorded: true, value: '4' });
    for (const expr of ['n + 1', 'n * factorial(n - 1)', 'result', 'factorial', '__return__', '']) {
      expect(t.evaluate(expr)).toMatchObject({ recorded: false, message: NOT_RECORDED });
    }
    expect(t.evaluate('n', 5)).toMatchObject({ recorded: false, message: NOT_RECORDED }); // frame gone
    // A name is recorded from the step that bound it on: `result` once line 7 has run.
    t.goto(18);
    expect(t.evaluate('result')).toEqual({ recorded: true, value: '24' });
  });

  it('answers __return__ at a return event', () => {
    const t = factorial();
    t.goto(17);
    expect(t.evaluate('__return__')).toEqual({ recorded: true, value: '24' });
    expect(t.evaluate('__return__', 1)).toMatchObject({ recorded: false });
  });
});

describe('Timeline with several top-level frames (e.g. pytest calls)', () => {
  const t = new Timeline(
    events([
      { kind: 'call', callId: 1, fn: 'test_a', line: 1, depth: 0 },
      { kind: 'line', callId: 1, fn: 'test_a', line: 2, depth: 0 },
      { kind: 'return', callId: 1, fn: 'test_a', line: 2, depth: 0, value: 'None' },
      { kind: 'call', callId: 2, fn: 'test_b', line: 4, depth: 0 },
      { kind: 'line', callId: 2, fn: 'test_b', line: 5, depth: 0 },
      { kind: 'return', callId: 2, fn: 'test_b', line: 5, depth: 0, value: 'None' },
    ]),
  );

  it('steps over and out into the next top-level frame and back', () => {
    t.goto(1);
    expect(t.next()).toEqual({ index: 2, reason: 'step' });
    expect(t.next()).toEqual({ index: 3, reason: 'step' });
    t.goto(1);
    expect(t.stepOut()).toEqual({ index: 3, reason: 'step' });
    expect(t.stepBack()).toEqual({ index: 2, reason: 'step' });
    t.goto(4);
    expect(t.stepOut()).toEqual({ index: 5, reason: 'end' });
  });
});

describe('Timeline describe', () => {
  it('says what happened at an event', () => {
    const t = averageBug();
    expect(t.describe(5)).toBe('Entered average(values=[3, 5, 8]) at average_bug.py:1');
    expect(t.describe(8)).toBe('Executed average_bug.py:4 in average');
    expect(t.describe(15)).toBe('IndexError raised at average_bug.py:4');
    expect(t.describe(17)).toBe('IndexError propagated at average_bug.py:10');
  });

  it('refuses an empty recording', () => {
    expect(() => new Timeline([])).toThrow(/no events/);
  });
});
