// Explain & Fix with the trace tools: a real recording of the `average` fixture, the real `openai`
// client against the scripted server answering with tool calls (non-streamed and streamed), then a
// fix that is really verified. The requests after the calls must carry the recorded values.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { explainAndFix, type FixEvent } from '../../../src/core/fix';
import { createOpenAIProvider } from '../../../src/core/model/client/openaiProvider';
import type { RecordOptions } from '../../../src/core/trace/options';
import { RIGHT_FIX } from '../fix/answers';
import {
  startOpenAIServer,
  steps,
  type OpenAIServer,
  type ScriptStep,
} from '../../support/openaiServer';

const FIXTURE = path.resolve(__dirname, '../../fixtures/fix/average');
let user: string;
let server: OpenAIServer | undefined;

beforeEach(() => {
  user = path.join(mkdtempSync(path.join(os.tmpdir(), 'tfx-tools-')), 'average');
  cpSync(FIXTURE, user, { recursive: true });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(path.dirname(user), { recursive: true, force: true });
});

type Msg = {
  role: string;
  content: string | null;
  tool_calls?: { id: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
};
type Body = {
  messages: Msg[];
  tools?: { function: { name: string } }[];
  tool_choice?: string;
  stream?: boolean;
};

async function run(
  script: ScriptStep[],
  extra: {
    maxToolCalls?: number;
    stream?: boolean;
    rejectTools?: string;
    env?: NodeJS.ProcessEnv;
    maxRounds?: number;
  } = {},
) {
  server = await startOpenAIServer({
    steps: script,
    ...(extra.rejectTools !== undefined ? { rejectTools: extra.rejectTools } : {}),
  });
  const provider = createOpenAIProvider({
    model: 'test-model',
    baseURL: server.url,
    apiKey: '',
    retry: { maxRetries: 0 },
    stream: extra.stream ?? true,
  });
  const events: FixEvent[] = [];
  const recordOptions: RecordOptions = {
    target: { kind: 'pytest', nodeId: 'tests/test_average.py::test_average' },
    cwd: user,
    python: '/usr/bin/python3',
    ...(extra.env ? { env: extra.env } : {}),
  };
  const result = await explainAndFix({
    recordOptions,
    provider,
    onEvent: (e) => events.push(e),
    maxRounds: extra.maxRounds ?? 1,
    ...(extra.maxToolCalls !== undefined ? { maxToolCalls: extra.maxToolCalls } : {}),
  });
  const bodies = server.completions().map((r) => r.body as Body);
  return { result, events, bodies };
}

describe('Explain & Fix with trace tools', () => {
  for (const stream of [false, true]) {
    it(`answers the model's tool calls from the recording (${stream ? 'streamed tool_calls deltas' : 'non-streamed'}), then verifies the fix`, async () => {
      const { result, events, bodies } = await run(
        [
          steps.tools(
            [
              { name: 'variable_history', arguments: { name: 'total', function: 'average' } },
              { name: 'state_at_step', arguments: '{"step": 6}' },
            ],
            { text: stream ? 'Let me look at total.' : undefined, argChunk: 5 },
          ),
          steps.answer(RIGHT_FIX),
        ],
        { stream },
      );
      expect(result.fixed).toBe(true);
      expect(bodies).toHaveLength(2);
      // Round 1 offered the tools and said so in the system prompt.
      expect(bodies[0]?.tools?.map((t) => t.function.name)).toEqual([
        'variable_history',
        'state_at_step',
        'line_executions',
        'calls',
        'find_first',
        'search_values',
        'why',
      ]);
      expect(bodies[0]?.messages[0]?.content).toMatch(
        /Tools: you can query the complete recording of the failing run/,
      );
      // The second request carries the calls and their answers: the recorded values of `total`.
      const second = bodies[1]!.messages;
      const assistant = second.find((m) => m.role === 'assistant');
      expect(assistant?.tool_calls?.map((c) => c.function.name)).toEqual([
        'variable_history',
        'state_at_step',
      ]);
      expect(JSON.parse(assistant?.tool_calls?.[0]?.function.arguments ?? '')).toEqual({
        name: 'total',
        function: 'average',
      });
      const answers = second.filter((m) => m.role === 'tool');
      expect(answers.map((m) => m.tool_call_id)).toEqual(assistant?.tool_calls?.map((c) => c.id));
      expect(answers[0]?.content).toMatch(/History of `total` in average: 4 changes recorded/);
      expect(answers[0]?.content).toMatch(/total=0\n.*total=2\n.*total=6\n.*total=12/);
      expect(answers[1]?.content).toMatch(/^After step \(6\)/);
      expect(answers[1]?.content).toMatch(/Locals of average#1: xs=\[2, 4, 6\]/);
      expect(answers[1]?.content).toMatch(
        /Callers \(innermost first\):\n {2}test_average#1 at tests\/test_average\.py:5/,
      );
      // The round keeps them, and the UI got one event per call.
      const r = result.rounds[0]!;
      expect(r.toolCalls?.map((c) => [c.name, c.error])).toEqual([
        ['variable_history', false],
        ['state_at_step', false],
      ]);
      expect(r.toolCalls?.[0]?.steps.length).toBeGreaterThan(3);
      expect(events.filter((e) => e.type === 'tool-call')).toHaveLength(2);
      if (stream) {
        const first = events.find((e) => e.type === 'tool-call');
        expect(first?.type === 'tool-call' && first.call.said).toBe('Let me look at total.');
        // The text before the calls is not part of the streamed rationale shown for the answer.
        const deltas = events
          .flatMap((e) => (e.type === 'rationale-delta' ? [e.text] : []))
          .join('');
        expect(deltas.startsWith('Let me look at total.')).toBe(true);
      }
      expect(r.answer.latencyMs).toBeGreaterThanOrEqual(0);
    });
  }

  it('stops at the limit: the last allowed answer says so, calls beyond it are not run, the last request has tool_choice none', async () => {
    const { result, bodies } = await run(
      [
        steps.tools([{ name: 'line_executions', arguments: { line: 5, file: 'average.py' } }]),
        steps.tools([
          { name: 'find_first', arguments: { condition: 'total > 5' } },
          { name: 'search_values', arguments: { text: '12' } },
        ]),
        steps.answer(RIGHT_FIX),
      ],
      { maxToolCalls: 2 },
    );
    expect(result.fixed).toBe(true);
    const calls = result.rounds[0]!.toolCalls ?? [];
    expect(calls.map((c) => [c.name, c.error])).toEqual([
      ['line_executions', false],
      ['find_first', false],
      ['search_values', true],
    ]);
    expect(calls[0]?.answer).toMatch(/average\.py:5 `total \+= x`: 3 executions recorded/);
    expect(calls[1]?.answer).toMatch(
      /`total > 5` first holds .*\n[\s\S]*That was the last tool call allowed/,
    );
    expect(calls[2]?.answer).toMatch(/^Not run: no more tool calls are allowed/);
    expect(bodies.map((b) => b.tool_choice)).toEqual(['auto', 'auto', 'none']);
  });

  it('answers stay bounded: a long history is cut with a from_step to page on', async () => {
    const { result } = await run([
      steps.tools([{ name: 'variable_history', arguments: { name: 'total', limit: 2 } }]),
      steps.answer(RIGHT_FIX),
    ]);
    const answer = result.rounds[0]!.toolCalls?.[0];
    expect(answer?.truncated).toBe(true);
    expect(answer?.answer).toMatch(
      /… 2 more changes not listed \(answer bounded\); ask again with from_step=\d+ for them\./,
    );
  });

  it('a server that refuses tools (400) gets the plain prompt once; later rounds do not offer tools; it is said once', async () => {
    const { result, events, bodies } = await run(
      [
        steps.answer(RIGHT_FIX.replace('len(xs)\n```', 'len(xs) + 0.5\n```')),
        steps.answer(RIGHT_FIX),
      ],
      {
        rejectTools: 'registry.ollama.ai/library/test-model does not support tools',
        maxRounds: 2,
      },
    );
    expect(result.fixed).toBe(true);
    const refused = events.filter((e) => e.type === 'tools-unavailable');
    expect(refused).toHaveLength(1);
    expect(refused[0]?.type === 'tools-unavailable' && refused[0].reason).toMatch(
      /HTTP 400: .*does not support tools/,
    );
    // Only answered requests reach completions() once scripted; the refused one is recorded too.
    expect(bodies.map((b) => Array.isArray(b.tools))).toEqual([true, false, false]);
    expect(bodies[1]?.messages[0]?.content).not.toMatch(/Tools:/);
    expect(result.rounds.every((r) => (r.toolCalls ?? []).length === 0)).toBe(true);
  });

  it('tool answers are redacted like the prompt: a secret in a recorded value never reaches the model', async () => {
    const secret = 'Zq8vN3xLp2Rt7Wm4Ks9Yb6Hd';
    writeFileSync(
      path.join(user, 'average.py'),
      `import os\n\n\ndef average(xs):\n    """Return the arithmetic mean of the numbers in xs."""\n    token = os.environ.get('SERVICE_TOKEN', '')\n    total = 0\n    for x in xs:\n        total += x\n    return total / (len(xs) + 1)\n`,
    );
    const { result, bodies } = await run(
      [
        steps.tools([
          { name: 'variable_history', arguments: { name: 'token' } },
          { name: 'search_values', arguments: { text: secret.slice(0, 6) } },
          // A model that guesses the value learns nothing: conditions compare redacted values.
          { name: 'find_first', arguments: { condition: `token == '${secret}'` } },
        ]),
        steps.answer(RIGHT_FIX),
      ],
      { env: { ...process.env, SERVICE_TOKEN: secret } },
    );
    const calls = result.rounds[0]!.toolCalls ?? [];
    expect(calls[0]?.answer).toMatch(/token='<redacted>'/);
    expect(calls[1]?.answer).toMatch(/is in no recorded value/);
    expect(calls[2]?.answer).toMatch(/never holds/);
    // What Tracefix sent (prompt and tool answers; the scripted model's own arguments aside) holds no trace of it.
    const sent = bodies.flatMap((b) =>
      b.messages.filter((m) => m.role !== 'assistant').map((m) => m.content ?? ''),
    );
    for (const text of sent) expect(text).not.toContain(secret.slice(4, 16));
  });
});
