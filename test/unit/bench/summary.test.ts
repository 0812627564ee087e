import { describe, expect, it } from 'vitest';
import { percentile, summarize } from '../../../src/core/bench/summary';
import { progressBar, progressLine, summaryTable } from '../../../src/core/bench/format';
import { notesFor } from '../../../src/core/bench/runBench';
import type { ArmResult, BenchReport, TaskResult } from '../../../src/core/bench/types';

function task(
  id: string,
  bugType: string,
  arm: Partial<ArmResult>,
  extra: Partial<TaskResult> = {},
): TaskResult {
  return {
    id,
    bugType,
    symptom: 'incorrect output',
    traced: true,
    traceStatus: 'exception',
    traceEngine: 'fast',
    traceEvents: 10,
    traceMs: 100,
    traceTokens: 50,
    fixed: false,
    rounds: 1,
    fixedRound: null,
    promptTokens: 1000,
    promptTokensReported: null,
    modelLatencyMs: 10,
    failureCause: null,
    error: null,
    totalMs: 200,
    ...arm,
    ...extra,
  };
}

describe('bench summary', () => {
  it('percentile: nearest rank over the numbers only', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([null, 3, 1, 2], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(
      percentile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        95,
      ),
    ).toBe(95);
  });

  it('pass@1, per-round gains, bug types, failures by cause, and the NExT effect', () => {
    const noFix: ArmResult = {
      fixed: false,
      rounds: 1,
      fixedRound: null,
      promptTokens: 500,
      promptTokensReported: null,
      modelLatencyMs: 5,
      failureCause: 'tests-fail',
      error: 'x',
    };
    const tasks = [
      task(
        'a',
        'value misuse',
        { fixed: true, fixedRound: 1 },
        { noTrace: { ...noFix, fixed: true, fixedRound: 1, failureCause: null } },
      ),
      task('b', 'value misuse', { fixed: true, fixedRound: 2, rounds: 2 }, { noTrace: noFix }),
      task(
        'c',
        'excess logic',
        { fixed: false, failureCause: 'no-usable-patch' },
        { noTrace: noFix },
      ),
      task(
        'd',
        'excess logic',
        { fixed: false, failureCause: 'trace-failed' },
        {
          traced: false,
          traceMs: null,
          traceTokens: null,
          noTrace: { ...noFix, failureCause: 'trace-failed' },
        },
      ),
    ];
    const s = summarize('humanevalfix', 'm', tasks, ['trace', 'noTrace'], 2, 1234);
    expect(s.traced).toBe(3);
    expect(s.traceSuccessRate).toBe(0.75);
    const t = s.arms.trace;
    expect(t?.passAt1).toBe(0.25);
    expect(t?.fixRate).toBe(0.5);
    expect(t?.perRound).toEqual([
      { round: 1, fixed: 1, cumulativeRate: 0.25, gain: 0.25 },
      { round: 2, fixed: 1, cumulativeRate: 0.5, gain: 0.25 },
    ]);
    expect(t?.byBugType).toEqual({
      'value misuse': { tasks: 2, fixed: 2, rate: 1 },
      'excess logic': { tasks: 2, fixed: 0, rate: 0 },
    });
    expect(t?.failures).toEqual({ 'no-usable-patch': 1, 'trace-failed': 1 });
    expect(s.arms.noTrace?.passAt1).toBe(0.25);
    expect(s.arms.noTrace?.failures).toEqual({ 'tests-fail': 2, 'trace-failed': 1 });
    expect(s.arms.noTrace?.promptTokens.median).toBe(500);
    expect(s.nextEffect).toBe(0);

    const only = summarize('humanevalfix', 'm', tasks, ['noTrace'], 1, 1);
    expect(only.arms.trace).toBeUndefined();
    expect(only.arms.noTrace?.fixed).toBe(2); // the main fields hold the no-trace arm in a --no-trace run
    expect(only.nextEffect).toBeNull();
  });

  it('table and progress name the oracle as test-only and show the figures', () => {
    const tasks = [
      task('Python/0', 'value misuse', { fixed: true, fixedRound: 1 }),
      task('Python/1', 'excess logic', { failureCause: 'tests-fail', error: 'AssertionError' }),
    ];
    const report: BenchReport = {
      schema: 'tracefix.bench',
      version: 1,
      createdAt: '',
      dataset: 'humanevalfix',
      data: '/d',
      model: { name: 'oracle', label: 'oracle (test-only)', baseURL: null, testOnly: true },
      options: {
        limit: 2,
        jobs: 2,
        rounds: 1,
        arms: ['trace'],
        budget: 6000,
        maxSteps: 1,
        traceTimeoutMs: 1,
        verifyTimeoutMs: 1,
        judgeTimeoutMs: 1,
      },
      interpreter: null,
      notes: notesFor('humanevalfix', true),
      summary: summarize('humanevalfix', 'oracle (test-only)', tasks, ['trace'], 1, 5000),
      tasks,
    };
    const text = summaryTable(report);
    expect(text).toContain('oracle (test-only) — measures the pipeline, not a model');
    expect(text).toMatch(/with trace: pass@1\s+50\.0% \(1\/2\)/);
    expect(text).toMatch(/failures by cause\s+tests-fail 1/);
    expect(text).toMatch(/value misuse\s+1\s+1 \(100\.0%\)/);
    expect(text).toContain('note: Model: oracle (test-only).');
    expect(progressBar({ done: 1, total: 4, traced: 1, fixed: 0, elapsedMs: 61_000 }, 8)).toBe(
      '[##------] 1/4  traced 1  fixed 0  1:01',
    );
    expect(progressLine(tasks[1] as TaskResult, 2, 2)).toBe(
      '[2/2] Python/1: traced (exception, 10 events, 100 ms); not fixed: tests-fail — AssertionError',
    );
  });
});
