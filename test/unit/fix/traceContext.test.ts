import { describe, expect, it } from 'vitest';
import { promptFiles, taskOf, traceErrorText, traceFailure, tracePassed } from '../../../src/core/fix/traceContext';
import { DEFAULT_LIMITS, TRACE_SCHEMA, TRACE_SCHEMA_VERSION, type Trace, type TraceEvent, type TraceOutcome } from '../../../src/core/trace/model';

const AVERAGE = 'def average(xs):\n    """Return the arithmetic mean of xs."""\n    return sum(xs) / (len(xs) + 1)\n\n\nresult = average([2, 4])\nassert result == 3, result\n';
const HELPER = 'def unused():\n    pass\n';

function ev(i: number, kind: TraceEvent['kind'], file: string, line: number, fn: string): TraceEvent {
  return { index: i, step: i, kind, file, line, function: fn, depth: fn === '<module>' ? 0 : 1, callId: 1, callIndex: 1, changed: {} };
}

function trace(outcome: Partial<TraceOutcome>, output = '', kind: Trace['program']['kind'] = 'script'): Trace {
  return {
    schema: TRACE_SCHEMA,
    version: TRACE_SCHEMA_VERSION,
    engine: 'logpoint',
    createdAt: '2026-01-01T00:00:00Z',
    program: { kind, target: 'average.py', args: [], cwd: '/p', root: '/p' },
    interpreter: { path: '/usr/bin/python3', version: '3.12', debugpyVersion: '1.6', debugpyPath: '/x' },
    limits: DEFAULT_LIMITS,
    outcome: { status: 'completed', exitCode: 0, durationMs: 1, startupMs: 1, eventCount: 4, partial: false, ...outcome },
    sources: [{ path: 'helper.py', text: HELPER }, { path: 'average.py', text: AVERAGE }],
    events: [ev(0, 'line', 'average.py', 6, '<module>'), ev(1, 'call', 'average.py', 1, 'average'), ev(2, 'return', 'average.py', 3, 'average'), ev(3, 'exception', 'average.py', 7, '<module>')],
    output: output ? [{ stream: 'stderr', text: output, afterEvent: 4 }] : [],
  };
}

const TB = 'Traceback (most recent call last):\n  File "/p/average.py", line 7, in <module>\n    assert result == 3, result\nAssertionError: 2.0\n';

describe('trace context for the prompt', () => {
  it('knows a passing run from a failing one', () => {
    expect(tracePassed(trace({}))).toBe(true);
    expect(tracePassed(trace({ exitCode: 1, status: 'exception' }))).toBe(false);
    expect(tracePassed(trace({ status: 'timeout', exitCode: null }))).toBe(false);
    expect(tracePassed(trace({ testPassed: false }, '', 'pytest'))).toBe(false);
  });

  it('summarises the failure from the output, else from the recorded exception', () => {
    expect(traceFailure(trace({ status: 'exception', exitCode: 1 }, TB))).toBe('AssertionError: 2.0');
    const noOutput = trace({ status: 'exception', exitCode: 1, exception: { type: 'AssertionError', message: '2.0', repr: "AssertionError('2.0')", file: 'average.py', line: 7 } });
    expect(traceFailure(noOutput)).toBe('AssertionError: 2.0 (at average.py:7)');
    expect(traceFailure(trace({ status: 'timeout', exitCode: null }))).toMatch(/^timed out after 20 s/);
    expect(traceFailure(trace({}))).toBe('');
  });

  it('quotes the end of the output with the summary', () => {
    const t = trace({ status: 'exception', exitCode: 1 }, `${'noise\n'.repeat(100)}${TB}`);
    const text = traceErrorText(t);
    expect(text.endsWith(TB.trimEnd())).toBe(true);
    expect(text.split('\n')).toHaveLength(40);
    // Output without the summary line gets it prepended.
    const quiet = trace({ status: 'exception', exitCode: 1, exception: { type: 'ValueError', message: 'bad', repr: "ValueError('bad')" } }, 'step 1\n');
    expect(traceErrorText(quiet)).toBe('ValueError: bad\n\nstep 1');
  });

  it('lists the files in the order the run entered them', () => {
    const t = trace({ exitCode: 1 });
    t.events = t.events.filter((e) => e.file === 'average.py');
    expect(promptFiles(t).map((f) => f.path)).toEqual(['average.py', 'helper.py']);
  });

  it('states the task of a script from the function the failure points at', () => {
    const t = trace({ status: 'exception', exitCode: 1 }, TB);
    const task = taskOf(t, promptFiles(t));
    expect(task).toContain('Function under test: average(xs) (average.py)');
    expect(task).toContain('Return the arithmetic mean of xs.');
  });
});
