// The query tools over hand-made recordings: what each answers, paging and bounds, the unrecorded
// gap of a long run, redaction, and how malformed calls come back to the model. Every trace is also
// read back through the JSON column store (the recorder's own event sequence), which must answer alike.
import { describe, expect, it } from 'vitest';
import { ToolSession, TRACE_TOOLS } from '../../../src/core/tools';
import { parseTrace, traceToJson } from '../../../src/core/trace/json';
import type { Trace } from '../../../src/core/trace/model';
import { TraceBuilder } from '../render/traceBuilder';
import { spreadTrace } from './sampleTrace';

const both = (make: () => Trace): [string, () => Trace][] => [
  ['array', make],
  ['column store', () => parseTrace(traceToJson(make()))],
];

function ask(trace: Trace, name: string, args: unknown, secrets: string[] = []) {
  return new ToolSession(trace, { tools: TRACE_TOOLS, secrets }).call(name, args);
}

describe.each(both(spreadTrace))('query tools (%s)', (_kind, make) => {
  it('variable_history lists every change with step, place and call; pages by step', () => {
    const t = make();
    const a = ask(t, 'variable_history', { name: 'high' });
    expect(a.text).toBe(
      'History of `high`: 3 changes recorded:\n(4) stats.py:3 spread#1 high=3\n(7) stats.py:8 spread#1 high=5\n(9) stats.py:8 spread#1 high=8',
    );
    expect(a.steps).toEqual([4, 7, 9]);
    const page = ask(t, 'variable_history', { name: 'high', limit: 1 });
    expect(page.truncated).toBe(true);
    expect(page.text).toMatch(
      /… 2 more changes not listed \(answer bounded\); ask again with from_step=7 for them\.$/,
    );
    expect(ask(t, 'variable_history', { name: 'high', from_step: 7 }).text).toBe(
      'History of `high`: 3 changes recorded (1 before the requested step not listed):\n(7) stats.py:8 spread#1 high=5\n(9) stats.py:8 spread#1 high=8',
    );
    expect(ask(t, 'variable_history', { name: 'high', line_from: 8, line_to: 8 }).text).toMatch(
      /on lines 8-8: 2 changes/,
    );
    expect(ask(t, 'variable_history', { name: '__return__', function: 'spread' }).text).toMatch(
      /\(10\) stats\.py:9 spread#1 __return__=8/,
    );
    const none = ask(t, 'variable_history', { name: 'hgh', function: 'spread' });
    expect(none.text).toBe(
      'No change of `hgh` was recorded in spread.\nNames changed in spread: values, low, high, v.',
    );
  });

  it('state_at_step: all locals after the step, the line, and the callers with their locals', () => {
    const a = ask(make(), 'state_at_step', { step: 6 });
    expect(a.text).toBe(
      [
        'After step (6): line event at stats.py:4 in spread#1 — it changed v=5.',
        'Line 4: for v in values:',
        'Locals of spread#1: values=[3, 5, 8]; low=0; high=3; v=5',
        'Callers (innermost first):',
        '  test_spread#1 at stats.py:14 (calling spread#1); locals: data=[3, 5, 8]',
      ].join('\n'),
    );
    expect(ask(make(), 'state_at_step', { step: 99 })).toMatchObject({
      error: true,
      text: 'Error: state_at_step: there is no step (99); recorded steps run from (1) to (11).',
    });
  });

  it('line_executions: each run of a line, with "(after k)" for runs that changed nothing', () => {
    expect(ask(make(), 'line_executions', { line: 5 }).text).toBe(
      'stats.py:5 `if v < low:`: 3 executions recorded:\n(after 5) spread#1: no change\n(after 6) spread#1: no change\n(after 8) spread#1: no change',
    );
    expect(ask(make(), 'line_executions', { line: 8, file: 'stats.py' }).text).toMatch(
      /2 executions recorded:\n\(7\) spread#1: high=5\n\(9\) spread#1: high=8/,
    );
    expect(ask(make(), 'line_executions', { line: 6 }).text).toBe(
      'stats.py:6 never ran in the recording (low = v).',
    );
    expect(ask(make(), 'line_executions', { line: 5, file: 'nope.py' }).text).toMatch(
      /^Error: line_executions: no recorded file matches "nope.py"; recorded files: stats.py\.$/,
    );
  });

  it("calls: the tree, one function's calls, and the callers and callees of a step", () => {
    expect(ask(make(), 'calls', {}).text).toBe(
      'Call tree (2 calls recorded; 3 levels shown):\n  test_spread#1() raised AssertionError, steps (start)–(11)\n    spread#1(values=[3, 5, 8]) → 8, steps (2)–(10)',
    );
    expect(ask(make(), 'calls', { function: 'spread' }).text).toBe(
      'Calls of spread: 1 recorded.\nspread#1(values=[3, 5, 8]) → 8, steps (2)–(10); called from stats.py:14 in test_spread#1',
    );
    expect(ask(make(), 'calls', { step: 6 }).text).toBe(
      'Step (6) ran in spread#1(values=[3, 5, 8]) → 8, steps (2)–(10).\nCallers, innermost first: test_spread#1 (stats.py:14).\nIt made no calls into your code.',
    );
    expect(ask(make(), 'calls', { step: 6, function: 'spread' }).text).toBe(
      'Error: calls: give step or function, not both.',
    );
  });

  it('find_first: the first step a condition holds, the values it read, and later ones', () => {
    expect(ask(make(), 'find_first', { condition: 'high > 4' }).text).toBe(
      '`high > 4` first holds after step (7), at stats.py:8 spread#1.\nLine 8: high = v\nValues then: high=5\nIt holds again after (9) (2 in all; from_step=8 finds the next).',
    );
    expect(ask(make(), 'find_first', { condition: 'high > 4', from_step: 8 }).text).toMatch(
      /^`high > 4` first holds after step \(8\), at stats\.py:4 spread#1 \(searching from step \(8\) on\)\./,
    );
    expect(ask(make(), 'find_first', { condition: 'low < 0' }).text).toBe(
      '`low < 0` never holds in the recorded steps.',
    );
    expect(
      ask(make(), 'find_first', { condition: '__return__ == 8', function: 'spread' }).text,
    ).toMatch(/first holds in spread after step \(10\)/);
    expect(
      ask(make(), 'find_first', { condition: "__exception__ contains 'assert'" }).text,
    ).toMatch(/after step \(11\), at stats\.py:14 test_spread#1/);
  });

  it("search_values: steps whose values contain a text, case-insensitive, one variable's only", () => {
    expect(ask(make(), 'search_values', { text: '5' }).steps).toEqual([1, 2, 6, 7, 11]);
    expect(ask(make(), 'search_values', { text: '5', name: 'high' }).text).toBe(
      '"5" found in the values of high at 1 step:\n(7) stats.py:8 spread#1 high=5',
    );
    expect(ask(make(), 'search_values', { text: 'ASSERT' }).text).toMatch(
      /\(11\) stats\.py:14 test_spread#1 __exception__ = AssertionError/,
    );
    expect(ask(make(), 'search_values', { text: 'ASSERT', case_sensitive: true }).text).toMatch(
      /is in no recorded value/,
    );
  });

  it('trace_overview: the program, outcome, size, functions and the NExT text', () => {
    const a = ask(make(), 'trace_overview', { next_budget: 400 });
    expect(a.text).toMatch(
      /^Recording of `python main\.py` \(Python 3\.11\.2, root \/ws\)\.\nOutcome: failed — AssertionError: assert 8 == 5 \(at stats\.py:14\)\./,
    );
    expect(a.text).toMatch(/20 events, steps \(1\)–\(11\), 2 calls\./);
    expect(a.text).toMatch(/high = v {2}# \(7\) high=5; \(9\) high=8;/);
    expect(ask(make(), 'trace_overview', { next_budget: 0 }).text).not.toMatch(/NExT text/);
  });
});

describe('calls from a model come back as answers it can correct', () => {
  const t = spreadTrace();
  it.each([
    [
      'nope',
      {},
      'Error: there is no tool "nope"; the tools are trace_overview, variable_history, state_at_step, line_executions, calls, find_first, search_values, why.',
    ],
    [
      'variable_history',
      '{"name":',
      'Error: variable_history: the arguments are not valid JSON (give an object such as {"name": "x"}).',
    ],
    ['variable_history', '[1]', 'Error: variable_history: the arguments must be a JSON object.'],
    ['variable_history', {}, 'Error: variable_history: name is required.'],
    ['state_at_step', { step: 'six' }, 'Error: state_at_step: step must be a whole number.'],
    ['state_at_step', { step: -1 }, 'Error: state_at_step: step must be at least 0.'],
    [
      'variable_history',
      { name: 'x'.repeat(301) },
      'Error: variable_history: name is longer than 300 characters.',
    ],
    [
      'find_first',
      { condition: 'x = 1' },
      'Error: find_first: condition: use == to compare at column 3.',
    ],
  ])('%s %j', (name, args, text) => {
    expect(ask(t, name, args)).toMatchObject({ text, error: true, steps: [] });
  });

  it('mild mistakes are forgiven: numbers as strings, unknown arguments ignored with a note', () => {
    expect(ask(t, 'state_at_step', '{"step": "6"}').text).toMatch(/^After step \(6\)/);
    expect(ask(t, 'state_at_step', { step: 6, verbose: true }).text).toMatch(
      /^\(ignored unknown argument "verbose"; state_at_step takes step\)\nAfter step \(6\)/,
    );
  });
});

/** A loop whose middle was not recorded: head, gap (elided), tail; steps after it continue past the gap. */
function longRun(): Trace {
  const b = new TraceBuilder().source(
    'loop.py',
    'def count(n):\n    total = 0\n    for i in range(n):\n        total += i\n    return total\n',
  );
  b.call('loop.py', 'count', 1, { n: '1000' }).line(2, { total: '0' });
  for (let i = 0; i < 3; i++)
    b.line(3, { i: String(i) }).line(4, { total: String((i * (i + 1)) / 2) });
  const at = b.events.length;
  for (let i = 997; i < 1000; i++)
    b.line(3, { i: String(i) }).line(4, { total: String((i * (i + 1)) / 2) });
  b.ret(5, '499500');
  const t = b.build();
  const skipped = 1988;
  for (const e of b.events.slice(at)) if (e.step !== null) e.step += skipped;
  t.elided = {
    at,
    events: skipped,
    steps: skipped,
    lines: [
      { file: 'loop.py', line: 3, count: 994 },
      { file: 'loop.py', line: 4, count: 994 },
    ],
    frames: { 1: { n: '1000', total: '3', i: '2' } },
  };
  return t;
}

describe.each(both(longRun))('a long run with an unrecorded middle (%s)', (_kind, make) => {
  it('says which values are unknown rather than answering "never"', () => {
    const h = ask(make(), 'variable_history', { name: 'total' });
    expect(h.text).toMatch(/7 changes recorded/);
    expect(h.text).toMatch(
      /Note: 1988 events \(1988 steps\) between step \(8\) and step \(1997\) were not recorded \(a long run keeps its head and tail\)\. Lines that change it ran 994 more times there \(loop\.py:4 ×994\): its values in that stretch are unknown, not unchanged\./,
    );
    expect(ask(make(), 'line_executions', { line: 4 }).text).toMatch(
      /It also ran 994 times in the part of the long run that was not recorded, between step \(8\) and step \(1997\)/,
    );
    expect(ask(make(), 'state_at_step', { step: 500 }).text).toMatch(
      /^Error: state_at_step: step \(500\) is in the part of the long run that was not recorded/,
    );
    expect(ask(make(), 'find_first', { condition: 'total == 500' }).text).toMatch(
      /never holds in the recorded steps\.\nNote: .*: it may hold in that stretch\./,
    );
    expect(ask(make(), 'find_first', { condition: 'i == 998' }).text).toMatch(
      /first holds after step \(1999\)[\s\S]*it may already have held in that stretch/,
    );
  });

  it("locals after the gap continue from the frame's state at the gap", () => {
    expect(ask(make(), 'state_at_step', { step: 1997 }).text).toMatch(
      /Locals of count#1: n=1000; total=3; i=997/,
    );
  });
});

describe('redaction and bounds', () => {
  function withSecret(): Trace {
    const b = new TraceBuilder().source(
      'app.py',
      'def connect(password):\n    url = make(password)\n    return url\n',
    );
    b.call('app.py', 'connect', 1, { password: "'hunter2-Secret!'" })
      .line(2, { url: "'postgres://admin:s3cr3tPw@db/app'", note: "'key=Zq8vN3xLp2Rt7Wm4Ks9Yb'" })
      .ret(3, "'postgres://admin:s3cr3tPw@db/app'");
    return b.build();
  }

  it('values reach the model redacted, and conditions and searches only see redacted values', () => {
    const t = withSecret();
    const state = ask(t, 'state_at_step', { step: 2 }, ['Zq8vN3xLp2Rt7Wm4Ks9Yb']);
    expect(state.text).toMatch(/password='<redacted>'/);
    expect(state.text).toMatch(/url='postgres:\/\/admin:<redacted>@db\/app'/);
    expect(state.text).not.toMatch(/hunter2|s3cr3tPw|Zq8vN3x/);
    // Guessing the secret gets the same answer as guessing wrong.
    const right = ask(t, 'find_first', { condition: "password == 'hunter2-Secret!'" }).text;
    const wrong = ask(t, 'find_first', { condition: "password == 'letmein-Secret!'" }).text;
    expect(right.replace('hunter2', 'letmein')).toBe(wrong);
    expect(ask(t, 'find_first', { condition: "password != 'hunter2-Secret!'" }).text).toMatch(
      /first holds/,
    );
    expect(ask(t, 'search_values', { text: 's3cr3t' }).text).toMatch(/is in no recorded value/);
    expect(ask(t, 'search_values', { text: 'Zq8vN' }, ['Zq8vN3xLp2Rt7Wm4Ks9Yb']).text).toMatch(
      /is in no recorded value/,
    );
    // What the model may see is searched as it sees it: the placeholder itself is found, the secret not.
    expect(ask(t, 'search_values', { text: 'admin:<redacted>@' }).steps).toEqual([2, 3]);
    expect(ask(t, 'search_values', { text: 'cted>@db' }).steps).toEqual([2, 3]);
    expect(ask(t, 'search_values', { text: 'hunter2' }).text).toMatch(/is in no recorded value/);
  });

  it('an answer never passes the character bound, whatever the values', () => {
    const b = new TraceBuilder().source(
      'big.py',
      'def f():\n    for i in range(10000):\n        s = i\n',
    );
    b.call('big.py', 'f', 1);
    for (let i = 0; i < 3000; i++) b.line(3, { s: `'${'x'.repeat(500)}${i}'` });
    b.ret(3, 'None');
    const session = new ToolSession(b.build(), { tools: TRACE_TOOLS, limits: { maxChars: 4000 } });
    for (const [name, args] of [
      ['variable_history', { name: 's', limit: 200 }],
      ['line_executions', { line: 3, limit: 200 }],
      ['search_values', { text: 'x', limit: 200 }],
      ['state_at_step', { step: 2999 }],
    ] as const) {
      const a = session.call(name, args);
      expect(a.text.length, name).toBeLessThanOrEqual(4000);
      expect(a.text, name).toMatch(/\.\.\./);
    }
  });
});
