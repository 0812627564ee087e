// `tracefix bench --tools` as a real process: the tools arm beside the trace arm on real HumanEvalFix
// programs — against the scripted server (a tool call answered from the real recording, then a fix)
// and with the test-only oracle, which calls a tool on every task.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultDataDir,
  loadHumanEvalFix,
  oracleAnswer,
  type BenchReport,
} from '../../../src/core/bench';
import { buildCli, runCli } from '../cliRun';
import { startOpenAIServer, steps } from '../../support/openaiServer';

const DATA = defaultDataDir() ?? '';
let cli: { cli: string; dispose: () => void };
let dir: string;

beforeAll(async () => {
  cli = await buildCli();
  dir = mkdtempSync(path.join(os.tmpdir(), 'tfx-bench-tools-'));
});
afterAll(() => {
  cli.dispose();
  rmSync(dir, { recursive: true, force: true });
});

type Body = { messages: { role: string; content: string | null }[]; tools?: unknown[] };

describe('tracefix bench --tools', () => {
  it('runs the tools arm beside the trace arm; only it offers tools; the report has the tools effect', async () => {
    const tasks = loadHumanEvalFix(DATA).slice(0, 2);
    const [t0, t1] = tasks;
    if (!t0 || !t1) throw new Error('HumanEvalFix data missing');
    const server = await startOpenAIServer([
      steps.answer('No idea.'), // Python/0, trace arm: no code
      steps.tools([{ name: 'calls', arguments: { function: t0.entryPoint } }]), // Python/0, tools arm: asks
      steps.answer(oracleAnswer(t0, 'fenced-tagged', 3)), // … then fixes
      steps.answer(oracleAnswer(t1, 'fenced-plain', 2)), // Python/1, trace arm: fixed
      steps.answer(oracleAnswer(t1, 'fenced-tagged', 2)), // Python/1, tools arm: fixed without calling
    ]);
    try {
      const out = path.join(dir, 'tools.json');
      const r = await runCli(
        cli.cli,
        [
          'bench',
          '--limit',
          '2',
          '--jobs',
          '1',
          '--tools',
          '--max-tool-calls',
          '3',
          '--model',
          'test-model',
          '--out',
          out,
        ],
        process.cwd(),
        { TRACEFIX_BASE_URL: server.url, TRACEFIX_BENCH_DATA: DATA },
      );
      expect(r.stderr).not.toContain('internal error');
      expect(r.code).toBe(0);
      const bodies = server.completions().map((c) => c.body as Body);
      expect(bodies.map((b) => Array.isArray(b.tools))).toEqual([false, true, true, false, true]);
      // The tool's answer came from the recording of Python/0's failing test.
      const answer = bodies[2]?.messages.find((m) => m.role === 'tool')?.content ?? '';
      expect(answer).toMatch(
        new RegExp(
          `^Calls of ${t0.entryPoint}: \\d+ recorded\\.\\n${t0.entryPoint}#1\\(numbers=\\[`,
        ),
      );
      const report = JSON.parse(readFileSync(out, 'utf8')) as BenchReport;
      expect(report.options).toMatchObject({ arms: ['trace', 'tools'], maxToolCalls: 3 });
      expect(report.tasks.map((t) => [t.fixed, t.tools?.fixed, t.tools?.toolCalls])).toEqual([
        [false, true, 1],
        [true, true, 0],
      ]);
      expect(report.summary.arms.tools).toMatchObject({ fixed: 2, passAt1: 1 });
      expect(report.summary.toolsEffect).toBeCloseTo(0.5);
      expect(r.stdout).toMatch(/with trace \+ tools: pass@1\s+100\.0% \(2\/2\)/);
      expect(r.stdout).toMatch(/tools effect \(pass@1 with tools − with trace\)\s+\+50\.0 points/);
      expect(r.stderr).toMatch(/Python\/0: .*with tools: fixed, 1 tool call/);
    } finally {
      await server.close();
    }
  });

  it('the oracle calls a tool on every task of the tools arm; --max-tool-calls needs --tools', async () => {
    const out = path.join(dir, 'oracle.json');
    const r = await runCli(
      cli.cli,
      ['bench', '--model', 'oracle', '--limit', '2', '--tools', '--out', out, '--data', DATA],
      process.cwd(),
      {},
    );
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as BenchReport;
    expect(report.tasks.map((t) => [t.fixed, t.tools?.fixed, t.tools?.toolCalls])).toEqual([
      [true, true, 1],
      [true, true, 1],
    ]);
    const bad = await runCli(
      cli.cli,
      ['bench', '--model', 'oracle', '--max-tool-calls', '2'],
      process.cwd(),
      { TRACEFIX_BENCH_DATA: DATA },
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-tool-calls applies to the tools arm: add --tools.');
  });
});
