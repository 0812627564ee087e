// The bench's divergence arm on real HumanEvalFix tasks: the failing run and the reference
// solution's passing run recorded for real, the prompt with the First divergence section (and none
// of the reference's code), the summary beside the trace arm.
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDataDir, summarize, summaryTable } from '../../../src/core/bench';
import { loadDataset } from '../../../src/core/bench/datasets';
import { createOracleProvider, formatFor } from '../../../src/core/bench/oracle';
import { runTask } from '../../../src/core/bench/runTask';
import type { BenchReport, BenchTask, TaskResult } from '../../../src/core/bench/types';
import type { ChatRequest, ModelProvider } from '../../../src/core/model/client/provider';

const DATA = defaultDataDir() ?? '';
let workDir: string;
beforeAll(() => {
  workDir = mkdtempSync(path.join(os.tmpdir(), 'tfx-bench-div-'));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('the bench divergence arm', () => {
  it('gives the prompt where the buggy run parts from the reference run, without its code', async () => {
    const tasks = await loadDataset('humanevalfix', DATA, '/usr/bin/python3');
    const ids = ['Python/0', 'Python/6'];
    const prompts = new Map<string, ChatRequest[]>();
    const results: TaskResult[] = [];
    for (const id of ids) {
      const task = tasks.find((t) => t.id === id) as BenchTask;
      const providerFor = (t: BenchTask): ModelProvider => {
        const oracle = createOracleProvider(t, formatFor(0));
        return {
          ...oracle,
          complete: (req, o) => {
            prompts.set(t.id, [...(prompts.get(t.id) ?? []), req]);
            return oracle.complete(req, o);
          },
        };
      };
      results.push(
        await runTask(task, {
          python: '/usr/bin/python3',
          arms: ['trace', 'divergence'],
          maxRounds: 1,
          maxToolCalls: 0,
          budget: 6000,
          maxSteps: 5000,
          traceTimeoutMs: 15_000,
          verifyTimeoutMs: 20_000,
          judgeTimeoutMs: 60_000,
          providerFor,
          workDir,
          sandbox: true,
        }),
      );
    }
    for (const r of results) {
      expect(r, r.id).toMatchObject({ fixed: true, divergence: { fixed: true } });
      expect(r.baseline, r.id).toMatchObject({ passed: true, error: null });
      expect(r.baseline?.places, r.id).toBeGreaterThan(0);
    }
    // Python/6: the nesting depth goes down where it should go up, four calls deep.
    expect(results[1]?.baseline?.first).toBe('value');
    const [plain, withDivergence] = (prompts.get('Python/6') ?? []).map(
      (r) => r.messages.find((m) => m.role === 'user')?.content ?? '',
    );
    expect(plain).not.toContain('## First divergence');
    expect(withDivergence).toContain('## First divergence from a passing run');
    expect(withDivergence).toContain(
      "The failing run was compared with the same test run against a correct program (the task's reference solution).",
    );
    expect(withDivergence).toMatch(
      /First divergence: step \(\d+\) at solution.py:\d+ in parse_paren_group#1 `max_depth -= 1` — in the correct run: its step \d+\n {2}max_depth: 1 \(failing\) vs 2 \(correct\)/,
    );
    // Nothing of the reference's code: no changed lines, no "changed" hints.
    expect(withDivergence).not.toContain('Lines changed between');
    expect(withDivergence).not.toMatch(/changed between the two runs|after the change to/);

    const summary = summarize('humanevalfix', 'oracle', results, ['trace', 'divergence'], 1, 1);
    expect(summary.arms.divergence).toMatchObject({ tasks: 2, fixed: 2, passAt1: 1 });
    expect(summary.divergenceEffect).toBe(0);
    expect(summary.baselines?.recorded).toBe(2);
    const report = {
      summary,
      model: { testOnly: true, label: 'oracle' },
      notes: [],
    } as unknown as BenchReport;
    const table = summaryTable(report);
    expect(table).toMatch(/with trace \+ divergence: pass@1\s+100\.0% \(2\/2\)/);
    expect(table).toMatch(
      /divergence effect \(pass@1 with divergence − with trace\)\s+\+0\.0 points/,
    );
  });
});
