// The pre-flight check of an OpenAI-compatible endpoint against the loopback server: what it rejects
// (no connection, 401, a web page, an unknown model) and what it lets through (no /models route, a
// /models that never answers).
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors';
import { checkOpenAIEndpoint } from '../../../src/core/model/client/endpointCheck';
import {
  startOpenAIServer,
  steps,
  type OpenAIServer,
  type OpenAIServerOptions,
} from '../../support/openaiServer';

let server: OpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function check(
  options: OpenAIServerOptions,
  extra: { apiKey?: string; model?: string; timeoutMs?: number } = {},
) {
  server = await startOpenAIServer(options);
  return checkOpenAIEndpoint({
    baseURL: server.url,
    model: extra.model ?? 'test-model',
    apiKey: extra.apiKey,
    timeoutMs: extra.timeoutMs,
  });
}

async function rejection(p: Promise<unknown>): Promise<UserError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('expected a rejection');
}

describe('checkOpenAIEndpoint', () => {
  it('lists the models and notes a model that is not among them; sends the key as bearer', async () => {
    const r = await check(
      { models: ['a', 'b'], apiKey: 'k-123456' },
      { apiKey: 'k-123456', model: 'c' },
    );
    expect(r.models).toEqual(['a', 'b']);
    expect(r.notes).toEqual([`model "c" is not among the 2 models ${server?.url} lists (a, b).`]);
    expect(server?.requests.map((q) => q.headers.authorization)).toEqual(['Bearer k-123456']);
  });

  it('401 is model-auth', async () => {
    const e = await rejection(check({ apiKey: 'right' }, { apiKey: 'wrong' }));
    expect(e.code).toBe('model-auth');
    expect(e.message).toMatch(/rejected the credentials \(HTTP 401\)/);
  });

  it('no /models route: an empty chat request answered with a JSON 400 shows an API; it ran no model', async () => {
    const r = await check({ modelsRoute: 'missing', steps: [steps.answer('not for the probe')] });
    expect(r.models).toBeUndefined();
    expect(server?.pending()).toBe(1);
    expect(server?.requests.map((q) => `${q.method} ${q.path}`)).toEqual([
      'GET /v1/models',
      'POST /v1/chat/completions',
    ]);
  });

  it('a web site at the base URL is "not an OpenAI-compatible endpoint"', async () => {
    const e = await rejection(check({ modelsRoute: 'html', steps: [steps.html()] }));
    expect(e.code).toBe('model-unavailable');
    expect(e.message).toBe(
      `${server?.url} is not an OpenAI-compatible endpoint: it answered with text/html ("<!doctype html><html><head><title>Welcome</title></head><bod…") instead of a chat completion.`,
    );
  });

  it('no /models and a 404 model error from the chat route is model-not-found', async () => {
    const e = await rejection(
      check({ modelsRoute: 'html', steps: [steps.modelNotFound('x')] }, { model: 'x' }),
    );
    expect(e.code).toBe('model-not-found');
  });

  it('a /models that never answers is not a reason to stop: a note after the short timeout', async () => {
    const r = await check({ modelsRoute: 'hang' }, { timeoutMs: 300 });
    expect(r.notes[0]).toMatch(/did not list its models within 0 s; going on/);
  });

  it('nothing listening: model-unavailable, connection refused', async () => {
    const s = await startOpenAIServer([]);
    const url = s.url;
    await s.close();
    const e = await rejection(checkOpenAIEndpoint({ baseURL: url, model: 'm' }));
    expect(e.message).toBe(`Could not connect to the model endpoint ${url} (connection refused).`);
  });

  it('a base URL that is not a URL is a bad argument', async () => {
    const e = await rejection(checkOpenAIEndpoint({ baseURL: 'localhost:11434', model: 'm' }));
    expect(e.code).toBe('bad-argument');
  });
});
