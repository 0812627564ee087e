// The scripted OpenAI server at the wire level (plain fetch, no SDK), and that it loads outside vitest.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { startOpenAIServer, steps, type OpenAIServer } from '../../support/openaiServer';

let server: OpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('openaiServer', () => {
  it('answers a JSON completion and records the request', async () => {
    server = await startOpenAIServer([steps.answer('hello')]);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const res = await post(server.url, { model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBe(200);
    const json = (await res.json()) as {
      choices: { message: { content: string }; finish_reason: string }[];
      model: string;
    };
    expect(json.choices[0]?.message.content).toBe('hello');
    expect(json.choices[0]?.finish_reason).toBe('stop');
    expect(json.model).toBe('m');
    expect(server.completions()[0]?.body).toEqual({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(server.pending()).toBe(0);
  });

  it('streams SSE chunks ending with a finish reason, usage (when asked) and [DONE]', async () => {
    server = await startOpenAIServer([steps.answer('abcdefgh', { chunkSize: 3 })]);
    const res = await post(server.url, {
      model: 'm',
      messages: [],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const events = (await res.text()).split('\n\n').filter(Boolean);
    expect(events.every((e) => e.startsWith('data: '))).toBe(true);
    expect(events[events.length - 1]).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map(
      (e) =>
        JSON.parse(e.slice(6)) as {
          choices: { delta: { content?: string }; finish_reason: string | null }[];
          usage?: unknown;
        },
    );
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('abcdefgh');
    expect(chunks.filter((c) => c.choices[0]?.finish_reason === 'stop')).toHaveLength(1);
    expect(chunks[chunks.length - 1]?.usage).toBeDefined();
  });

  it('a truncated stream has neither a finish reason nor [DONE]', async () => {
    server = await startOpenAIServer([steps.truncated('0123456789', 4)]);
    const res = await post(server.url, { model: 'm', messages: [], stream: true });
    let text = '';
    try {
      text = await res.text();
    } catch {
      // undici may report the dropped connection; what arrived before is what matters
    }
    expect(text).not.toContain('[DONE]');
    expect(text).not.toContain('"finish_reason":"stop"');
  });

  it('scripted errors carry OpenAI error bodies and headers', async () => {
    server = await startOpenAIServer([
      steps.rateLimited(7),
      steps.contextLength(),
      steps.modelNotFound('x'),
    ]);
    const r1 = await post(server.url, {});
    expect(r1.status).toBe(429);
    expect(r1.headers.get('retry-after')).toBe('7');
    const r2 = await post(server.url, {});
    expect(((await r2.json()) as { error: { code: string } }).error.code).toBe(
      'context_length_exceeded',
    );
    const r3 = await post(server.url, {});
    expect(r3.status).toBe(404);
    // Script exhausted: a non-retryable status with an explicit message.
    const r4 = await post(server.url, {});
    expect(r4.status).toBe(418);
    expect(await r4.text()).toContain('no scripted response left');
  });

  it('lists models, enforces the API key when configured, and push() adds steps', async () => {
    server = await startOpenAIServer({ models: ['a', 'b'], apiKey: 'k' });
    const denied = await fetch(`${server.url}/models`);
    expect(denied.status).toBe(401);
    const models = (await (
      await fetch(`${server.url}/models`, { headers: { authorization: 'Bearer k' } })
    ).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toEqual(['a', 'b']);
    server.push(steps.answer('later'));
    const res = await post(server.url, { model: 'a', messages: [] }, { authorization: 'Bearer k' });
    expect(
      ((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message
        .content,
    ).toBe('later');
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /v1/models',
      'GET /v1/models',
      'POST /v1/chat/completions',
    ]);
  });

  it('close() returns while a request hangs', async () => {
    server = await startOpenAIServer([steps.hang()]);
    const pending = post(server.url, {}).catch((e: unknown) => e);
    while (server.completions().length === 0) await new Promise((r) => setTimeout(r, 5));
    await server.close();
    server = undefined;
    expect(await pending).toBeInstanceOf(Error);
  });

  it('bundles without dependencies and runs in a plain node process', async () => {
    const out = await esbuild.build({
      entryPoints: [path.join(__dirname, '../../support/openaiServer.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      logLevel: 'silent',
    });
    const code = out.outputFiles[0]?.text ?? '';
    const requires = Array.from(code.matchAll(/require\("([^"]+)"\)/g), (m) => m[1]);
    expect(requires.every((r) => r?.startsWith('node:'))).toBe(true);
    const dir = await mkdtemp(path.join(tmpdir(), 'tracefix-server-'));
    try {
      await writeFile(path.join(dir, 'server.js'), code);
      const script = `const { startOpenAIServer, steps } = require('./server.js');
        (async () => {
          const s = await startOpenAIServer([steps.answer('from node')]);
          const r = await fetch(s.url + '/chat/completions', { method: 'POST', body: JSON.stringify({ messages: [] }) });
          const j = await r.json();
          console.log(j.choices[0].message.content);
          await s.close();
        })();`;
      await writeFile(path.join(dir, 'main.js'), script);
      const { stdout } = await promisify(execFile)(process.execPath, [path.join(dir, 'main.js')], {
        cwd: dir,
      });
      expect(stdout.trim()).toBe('from node');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
