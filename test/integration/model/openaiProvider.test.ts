// The real `openai` client against the scripted OpenAI-protocol server on 127.0.0.1.
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors';
import {
  createOpenAIProvider,
  listOpenAIModels,
  type OpenAIProviderOptions,
} from '../../../src/core/model/client/openaiProvider';
import type { ChatRequest } from '../../../src/core/model/client/provider';
import {
  startOpenAIServer,
  steps,
  type OpenAIServer,
  type ScriptStep,
} from '../../support/openaiServer';

const request: ChatRequest = {
  messages: [
    { role: 'system', content: 'be brief' },
    { role: 'user', content: 'fix it' },
  ],
  maxTokens: 200,
  temperature: 0,
};

let server: OpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(script: ScriptStep[], options: Partial<OpenAIProviderOptions> = {}) {
  server = await startOpenAIServer(script);
  const sleeps: number[] = [];
  const provider = createOpenAIProvider({
    model: 'test-model',
    baseURL: server.url,
    apiKey: '',
    retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20 },
    // Records the delays the provider asks for and waits only briefly.
    sleep: async (ms) => {
      sleeps.push(ms);
      await new Promise((r) => setTimeout(r, 1));
    },
    ...options,
  });
  return { server, provider, sleeps };
}

async function rejection(p: Promise<unknown>): Promise<UserError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('expected the call to reject');
}

describe('OpenAIProvider against a real HTTP server', () => {
  it('returns a non-streamed answer with usage and sends the request fields', async () => {
    const { server, provider } = await setup(
      [steps.answer('The bug is at (3).', { usage: { prompt_tokens: 42, completion_tokens: 7 } })],
      { stream: false },
    );
    const result = await provider.complete(request);
    expect(result.text).toBe('The bug is at (3).');
    expect(result.finishReason).toBe('stop');
    expect(result.usage).toEqual({ promptTokens: 42, completionTokens: 7 });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    const body = server.completions()[0]?.body as Record<string, unknown>;
    expect(body.model).toBe('test-model');
    expect(body.messages).toEqual(request.messages);
    expect(body.max_tokens).toBe(200);
    expect(body.temperature).toBe(0);
    expect(body.stream).toBeFalsy();
    // An empty key still yields a bearer header (local servers ignore it).
    expect(server.completions()[0]?.headers.authorization).toMatch(/^Bearer \S+/);
  });

  it('streams deltas in order and their concatenation is the text', async () => {
    const text = 'Step (2) sets total=0; step (5) should add 3.\nSummary: add the missing term.';
    const { server, provider } = await setup([steps.answer(text, { chunkSize: 5 })]);
    const deltas: string[] = [];
    const result = await provider.complete(request, { onDelta: (d) => deltas.push(d) });
    expect(deltas.length).toBe(Math.ceil(text.length / 5));
    expect(deltas.join('')).toBe(text);
    expect(result.text).toBe(text);
    expect(result.finishReason).toBe('stop');
    expect(result.usage?.completionTokens).toBeGreaterThan(0);
    expect(result.model).toBe('test-model');
    const body = server.completions()[0]?.body as Record<string, unknown>;
    expect(body.stream).toBe(true);
    expect(body.stream_options).toEqual({ include_usage: true });
  });

  it('passes the API key and uses max_completion_tokens when asked', async () => {
    server = await startOpenAIServer({ steps: [steps.answer('ok')], apiKey: 'sk-local-test' });
    const provider = createOpenAIProvider({
      model: 'm',
      baseURL: server.url,
      apiKey: 'sk-local-test',
      maxTokensParam: 'max_completion_tokens',
    });
    await provider.complete(request);
    const body = server.completions()[0]?.body as Record<string, unknown>;
    expect(body.max_completion_tokens).toBe(200);
    expect(body.max_tokens).toBeUndefined();
  });

  it('reports finish_reason length as such (the answer is cut)', async () => {
    const { provider } = await setup([
      steps.answer('```python\ndef f(x):\n    return', { finishReason: 'length' }),
    ]);
    const result = await provider.complete(request);
    expect(result.finishReason).toBe('length');
  });

  it('a stream that breaks off without a finish reason is model-incomplete', async () => {
    const { server, provider } = await setup([
      steps.truncated('Rationale: at (4) the loop skips the last item, so', 20),
    ]);
    const deltas: string[] = [];
    const err = await rejection(provider.complete(request, { onDelta: (d) => deltas.push(d) }));
    expect(err.code).toBe('model-incomplete');
    expect(deltas.join('')).toBe('Rationale: at (4) th');
    // Text had been streamed, so no retry.
    expect(server.completions()).toHaveLength(1);
  });

  it('a non-streamed body cut mid-way is model-incomplete', async () => {
    const { provider } = await setup([steps.truncated('some answer text that is long enough')], {
      stream: false,
    });
    const err = await rejection(provider.complete(request));
    expect(err.code).toBe('model-incomplete');
  });

  it('retries a 429, honouring Retry-After, then succeeds', async () => {
    const { server, provider, sleeps } = await setup([
      steps.rateLimited(2),
      steps.answer('fine now'),
    ]);
    const result = await provider.complete(request);
    expect(result.text).toBe('fine now');
    expect(server.completions()).toHaveLength(2);
    expect(sleeps).toEqual([2000]);
  });

  it('backs off exponentially on 500 and gives up with model-unavailable', async () => {
    const { server, provider, sleeps } = await setup([
      steps.serverError(),
      steps.serverError(503),
      steps.serverError(),
    ]);
    const err = await rejection(provider.complete(request));
    expect(err.code).toBe('model-unavailable');
    expect(err.message).toMatch(/HTTP 500/);
    expect(server.completions()).toHaveLength(3);
    expect(sleeps).toEqual([5, 10]);
  });

  it('429 until retries run out is model-rate-limit', async () => {
    const { server, provider } = await setup([
      steps.rateLimited(),
      steps.rateLimited(),
      steps.rateLimited(),
    ]);
    const err = await rejection(provider.complete(request));
    expect(err.code).toBe('model-rate-limit');
    expect(server.completions()).toHaveLength(3);
  });

  it('a Retry-After beyond the limit stops at once and says how long to wait', async () => {
    const { server, provider, sleeps } = await setup([
      steps.rateLimited(3600),
      steps.answer('never reached'),
    ]);
    const err = await rejection(provider.complete(request));
    expect(err.code).toBe('model-rate-limit');
    expect(err.message).toMatch(/wait 3600 s/);
    expect(server.completions()).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('times out when the server never answers', async () => {
    const { provider } = await setup([steps.hang()], { timeoutMs: 200 });
    const err = await rejection(provider.complete(request));
    expect(err.code).toBe('model-timeout');
  });

  it('times out when a stream goes silent mid-answer', async () => {
    const { provider } = await setup(
      [steps.answer('abcdefghijklmnop', { chunkSize: 4, hangAfterChunks: 2 })],
      { timeoutMs: 200 },
    );
    const deltas: string[] = [];
    const err = await rejection(provider.complete(request, { onDelta: (d) => deltas.push(d) }));
    expect(err.code).toBe('model-timeout');
    expect(err.message).toMatch(/middle of its answer/);
    expect(deltas).toEqual(['abcd', 'efgh']);
  });

  it('401 is model-auth without retrying', async () => {
    const { server, provider } = await setup([steps.unauthorized()]);
    const err = await rejection(provider.complete(request));
    expect(err.code).toBe('model-auth');
    expect(err.message).toMatch(/401/);
    expect(server.completions()).toHaveLength(1);
  });

  it('404 model_not_found is model-not-found naming the model', async () => {
    const { provider } = await setup([steps.modelNotFound('test-model')]);
    const err = await rejection(provider.complete(request));
    expect(err.code).toBe('model-not-found');
    expect(err.message).toContain('"test-model"');
    expect(err.hint).toMatch(/\/models/);
  });

  it('context_length_exceeded is model-context-length', async () => {
    const { provider } = await setup([steps.contextLength()]);
    const err = await rejection(provider.complete(request));
    expect(err.code).toBe('model-context-length');
    expect(err.message).toMatch(/maximum context length/);
  });

  it('a non-OpenAI response body is model-unavailable with a base-URL hint', async () => {
    const { provider } = await setup([steps.garbage()], { stream: false });
    const err = await rejection(provider.complete(request));
    expect(err.code).toBe('model-unavailable');
    expect(err.hint).toMatch(/base URL/);
  });

  it('garbage inside an SSE stream is model-unavailable', async () => {
    const { provider } = await setup([steps.garbage('data: {not json\n\n', 'text/event-stream')]);
    const err = await rejection(provider.complete(request));
    expect(err.code).toBe('model-unavailable');
  });

  it('connection refused is model-unavailable without retries', async () => {
    const { server: s, provider: _p } = await setup([]);
    const url = s.url;
    await s.close();
    server = undefined;
    const sleeps: number[] = [];
    const provider = createOpenAIProvider({
      model: 'm',
      baseURL: url,
      sleep: (ms) => Promise.resolve(void sleeps.push(ms)),
    });
    const err = await rejection(provider.complete(request));
    expect(err.code).toBe('model-unavailable');
    expect(err.message).toMatch(/connection refused/);
    expect(sleeps).toEqual([]);
  });

  it('abort mid-stream resolves as cancelled with the text so far', async () => {
    const { provider } = await setup(
      [steps.answer('0123456789abcdef', { chunkSize: 4, hangAfterChunks: 2 })],
      { timeoutMs: 30_000 },
    );
    const controller = new AbortController();
    const deltas: string[] = [];
    const result = await provider.complete(request, {
      signal: controller.signal,
      onDelta: (d) => {
        deltas.push(d);
        if (deltas.length === 2) controller.abort();
      },
    });
    expect(result.finishReason).toBe('cancelled');
    expect(result.text).toBe('01234567');
  });

  it('abort during retry back-off resolves as cancelled without another request', async () => {
    server = await startOpenAIServer([steps.serverError(), steps.answer('late')]);
    const controller = new AbortController();
    const provider = createOpenAIProvider({
      model: 'm',
      baseURL: server.url,
      retry: { baseDelayMs: 60_000 },
      log: () => controller.abort(),
    });
    const result = await provider.complete(request, { signal: controller.signal });
    expect(result.finishReason).toBe('cancelled');
    expect(server.completions()).toHaveLength(1);
  });

  it('lists the models the endpoint offers', async () => {
    server = await startOpenAIServer({ models: ['b-model', 'a-model'] });
    expect(await listOpenAIModels({ baseURL: server.url })).toEqual(['a-model', 'b-model']);
  });

  it('a stream trickling a character every 200 ms forever ends at the total deadline, naming the option to raise', async () => {
    const { provider } = await setup([steps.trickle('.', 200)], {
      deadlineMs: 1000,
      timeoutHint: '--model-timeout SECONDS',
    });
    const deltas: string[] = [];
    const err = await rejection(provider.complete(request, { onDelta: (d) => deltas.push(d) }));
    expect(err.code).toBe('model-timeout');
    expect(err.message).toMatch(
      /did not finish its answer within 1 s \(\d characters had arrived\)/,
    );
    expect(err.hint).toBe('Try again, raise --model-timeout SECONDS, or use a faster model.');
    expect(deltas.length).toBeGreaterThan(0);
  });

  it('raw bytes trickling on a text/plain 200 also end at the deadline', async () => {
    const { provider } = await setup([steps.trickle('.', 200, true)], { deadlineMs: 1000 });
    const err = await rejection(provider.complete(request));
    expect(err.code).toBe('model-timeout');
  });

  it('the deadline also bounds retries and their back-off', async () => {
    server = await startOpenAIServer([
      steps.serverError(),
      steps.serverError(),
      steps.serverError(),
      steps.answer('late'),
    ]);
    const provider = createOpenAIProvider({
      model: 'm',
      baseURL: server.url,
      deadlineMs: 500,
      retry: { maxRetries: 5, baseDelayMs: 10_000 },
    });
    const err = await rejection(provider.complete(request));
    expect(err.code).toBe('model-timeout');
    expect(server.completions()).toHaveLength(1);
  });

  it('sends max_tokens 8192 when the request sets none', async () => {
    const { server, provider } = await setup([steps.answer('ok')]);
    await provider.complete({ messages: request.messages });
    expect((server.completions()[0]?.body as { max_tokens?: number }).max_tokens).toBe(8192);
  });

  it('an answer far beyond max_tokens (a server ignoring it) is cut off with one error', async () => {
    const { provider } = await setup([steps.answer('x'.repeat(300_000), { chunkSize: 10_000 })], {
      maxTokens: 1000,
    });
    const err = await rejection(provider.complete(request));
    expect(err.code).toBe('model-unavailable');
    expect(err.message).toMatch(
      /grew past 200,000 characters, far beyond the 200 tokens asked for/,
    );
  });

  it('a non-streamed oversized answer is refused the same way', async () => {
    const { provider } = await setup([steps.answer('y'.repeat(250_000))], { stream: false });
    const err = await rejection(provider.complete(request));
    expect(err.message).toMatch(/grew past 200,000 characters/);
  });

  it('an HTML page answering a streamed request is "not an OpenAI-compatible endpoint", not an empty answer', async () => {
    const { server, provider } = await setup([steps.html()]);
    const err = await rejection(provider.complete(request));
    expect(err.code).toBe('model-unavailable');
    expect(err.message).toBe(
      `${server.url} is not an OpenAI-compatible endpoint: it answered with text/html instead of a chat completion.`,
    );
    expect(err.hint).toMatch(/usually ending in \/v1/);
  });

  it('a 200 stream with no chat-completion events at all is the same error', async () => {
    const { server, provider } = await setup([steps.garbage('hello\n\n', 'text/event-stream')]);
    const err = await rejection(provider.complete(request));
    expect(err.message).toBe(
      `${server.url} is not an OpenAI-compatible endpoint: it answered with text/event-stream instead of a chat completion.`,
    );
  });
});
