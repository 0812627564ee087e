// `tracefix fix` with the trace tools, as a real process against the scripted server: the calls and
// answers in --show-prompt and --json, one stderr line per call otherwise, --max-tool-calls 0 /
// --no-tools (no tools offered), --prompt-only naming the tools, and a server refusing tools.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildCli, runCli } from '../cliRun';
import { RIGHT_FIX } from '../fix/answers';
import { startOpenAIServer, steps, type OpenAIServer } from '../../support/openaiServer';

const FIXTURE = path.resolve(__dirname, '../../fixtures/fix/average');
const TEST = 'tests/test_average.py::test_average';
let cli: { cli: string; dispose: () => void };
let tmp: string;
let ws: string;

beforeAll(async () => {
  cli = await buildCli();
});
afterAll(() => cli.dispose());
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'tfx-cli-tools-'));
  ws = path.join(tmp, 'average');
  cpSync(FIXTURE, ws, { recursive: true });
  return () => rmSync(tmp, { recursive: true, force: true });
});

type Body = {
  messages: { role: string; content: string | null }[];
  tools?: { function: { name: string } }[];
};

async function fix(
  args: string[],
  script: Parameters<typeof startOpenAIServer>[0],
): Promise<{ r: Awaited<ReturnType<typeof runCli>>; server: OpenAIServer }> {
  const server = await startOpenAIServer(script);
  try {
    const r = await runCli(cli.cli, ['fix', '--test', TEST, '--rounds', '1', ...args], ws, {
      TRACEFIX_BASE_URL: server.url,
      TRACEFIX_MODEL: 'test-model',
    });
    return { r, server };
  } finally {
    await server.close();
  }
}

const HISTORY = steps.tools([
  { name: 'variable_history', arguments: { name: 'total', function: 'average' } },
]);

describe('tracefix fix with trace tools', () => {
  it('--show-prompt prints each call and the answer the model got, between the prompt and the answer', async () => {
    const { r, server } = await fix(['--show-prompt'], [HISTORY, steps.answer(RIGHT_FIX)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /===== end of prompt =====\ntools offered with it: variable_history, state_at_step, line_executions, calls, find_first, search_values, why\n/,
    );
    expect(r.stdout).toMatch(
      /----- tool call \(round 1\): variable_history \{"name":"total","function":"average"\} -----\nHistory of `total` in average: 4 changes recorded:\n\(1\) average\.py:3 average#1 total=0\n[\s\S]*\(7\) average\.py:5 average#1 total=12\n----- end of tool answer -----/,
    );
    expect(r.stdout.indexOf('----- tool call')).toBeLessThan(r.stdout.indexOf('Summary: Divide'));
    expect(r.stdout).toContain('verified: test passes');
    expect(server.completions()).toHaveLength(2);
  });

  it('--json has rounds[].toolCalls; without --show-prompt one stderr line per call', async () => {
    const json = await fix(['--json'], [HISTORY, steps.answer(RIGHT_FIX)]);
    expect(json.r.code).toBe(0);
    const out = JSON.parse(json.r.stdout) as {
      rounds: {
        toolCalls: {
          name: string;
          arguments: string;
          answer: string;
          steps: number[];
          error: boolean;
        }[];
      }[];
    };
    const calls = out.rounds[0]!.toolCalls;
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ name: 'variable_history', error: false, steps: [1, 3, 5, 7] });
    expect(calls[0]?.answer).toMatch(/total=12/);
    const plain = await fix([], [HISTORY, steps.answer(RIGHT_FIX)]);
    expect(plain.r.stderr).toContain(
      'tracefix: asked the recording: variable_history {"name":"total","function":"average"}\n',
    );
  });

  it('--no-tools and --max-tool-calls 0 offer no tools; --prompt-only says which tools go with the prompt', async () => {
    for (const flag of [['--no-tools'], ['--max-tool-calls', '0']]) {
      const { r, server } = await fix(flag, [steps.answer(RIGHT_FIX)]);
      expect(r.code).toBe(0);
      const body = server.completions()[0]?.body as Body;
      expect(body.tools).toBeUndefined();
      expect(body.messages[0]?.content).not.toMatch(/Tools:/);
    }
    const p = await runCli(cli.cli, ['fix', '--test', TEST, '--prompt-only', '--json'], ws, {});
    expect(p.code).toBe(0);
    const prompt = JSON.parse(p.stdout) as {
      tools: { name: string; inputSchema: unknown }[];
      prompt: { content: string }[];
    };
    expect(prompt.tools.map((t) => t.name)).toEqual([
      'variable_history',
      'state_at_step',
      'line_executions',
      'calls',
      'find_first',
      'search_values',
      'why',
    ]);
    expect(prompt.prompt[0]?.content).toMatch(
      /Tools: you can query the complete recording of the failing run with the tools you are given \(up to 8 calls/,
    );
    const bad = await runCli(cli.cli, ['fix', '--test', TEST, '--max-tool-calls', '2.5'], ws, {
      TRACEFIX_BASE_URL: 'http://127.0.0.1:9/v1',
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /--max-tool-calls must be a whole number of calls from 0 to 50 \(got 2\.5\)/,
    );
  });

  it('a server that refuses tools: one note, the plain prompt shown again, the fix still verified', async () => {
    const server = await startOpenAIServer({
      steps: [steps.answer(RIGHT_FIX)],
      rejectTools: 'registry.ollama.ai/library/test-model does not support tools',
    });
    try {
      const r = await runCli(cli.cli, ['fix', '--test', TEST, '--show-prompt'], ws, {
        TRACEFIX_BASE_URL: server.url,
        TRACEFIX_MODEL: 'test-model',
      });
      expect(r.code).toBe(0);
      expect(r.stderr.match(/does not take tool calls/g)).toHaveLength(1);
      expect(r.stderr).toMatch(
        /tracefix: note: test-model \(127\.0\.0\.1:\d+\) does not take tool calls \(HTTP 400: registry\.ollama\.ai\/library\/test-model does not support tools\); asking without the trace tools/,
      );
      expect(r.stdout.match(/===== prompt \(round 1\) =====/g)).toHaveLength(2);
      expect(r.stdout).toContain('verified: test passes');
    } finally {
      await server.close();
    }
  });
});
