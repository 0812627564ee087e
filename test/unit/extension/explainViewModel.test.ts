// What the Explanation view shows in each state of an Explain & Fix run, from the session fed with
// the core's events: the banner names the outcome and the round, unverified rounds are secondary and
// ask before applying, and after apply the view offers re-run and undo, then the later run's result.
import { describe, expect, it } from 'vitest';
import type { FixRound } from '../../../src/core/fix';
import type { VerifyResult } from '../../../src/core/verify/verify';
import { FixSession } from '../../../src/extension/explain/session';
import { viewOf, type ViewContext } from '../../../src/extension/explain/viewModel';
import type { RunPlan } from '../../../src/extension/run/runPlan';
import { TraceBuilder } from '../render/traceBuilder';

const plan: RunPlan = {
  target: { kind: 'pytest', nodeId: 'test_calc.py::test_spread' },
  args: [],
  cwd: '/ws',
  root: '/ws',
  label: 'test_calc.py::test_spread',
  origin: 'test-at-cursor',
};

function trace(low: string) {
  const b = new TraceBuilder().source('stats.py', 'def spread(values):\n    low = 0\n');
  b.call('stats.py', 'spread', 1, { values: '[3, 5, 8]' }).line(2, { low }).line(3, { high: '8' });
  const t = b.build({ status: 'exception', exitCode: 1 });
  t.program = {
    kind: 'pytest',
    target: 'test_calc.py::test_spread',
    args: [],
    cwd: '/ws',
    root: '/ws',
  };
  return t;
}

function verification(passed: boolean, failure = ''): VerifyResult {
  return {
    passed,
    exitCode: passed ? 0 : 1,
    timedOut: false,
    output: '',
    failure,
    command: 'python -m pytest test_calc.py::test_spread',
    sandboxed: true,
    durationMs: 10,
  };
}

function round(index: number, passed: boolean, failure = ''): FixRound {
  const oldText = 'def spread(values):\n    low = 0\n';
  const newText = passed
    ? 'def spread(values):\n    low = values[0]\n'
    : 'def spread(values):\n    low = 1\n';
  return {
    index,
    prompt: [],
    redactions: 0,
    answer: { text: '', finishReason: 'stop', latencyMs: 1 },
    rationale: 'At (2) `low` is 0.',
    summary: passed ? 'start low at the first value' : 'start low at 1',
    steps: [2],
    state: 'ok',
    problems: [],
    patch: {
      files: [
        {
          path: 'stats.py',
          oldText,
          newText,
          baseHash: 'x',
          hunks: [
            {
              startLine: 1,
              endLine: 2,
              oldLines: ['    low = 0'],
              newLines: [newText.split('\n')[1] ?? ''],
              summary: 'line 2',
            },
          ],
          unifiedDiff: '--- a/stats.py\n+++ b/stats.py\n',
          added: 1,
          removed: 1,
        },
      ],
      diff: '--- a/stats.py\n+++ b/stats.py\n',
    },
    changesTests: [],
    verification: verification(passed, failure),
    failure: passed ? '' : failure,
  };
}

function twoRounds(): FixSession {
  const s = new FixSession(1, trace('0'), plan, 3);
  s.providerLabel = 'test-model';
  s.onEvent({ type: 'model-start', round: 1, provider: 'p', messages: [] });
  s.onEvent({
    type: 'rationale-delta',
    round: 1,
    text: 'At (2) `low` is 0.\n\nSummary: start low at 1\n',
  });
  s.onEvent({ type: 'round-done', round: round(1, false, 'assert 7 == 5') });
  s.onEvent({ type: 'trace-start', round: 2, patched: true });
  s.onEvent({ type: 'trace-done', round: 2, patched: true, trace: trace('1'), nextTokens: 10 });
  s.onEvent({ type: 'model-start', round: 2, provider: 'p', messages: [] });
  s.onEvent({
    type: 'rationale-delta',
    round: 2,
    text: 'With the fix, (2) low=1 is still below 3.\n\nSummary: start low at the first value\n',
  });
  return s;
}

describe('viewOf', () => {
  it('while a round streams: a running banner naming the round, the streamed text rendered, no buttons', () => {
    const s = twoRounds();
    const v = viewOf(s);
    expect(v.banner).toMatchObject({
      kind: 'running',
      title: 'Round 2 of up to 3: asking the model…',
      detail: 'Model: test-model.',
    });
    expect(v.rounds[1]).toMatchObject({ state: 'running', actions: [], collapsed: false });
    expect(v.rounds[1]?.blocks.map((b) => b.t)).toEqual(['p', 'summary']);
    expect(v.focusRound).toBe(2);
  });

  it('verified in round 2: the banner says so and offers Apply; round 1 is folded, secondary and asks before applying', () => {
    const s = twoRounds();
    s.onEvent({ type: 'round-done', round: round(2, true) });
    s.finish({
      rounds: [round(1, false), round(2, true)],
      fixed: true,
      patch: null,
      trace: s.trace,
      command: '',
      failure: '',
    });
    const v = viewOf(s);
    expect(v.banner).toMatchObject({
      kind: 'ok',
      title: 'Verified fix · round 2 of 2',
      detail: 'test_spread passes with it: start low at the first value',
    });
    expect(v.banner.actions.map((a) => a.label)).toEqual(['Apply Fix', 'Preview Fix']);
    expect(v.focusRound).toBe(2);
    expect(v.rounds.map((r) => [r.state, r.collapsed])).toEqual([
      ['unverified', true],
      ['verified', false],
    ]);
    expect(v.rounds[0]?.actions.map((a) => a.label)).toEqual([
      'Apply Anyway…',
      'Preview Fix',
      'Show Prompt',
    ]);
    expect(v.rounds[1]?.actions.map((a) => [a.label, a.primary === true])).toEqual([
      ['Apply Fix', true],
      ['Preview Fix', false],
      ['Show Prompt', false],
    ]);
    // The final text is the streamed one (no jump): same blocks, Summary line in place.
    expect(v.rounds[1]?.rationale).toBe(
      'With the fix, (2) low=1 is still below 3.\n\nSummary: start low at the first value',
    );

    s.confirming = 1;
    const asking = viewOf(s).rounds[0];
    expect(asking?.confirm).toMatch(
      /^Round 1's fix was not verified \(assert 7 == 5\)\. It may not fix test_spread/,
    );
    expect(asking?.actions.map((a) => [a.label, a.confirmed === true])).toEqual([
      ['Apply Unverified Fix', true],
      ['Cancel', false],
      ['Preview Fix', false],
      ['Show Prompt', false],
    ]);
  });

  it('after apply: re-run (saving first when unsaved) and undo; no Apply anywhere; then the later run decides the banner', () => {
    const s = twoRounds();
    s.onEvent({ type: 'round-done', round: round(2, true) });
    s.finish({ rounds: [], fixed: true, patch: null, trace: s.trace, command: '', failure: '' });
    s.applied = {
      round: 2,
      at: 0,
      files: [{ uri: 'file:///ws/stats.py', rel: 'stats.py', version: 3 }],
    };
    const ctx: ViewContext = { appliedDirty: true };
    let v = viewOf(s, ctx);
    expect(v.banner).toMatchObject({
      kind: 'info',
      title: "Round 2's fix applied to stats.py (not saved yet)",
    });
    expect(v.banner.actions.map((a) => a.label)).toEqual(['Save and Re-run Test', 'Undo']);
    expect(v.rounds.flatMap((r) => r.actions.map((a) => a.label))).not.toContain('Apply Fix');
    expect(v.rounds.flatMap((r) => r.actions.map((a) => a.label))).not.toContain('Apply Anyway…');
    expect(v.rounds[1]?.applied).toBe(true);

    s.laterRun = { status: 'running', text: '', at: 0 };
    expect(viewOf(s, ctx).banner).toMatchObject({
      kind: 'running',
      title: 'Running test_spread again…',
    });
    s.laterRun = { status: 'passed', text: '', at: 0, withFix: 2 };
    v = viewOf(s, { appliedDirty: false });
    expect(v.banner).toMatchObject({
      kind: 'ok',
      title: "test_spread passes with round 2's fix applied",
    });
    expect(v.banner.actions.map((a) => a.label)).toEqual(['Undo Fix']);
    s.laterRun = { status: 'failed', text: 'AssertionError: assert 7 == 5', at: 0, withFix: 2 };
    expect(viewOf(s).banner).toMatchObject({
      kind: 'error',
      title: "test_spread fails with round 2's fix applied",
    });
  });

  it('a later run of the target without a fix applied (it passes now): said in the banner, the explanation kept', () => {
    const s = twoRounds();
    s.onEvent({ type: 'round-done', round: round(2, false, 'assert 6 == 5') });
    s.finish({ rounds: [], fixed: false, patch: null, trace: s.trace, command: '', failure: '' });
    expect(viewOf(s).banner).toMatchObject({
      kind: 'warn',
      title: 'No verified fix after 2 rounds',
      detail: "Round 2's fix is shown, not verified: assert 6 == 5.",
    });
    s.laterRun = { status: 'passed', text: '', at: 0 };
    const v = viewOf(s);
    expect(v.banner).toMatchObject({ kind: 'ok', title: 'test_spread passes' });
    expect(v.rounds).toHaveLength(2);
  });

  it('step links go to the run the round read (given by the editor)', () => {
    const s = twoRounds();
    const original = { rec: 1, trace: s.trace, label: 'the failing run' };
    const patched = { rec: 2, trace: s.patchedTraces.get(2)!, label: "the run with round 1's fix" };
    const v = viewOf(s, {
      sources: (n) =>
        n === 2 ? { all: [patched, original], own: patched } : { all: [original], own: original },
    });
    const link = (i: number) =>
      v.rounds[i]?.blocks
        .flatMap((b) => (b.t === 'p' ? b.c : []))
        .find((x) => typeof x !== 'string' && x.t === 'step');
    expect(link(0)).toMatchObject({ step: 2, rec: 1 });
    expect(link(1)).toMatchObject({ step: 2, rec: 2 });
    expect(v.rounds[1]?.read).toBe("the run with round 1's fix, and the failing run");
  });

  it('errors and cancellation say so', () => {
    const s = new FixSession(2, trace('0'), plan, 1);
    s.fail(Object.assign(new Error('boom'), {}));
    expect(viewOf(s).banner).toMatchObject({
      kind: 'error',
      title: 'Explain & Fix stopped',
      detail: 'boom',
    });
  });
});
