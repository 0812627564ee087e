// `tracefix bench` as a real process (the CLI bundled as scripts/build.mjs does) against the
// scripted OpenAI-protocol server on 127.0.0.1: 5 HumanEvalFix tasks with and without the trace in
// the prompt (--ablation), one task at a time so the scripted answers meet their tasks in order.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBundle } from '../../../scripts/esbuild-options.mjs';
import {
  defaultDataDir,
  loadHumanEvalFix,
  oracleAnswer,
  type BenchReport,
} from '../../../src/core/bench';
import { startOpenAIServer, steps, type OpenAIServer } from '../../support/openaiServer';

const ROOT = path.resolve(__dirname, '../../..');
const DATA = defaultDataDir() ?? '';
let dir: string;
let cli: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tfx-cli-bench-'));
  cli = path.join(dir, 'cli.js');
  await esbuild.build({
    ...nodeBundle,
    absWorkingDir: ROOT,
    entryPoints: ['src/cli/main.ts'],
    outfile: cli,
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tracefix(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean = { ...process.env };
  for (const k of ['OPENAI_API_KEY', 'TRACEFIX_BASE_URL', 'TRACEFIX_MODEL', 'TRACEFIX_BENCH_DATA'])
    delete clean[k];
  return new Promise((resolve, reject) => {
    // The test bundle lives in a temp folder with no benchmarks/ beside it: name the repository's.
    const p = spawn(process.execPath, [cli, ...args], {
      cwd: ROOT,
      env: { ...clean, TRACEFIX_BENCH_DATA: DATA, ...env },
    });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    p.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function userMessage(s: OpenAIServer, i: number): string {
  const body = s.completions()[i]?.body as
    { messages: { role: string; content: string }[] } | undefined;
  return body?.messages.find((m) => m.role === 'user')?.content ?? '';
}

describe('tracefix bench (CLI) through the loopback OpenAI-compatible server', () => {
  it('5 tasks, --ablation: fixes, failures by cause and the NExT effect come from the real answers', async () => {
    const tasks = loadHumanEvalFix(DATA).slice(0, 5);
    const [t0, t1, t2, t3, t4] = tasks;
    if (!t0 || !t1 || !t2 || !t3 || !t4) throw new Error('HumanEvalFix data missing');
    const wrong =
      '`has_close_elements` compares the wrong values.\n\nSummary: compare with <=.\n\n```python solution.py\n' +
      t3.program.replace(/\n*$/, '\n') +
      '```\n';
    const server = await startOpenAIServer([
      steps.answer(oracleAnswer(t0, 'fenced-tagged', 4)), // Python/0 with trace: fixed
      steps.answer(wrong), // Python/0 without trace: code unchanged → not fixed
      steps.answer('The loop looks off but I am not sure how to fix it.'), // Python/1 with trace: no code
      steps.answer(oracleAnswer(t1, 'fenced-plain', undefined)), // Python/1 without trace: fixed
      steps.answer(oracleAnswer(t2, 'unified-diff', 2)), // Python/2 with trace: fixed
      steps.answer(oracleAnswer(t2, 'crlf', undefined)), // Python/2 without trace: fixed
      steps.contextLength(), // Python/3 with trace: model error (this task only)
      steps.answer(oracleAnswer(t3, 'fenced-tagged', undefined)), // Python/3 without trace: fixed
      steps.answer(oracleAnswer(t4, 'crlf', 5)), // Python/4 with trace: fixed
      steps.answer(oracleAnswer(t4, 'fenced-tagged', undefined), { finishReason: 'length' }), // cut off: no usable patch
    ]);
    try {
      const out = path.join(dir, 'report.json');
      const r = await tracefix(
        [
          'bench',
          '--dataset',
          'humanevalfix',
          '--limit',
          '5',
          '--jobs',
          '1',
          '--ablation',
          '--model',
          'test-model',
          '--out',
          out,
        ],
        { TRACEFIX_BASE_URL: server.url, TRACEFIX_BENCH_DATA: DATA },
      );
      expect(r.stderr).not.toContain('internal error');
      expect(r.code).toBe(0);
      expect(server.completions()).toHaveLength(10);
      for (const i of [0, 2, 4, 6, 8])
        expect(userMessage(server, i)).toContain(
          '## Execution trace of the failing run (NExT format)',
        );
      for (const i of [1, 3, 5, 7, 9])
        expect(userMessage(server, i)).not.toContain('Execution trace');
      expect(userMessage(server, 0)).toContain('def has_close_elements');

      const report = JSON.parse(readFileSync(out, 'utf8')) as BenchReport;
      expect(report.model).toMatchObject({
        name: 'test-model',
        baseURL: server.url,
        testOnly: false,
      });
      expect(report.tasks.map((t) => [t.id, t.traced, t.fixed, t.noTrace?.fixed])).toEqual([
        ['Python/0', true, true, false],
        ['Python/1', true, false, true],
        ['Python/2', true, true, true],
        ['Python/3', true, false, true],
        ['Python/4', true, true, false],
      ]);
      const [r0, r1, , r3, r4] = report.tasks;
      expect(r1).toMatchObject({ failureCause: 'no-usable-patch', rounds: 1 });
      expect(r3).toMatchObject({ failureCause: 'model-error', rounds: 0 });
      expect(r3?.error).toMatch(/context/i);
      expect(r4?.noTrace?.failureCause).toBe('no-usable-patch');
      expect(['tests-fail', 'no-usable-patch']).toContain(r0?.noTrace?.failureCause);
      expect(r0?.promptTokensReported).toBe(10); // the server's usage
      for (const t of report.tasks) expect(t.traceTokens, t.id).toBeGreaterThan(0);

      const s = report.summary;
      expect(s.arms.trace).toMatchObject({
        fixed: 3,
        passAt1: 0.6,
        failures: { 'no-usable-patch': 1, 'model-error': 1 },
      });
      expect(s.arms.noTrace).toMatchObject({ fixed: 3, passAt1: 0.6 });
      expect(s.nextEffect).toBeCloseTo(0);
      expect(r.stdout).toMatch(/with trace: pass@1\s+60\.0% \(3\/5\)/);
      expect(r.stdout).toMatch(/without trace: pass@1\s+60\.0% \(3\/5\)/);
      expect(r.stdout).not.toContain('oracle');
      // Not a terminal: one plain progress line per task, no redrawn bar.
      expect(r.stderr.match(/^tracefix bench: \[\d\/5\] Python\/\d: traced/gm)).toHaveLength(5);
      expect(r.stderr).not.toContain('\r');
    } finally {
      await server.close();
    }
  });

  it('--model oracle is labelled test-only in the progress, the table and the report; bad arguments exit 2', async () => {
    const out = path.join(dir, 'oracle.json');
    const r = await tracefix(
      ['bench', '--model', 'oracle', '--limit', '2', '--out', out, '--data', DATA],
      {},
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('tracefix bench [oracle (test-only)]: [2/2]');
    expect(r.stdout).toContain('oracle (test-only) — measures the pipeline, not a model');
    const report = JSON.parse(readFileSync(out, 'utf8')) as BenchReport;
    expect(report.model.label).toBe('oracle (test-only)');
    expect(report.summary.model).toBe('oracle (test-only)');
    expect(report.summary.arms.trace?.fixed).toBe(2);

    const bad = await tracefix(['bench', '--dataset', 'nope', '--model', 'oracle'], {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--dataset must be one of humanevalfix, humanevalfix-plus, mbpp');
    // A rejected key would fail every task: the run stops at the first answer with exit 2.
    const server = await startOpenAIServer([steps.unauthorized(), steps.unauthorized()]);
    try {
      const denied = await tracefix(
        ['bench', '--limit', '3', '--jobs', '1', '--model', 'test-model'],
        { TRACEFIX_BASE_URL: server.url, TRACEFIX_BENCH_DATA: DATA },
      );
      expect(denied.code).toBe(2);
      expect(denied.stderr).toMatch(/tracefix: .*(API key|401)/i);
      expect(server.completions()).toHaveLength(1);
    } finally {
      await server.close();
    }
    const noModel = await tracefix(['bench', '--limit', '1'], {});
    expect(noModel.code).toBe(2);
    expect(noModel.stderr).toContain('No model configured');
  });
});
