// How the Explanation view shows the model's trace tool calls: each call with its arguments and the
// answer it got, the answer's steps linked into the recording that answered (the failing run, or the
// patched run a later round asked), the text written before the calls kept with them, not in the
// rationale; and the one note when the model could not take tools.
import { describe, expect, it } from 'vitest';
import type { ToolCallRecord } from '../../../src/core/fix';
import { FixSession } from '../../../src/extension/explain/session';
import { argsText } from '../../../src/extension/explain/toolCallView';
import { viewOf, type ViewContext } from '../../../src/extension/explain/viewModel';
import type { RunPlan } from '../../../src/extension/run/runPlan';
import { TraceBuilder } from '../render/traceBuilder';

const plan: RunPlan = {
  target: { kind: 'script', path: 'stats.py' },
  args: [],
  cwd: '/ws',
  root: '/ws',
  label: 'stats.py',
  origin: 'file',
};

function trace(first: string) {
  const b = new TraceBuilder().source(
    'stats.py',
    'def spread(values):\n    low = 0\n    high = 1\n',
  );
  b.call('stats.py', 'spread', 1, { values: '[3, 5, 8]' })
    .line(2, { low: first })
    .line(3, { high: '8' });
  return b.build({ status: 'exception', exitCode: 1 });
}

const call = (extra: Partial<ToolCallRecord> = {}): ToolCallRecord => ({
  name: 'variable_history',
  arguments: '{"name":"low","function":"spread"}',
  answer:
    'History of `low` in spread: 1 change recorded:\n(2) stats.py:2 spread#1 low=0\nline 3 ran (after 2).',
  steps: [2],
  truncated: false,
  error: false,
  ...extra,
});

describe('tool calls in the Explanation view', () => {
  it('lists each call with readable arguments and its answer, steps linked to the failing run', () => {
    const failing = trace('0');
    const s = new FixSession(1, failing, plan, 2);
    s.onEvent({ type: 'model-start', round: 1, provider: 'p', messages: [] });
    s.onEvent({ type: 'rationale-delta', round: 1, text: 'Let me check low.' });
    s.onEvent({ type: 'tool-call', round: 1, call: call() });
    s.onEvent({ type: 'rationale-delta', round: 1, text: 'At (2) low is 0.' });
    const ctx: ViewContext = {
      sources: () => ({
        all: [{ rec: 7, trace: failing, label: 'the failing run' }],
        own: { rec: 7, trace: failing, label: 'the failing run' },
      }),
    };
    const r = viewOf(s, ctx).rounds[0]!;
    expect(r.rationale).toBe('At (2) low is 0.');
    expect(r.toolCalls).toHaveLength(1);
    const c = r.toolCalls[0]!;
    expect(c).toMatchObject({
      name: 'variable_history',
      args: 'name="low", function="spread"',
      said: 'Let me check low.',
      error: false,
      truncated: false,
    });
    expect(c.lines[1]).toEqual([
      {
        t: 'step',
        step: 2,
        rec: 7,
        text: '(2)',
        title: 'Step 2 of the failing run: select it in the timeline and show its line',
      },
      ' stats.py:2 spread#1 low=0',
    ]);
    expect(c.lines[2]).toEqual([
      'line 3 ran ',
      {
        t: 'step',
        step: 2,
        rec: 7,
        text: '(after 2)',
        title: expect.any(String) as unknown as string,
      },
      '.',
    ]);
  });

  it("a later round's call on the patched run links into that run; steps it does not have stay text", () => {
    const failing = trace('0');
    const patched = trace('3');
    const s = new FixSession(2, failing, plan, 2);
    s.onEvent({ type: 'model-start', round: 2, provider: 'p', messages: [] });
    s.onEvent({
      type: 'tool-call',
      round: 2,
      call: call({ run: 'patched', answer: '(3) high=8\n(99) nothing' }),
    });
    const sources = {
      all: [
        { rec: 9, trace: patched, label: "the run with round 1's fix" },
        { rec: 7, trace: failing, label: 'the failing run' },
      ],
      own: { rec: 9, trace: patched, label: "the run with round 1's fix" },
    };
    const c = viewOf(s, { sources: () => sources }).rounds[0]!.toolCalls[0]!;
    expect(c.lines[0]?.[0]).toMatchObject({ t: 'step', step: 3, rec: 9 });
    expect(c.lines[1]).toEqual(['(99) nothing']);
  });

  it('says once that the model does not take tools', () => {
    const s = new FixSession(3, trace('0'), plan, 2);
    s.providerLabel = 'llama3 (127.0.0.1)';
    s.onEvent({
      type: 'tools-unavailable',
      round: 1,
      reason: 'HTTP 400: does not support tools',
      messages: [],
    });
    expect(viewOf(s).rounds[0]?.notes).toEqual([
      'llama3 (127.0.0.1) does not take tool calls (HTTP 400: does not support tools), so it was asked without the trace tools.',
    ]);
  });

  it('arguments: JSON objects read as name=value, anything else as written (cut)', () => {
    expect(argsText('{"step": 12}')).toBe('step=12');
    expect(argsText('{"name": ')).toBe('{"name": ');
    expect(argsText('x'.repeat(400))).toHaveLength(301);
  });
});
