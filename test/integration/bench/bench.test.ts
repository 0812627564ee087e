// The bench harness end to end on real HumanEvalFix / HumanEval+ / MBPP tasks: real debugpy traces,
// real verification runs, the test-only oracle provider (in-process). The loopback-server run of
// the CLI is in cli-bench.test.ts.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, runBench } from '../../../src/core/bench';
import { processesMentioning } from '../../support/python';

const DATA = defaultDataDir() ?? '';

describe('tracefix bench with the oracle (test-only) provider', () => {
  it('5 HumanEvalFix tasks incl. the infinite loops and the stack overflow: all traced (partial at the limits), all verified', async () => {
    const ids = ['Python/0', 'Python/10', 'Python/44', 'Python/76', 'Python/156'];
    const done: string[] = [];
    const workDir = mkdtempSync(path.join(os.tmpdir(), 'tfx-bench-work-'));
    const report = await runBench({
      dataset: 'humanevalfix',
      dataDir: DATA,
      model: { name: 'oracle', baseURL: null },
      ids,
      jobs: 2,
      maxSteps: 5000,
      traceTimeoutMs: 15_000,
      workDir,
      onTaskDone: (r) => done.push(r.id),
    });
    expect(done.sort()).toEqual([...ids].sort());
    expect(report.model).toMatchObject({
      name: 'oracle',
      label: 'oracle (test-only)',
      testOnly: true,
    });
    expect(report.notes[0]).toContain('oracle (test-only)');
    expect(report.tasks.map((t) => t.id)).toEqual(ids);
    for (const t of report.tasks) {
      expect(t, t.id).toMatchObject({
        traced: true,
        fixed: true,
        rounds: 1,
        fixedRound: 1,
        failureCause: null,
        error: null,
      });
      expect(t.traceMs).toBeGreaterThan(0);
      expect(t.traceTokens).toBeGreaterThan(0);
      expect(t.promptTokens).toBeGreaterThan(t.traceTokens ?? 0);
      expect(t.modelLatencyMs).not.toBeNull();
    }
    const byId = new Map(report.tasks.map((t) => [t.id, t]));
    expect(byId.get('Python/0')?.traceStatus).toBe('exception');
    // The unbounded loop (156) and recursion (10) end at the limits. 44 and 76 loop forever only on
    // inputs after the first failing assertion, so their traces end at that assertion.
    for (const id of ['Python/10', 'Python/156'])
      expect(['step-limit', 'timeout'], id).toContain(byId.get(id)?.traceStatus);
    for (const id of ['Python/44', 'Python/76'])
      expect(byId.get(id)?.traceStatus, id).toBe('exception');
    const s = report.summary;
    expect(s).toMatchObject({ tasks: 5, traced: 5, traceSuccessRate: 1, nextEffect: null });
    expect(s.arms.trace).toMatchObject({ passAt1: 1, fixRate: 1, fixed: 5, failures: {} });
    expect(s.arms.trace?.byBugType['missing logic']).toEqual({ tasks: 3, fixed: 3, rate: 1 }); // Python/0, 10 and 156
    expect(s.traceMs.median).toBeGreaterThan(0);
    // Every debuggee and verification run of these tasks has ended, and their folders are gone.
    expect(processesMentioning(workDir)).toEqual([]);
    expect(readdirSync(workDir)).toEqual([]);
    rmSync(workDir, { recursive: true, force: true });
  });

  it('a program stuck inside one line (Python/160: a huge eval) keeps what ran before it: partial trace, fixed', async () => {
    const report = await runBench({
      dataset: 'humanevalfix',
      dataDir: DATA,
      model: { name: 'oracle', baseURL: null },
      ids: ['Python/160'],
      traceTimeoutMs: 4000,
    });
    // The records made before the program got stuck were sent as they were made (no stepping re-record needed).
    expect(report.tasks[0]).toMatchObject({
      id: 'Python/160',
      traced: true,
      traceStatus: 'timeout',
      traceEngine: 'fast',
      fixed: true,
    });
    expect(report.tasks[0]?.traceEvents).toBeGreaterThan(10);
  });

  it("HumanEvalFix-Plus: fixes are judged by HumanEval+ (numpy or its stand-in); HumanEval/32's broken harness fails the judge", async () => {
    const report = await runBench({
      dataset: 'humanevalfix-plus',
      dataDir: DATA,
      model: { name: 'oracle', baseURL: null },
      ids: ['Python/0', 'Python/32'],
      jobs: 2,
    });
    const [t0, t32] = report.tasks;
    expect(t0).toMatchObject({ id: 'Python/0', traced: true, fixed: true, failureCause: null });
    expect(t32).toMatchObject({
      id: 'Python/32',
      traced: true,
      fixed: false,
      failureCause: 'judge-fail',
    });
    expect(t32?.error).toMatch(/Error/);
    expect(report.notes.join(' ')).toContain('HumanEval+');
  });

  it('MBPP: stubs of the reference programs fail their test_list, are traced, and the oracle completes them', async () => {
    const report = await runBench({
      dataset: 'mbpp',
      dataDir: DATA,
      model: { name: 'oracle', baseURL: null },
      limit: 3,
      jobs: 2,
      arms: ['trace', 'noTrace'],
    });
    expect(report.tasks.map((t) => t.id)).toEqual(['Mbpp/2', 'Mbpp/3', 'Mbpp/4']);
    for (const t of report.tasks) {
      expect(t, t.id).toMatchObject({
        bugType: 'stub',
        traced: true,
        traceStatus: 'exception',
        fixed: true,
      });
      expect(t.noTrace, t.id).toMatchObject({ fixed: true, fixedRound: 1 });
      // Without the trace the prompt is shorter on the same task.
      expect(t.noTrace?.promptTokens ?? 0).toBeLessThan(t.promptTokens ?? 0);
    }
    expect(report.summary.nextEffect).toBe(0);
    expect(report.notes.join(' ')).toContain('MBPP holds no buggy programs');
  });
});
