// Function calling through the OpenAI provider against the scripted server on 127.0.0.1: tool calls
// streamed as deltas and not, arguments split across chunks or sent as objects, missing ids, the
// wire format of calls and results sent back, and a server that refuses tools.
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../../src/core/errors';
import { createOpenAIProvider } from '../../../../src/core/model/client/openaiProvider';
import type { ChatRequest } from '../../../../src/core/model/client/provider';
import { ToolsRejectedError } from '../../../../src/core/model/client/toolCalling';
import {
  startOpenAIServer,
  steps,
  type OpenAIServer,
  type ScriptStep,
} from '../../../support/openaiServer';

let server: OpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const TOOL = {
  name: 'variable_history',
  description: 'history of a variable',
  parameters: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
};
const request = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: 'user', content: 'why?' }],
  tools: [TOOL],
  ...extra,
});

async function provider(
  script: ScriptStep[] | Parameters<typeof startOpenAIServer>[0],
  stream: boolean,
) {
  server = await startOpenAIServer(script);
  return createOpenAIProvider({
    model: 'test-model',
    baseURL: server.url,
    stream,
    retry: { maxRetries: 1, baseDelayMs: 1 },
  });
}

describe('OpenAI provider: tool calls', () => {
  for (const stream of [false, true]) {
    const how = stream ? 'streamed' : 'non-streamed';
    it(`${how}: returns the calls with ids and whole arguments; finish reason tool-calls`, async () => {
      const p = await provider(
        [
          steps.tools(
            [
              { name: 'variable_history', arguments: { name: 'total', function: 'average' } },
              { name: 'state_at_step', arguments: '{"step": 12}' },
            ],
            { argChunk: 3 },
          ),
        ],
        stream,
      );
      const r = await p.complete(request());
      expect(r.finishReason).toBe('tool-calls');
      expect(r.text).toBe('');
      expect(r.toolCalls).toEqual([
        {
          id: 'chatcmpl-test-1-call-0',
          name: 'variable_history',
          arguments: '{"name":"total","function":"average"}',
        },
        { id: 'chatcmpl-test-1-call-1', name: 'state_at_step', arguments: '{"step": 12}' },
      ]);
      const body = server!.completions()[0]?.body as { tools: unknown[]; tool_choice?: string };
      expect(body.tools).toEqual([{ type: 'function', function: TOOL }]);
      expect(body.tool_choice).toBeUndefined();
    });

    it(`${how}: a server that omits ids and says 'stop' still gives distinct ids and counts as calling`, async () => {
      const p = await provider(
        [
          steps.tools(
            [
              { name: 'a', arguments: {} },
              { name: 'b', arguments: {} },
            ],
            { omitIds: true, finishReason: 'stop' },
          ),
        ],
        stream,
      );
      const r = await p.complete(request());
      expect(r.finishReason).toBe('tool-calls');
      const ids = r.toolCalls?.map((c) => c.id) ?? [];
      expect(new Set(ids).size).toBe(2);
      expect(ids.every((id) => /^tracefix_call_\d+_\d$/.test(id))).toBe(true);
    });

    it(`${how}: a server that refuses tools rejects with ToolsRejectedError, without retrying`, async () => {
      const p = await provider([steps.toolsUnsupported()], stream);
      const e = await p.complete(request()).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ToolsRejectedError);
      expect((e as ToolsRejectedError).reason).toBe(
        'HTTP 400: registry.ollama.ai/library/test-model does not support tools',
      );
      expect(server!.completions()).toHaveLength(1);
    });
  }

  it('arguments sent as a JSON object (some Ollama builds) become JSON text', async () => {
    const p = await provider(
      [
        steps.tools([{ name: 'variable_history', arguments: { name: 'x' } }], {
          objectArguments: true,
        }),
      ],
      false,
    );
    expect((await p.complete(request())).toolCalls?.[0]?.arguments).toBe('{"name":"x"}');
  });

  it('sends calls and their answers back in the wire format, with tool_choice', async () => {
    const p = await provider([steps.answer('done')], true);
    const r = await p.complete(
      request({
        toolChoice: 'none',
        messages: [
          { role: 'user', content: 'why?' },
          {
            role: 'assistant',
            content: '',
            toolCalls: [{ id: 'c1', name: 'variable_history', arguments: '{"name":"x"}' }],
          },
          { role: 'tool', toolCallId: 'c1', content: 'History of `x`: …' },
        ],
      }),
    );
    expect(r.text).toBe('done');
    expect(r.toolCalls).toBeUndefined();
    const body = server!.completions()[0]?.body as { messages: unknown[]; tool_choice: string };
    expect(body.tool_choice).toBe('none');
    expect(body.messages).toEqual([
      { role: 'user', content: 'why?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'c1',
            type: 'function',
            function: { name: 'variable_history', arguments: '{"name":"x"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'History of `x`: …' },
    ]);
  });

  it('errors that are not about tools keep their meaning: context length, auth, and 5xx (retried)', async () => {
    let p = await provider([steps.contextLength()], false);
    expect(await p.complete(request()).catch((e: unknown) => (e as UserError).code)).toBe(
      'model-context-length',
    );
    await server!.close();
    p = await provider([steps.unauthorized()], false);
    expect(await p.complete(request()).catch((e: unknown) => (e as UserError).code)).toBe(
      'model-auth',
    );
    await server!.close();
    p = await provider([steps.serverError(503), steps.answer('ok')], false);
    expect((await p.complete(request())).text).toBe('ok');
  });

  it('a request without tools never reads tool calls', async () => {
    const p = await provider([steps.tools([{ name: 'a', arguments: {} }])], false);
    const r = await p.complete({ messages: [{ role: 'user', content: 'x' }] });
    expect(r.toolCalls).toBeUndefined();
  });
});
