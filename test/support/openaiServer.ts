// A real HTTP server on 127.0.0.1 that speaks enough of the OpenAI chat-completions protocol for
// tests: POST /v1/chat/completions (JSON or SSE streaming) and GET /v1/models. Responses come from a
// script queue, one step per completion request, so a test can say "429, then a streamed answer".
// Dependency-free (node:http only) so vitest, the VS Code suites and plain node scripts can all load it.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ScriptStep =
  /** A normal answer; streamed in `chunkSize`-character deltas when the request has `stream: true`. */
  | {
      kind: 'answer';
      text: string;
      /** Default 'stop'. Use 'length' to mimic a max-tokens cut. */
      finishReason?: string;
      /** Streamed delta size in characters (default 8). */
      chunkSize?: number;
      /** Pause between streamed chunks (default 0). */
      chunkDelayMs?: number;
      usage?: { prompt_tokens: number; completion_tokens: number };
      /** Stream only: after this many content chunks stop sending but keep the connection open. */
      hangAfterChunks?: number;
    }
  /** Stream (or body) that ends after `afterChars` characters: no finish_reason, no `[DONE]`. */
  | { kind: 'truncated'; text: string; afterChars?: number; chunkSize?: number }
  /** An HTTP error with an OpenAI-style error body. */
  | {
      kind: 'error';
      status: number;
      message?: string;
      code?: string;
      type?: string;
      headers?: Record<string, string>;
    }
  /** Accept the request and never answer (until the client goes away or the server closes). */
  | { kind: 'hang' }
  /** A 200 response whose body is not what the protocol promises. */
  | { kind: 'garbage'; body: string; contentType?: string }
  /** A stream that never ends: `text` every `intervalMs` as a content delta (or as raw bytes with
   * `raw`), until the client goes away. */
  | { kind: 'trickle'; text: string; intervalMs: number; raw?: boolean }
  /** The model calls tools: `tool_calls` in the message, or streamed as `tool_calls` deltas whose
   * arguments arrive in `argChunk`-character pieces (default 7), after optional `text`. */
  | {
      kind: 'tools';
      calls: { name: string; arguments: string | Record<string, unknown>; id?: string }[];
      text?: string;
      argChunk?: number;
      /** Default 'tool_calls' (Ollama says 'stop'). */
      finishReason?: string;
      /** Send calls without ids (some local servers do). */
      omitIds?: boolean;
      /** Send arguments as a JSON object instead of a string (some Ollama builds do). */
      objectArguments?: boolean;
    };

export interface ToolCallScript {
  name: string;
  arguments: string | Record<string, unknown>;
  id?: string;
}

/** Shorthands for common steps. */
export const steps = {
  answer: (
    text: string,
    extra: Partial<Extract<ScriptStep, { kind: 'answer' }>> = {},
  ): ScriptStep => ({ kind: 'answer', text, ...extra }),
  truncated: (text: string, afterChars?: number): ScriptStep => ({
    kind: 'truncated',
    text,
    afterChars,
  }),
  rateLimited: (retryAfterSeconds?: number): ScriptStep => ({
    kind: 'error',
    status: 429,
    message: 'Rate limit reached for requests',
    type: 'requests',
    code: 'rate_limit_exceeded',
    headers: retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
  }),
  serverError: (status = 500): ScriptStep => ({
    kind: 'error',
    status,
    message: 'The server had an error while processing your request.',
    type: 'server_error',
  }),
  unauthorized: (): ScriptStep => ({
    kind: 'error',
    status: 401,
    message: 'Incorrect API key provided: sk-wr***ng.',
    type: 'invalid_request_error',
    code: 'invalid_api_key',
  }),
  modelNotFound: (model = 'no-such-model'): ScriptStep => ({
    kind: 'error',
    status: 404,
    message: `The model \`${model}\` does not exist or you do not have access to it.`,
    type: 'invalid_request_error',
    code: 'model_not_found',
  }),
  contextLength: (): ScriptStep => ({
    kind: 'error',
    status: 400,
    message:
      "This model's maximum context length is 8192 tokens. However, your messages resulted in 12000 tokens. Please reduce the length of the messages.",
    type: 'invalid_request_error',
    code: 'context_length_exceeded',
  }),
  hang: (): ScriptStep => ({ kind: 'hang' }),
  garbage: (body = '<html>502 Bad Gateway</html>', contentType = 'text/html'): ScriptStep => ({
    kind: 'garbage',
    body,
    contentType,
  }),
  /** A web page where the API should be (a wrong base URL that reaches a web server). */
  html: (): ScriptStep => ({
    kind: 'garbage',
    body: '<!doctype html><html><head><title>Welcome</title></head><body>It works!</body></html>',
    contentType: 'text/html; charset=utf-8',
  }),
  trickle: (text = '.', intervalMs = 2000, raw = false): ScriptStep => ({
    kind: 'trickle',
    text,
    intervalMs,
    raw,
  }),
  /** The model asks for tool calls (then the next step answers the request carrying their results). */
  tools: (
    calls: ToolCallScript[],
    extra: Partial<Extract<ScriptStep, { kind: 'tools' }>> = {},
  ): ScriptStep => ({ kind: 'tools', calls, ...extra }),
  /** What Ollama answers when the model has no tool support. */
  toolsUnsupported: (model = 'test-model'): ScriptStep => ({
    kind: 'error',
    status: 400,
    message: `registry.ollama.ai/library/${model} does not support tools`,
    type: 'api_error',
  }),
};

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body (undefined when the body was empty or not JSON). */
  body: unknown;
  raw: string;
}

export interface OpenAIServerOptions {
  steps?: ScriptStep[];
  /** Ids listed by GET /v1/models (default ['test-model']). */
  models?: string[];
  /** When set, requests without `Authorization: Bearer <apiKey>` get a 401. */
  apiKey?: string;
  /** GET /v1/models: 'list' (default), 'missing' (404, as some gateways), 'hang' (never answers),
   * 'html' (a web page; then an empty chat request is not answered as an API would, but takes the
   * next step like any other). */
  modelsRoute?: 'list' | 'missing' | 'html' | 'hang';
  /** Refuse every request that offers `tools` with this 400 (no script step is used), as a server
   * without tool support does; requests without tools take the next step. */
  rejectTools?: string;
}

export interface OpenAIServer {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:40123/v1` (what OpenAI clients call baseURL). */
  url: string;
  /** Every request received, in order (models and completions). */
  requests: RecordedRequest[];
  /** Only the chat-completion requests (not the endpoint check's probe). */
  completions(): RecordedRequest[];
  /** Queue more steps. */
  push(...more: ScriptStep[]): void;
  /** Steps not consumed yet. */
  pending(): number;
  close(): Promise<void>;
}

/** Starts the server on a random port. Accepts a step list or options. */
export async function startOpenAIServer(
  script: ScriptStep[] | OpenAIServerOptions = {},
): Promise<OpenAIServer> {
  const options: OpenAIServerOptions = Array.isArray(script) ? { steps: script } : script;
  const queue: ScriptStep[] = [...(options.steps ?? [])];
  const models = options.models ?? ['test-model'];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  let created = 0;

  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(parts).toString('utf8');
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = undefined;
      }
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path,
        headers: req.headers,
        body,
        raw,
      };
      requests.push(recorded);

      if (
        options.apiKey !== undefined &&
        req.headers.authorization !== `Bearer ${options.apiKey}`
      ) {
        sendError(res, {
          kind: 'error',
          status: 401,
          message: 'Incorrect API key provided.',
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        });
        return;
      }
      if (req.method === 'GET' && path === '/v1/models') {
        if (options.modelsRoute === 'missing')
          sendError(res, { kind: 'error', status: 404, message: 'Not Found', type: 'not_found' });
        else if (options.modelsRoute === 'html') respond(res, steps.html(), null, '', '');
        else if (options.modelsRoute === 'hang')
          return; // never answers; close() ends the socket
        else
          sendJson(res, 200, {
            object: 'list',
            data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'test' })),
          });
        return;
      }
      if (
        req.method === 'POST' &&
        path === '/v1/chat/completions' &&
        options.modelsRoute !== 'html' &&
        isEndpointProbe(body)
      ) {
        // What OpenAI answers to an empty conversation (the endpoint check's probe); no script step is used.
        sendError(res, {
          kind: 'error',
          status: 400,
          message: "Invalid 'messages': empty array. Expected an array with minimum length 1.",
          type: 'invalid_request_error',
          code: 'empty_array',
        });
        return;
      }
      if (
        req.method === 'POST' &&
        path === '/v1/chat/completions' &&
        options.rejectTools !== undefined &&
        Array.isArray((body as { tools?: unknown } | undefined)?.tools)
      ) {
        sendError(res, {
          kind: 'error',
          status: 400,
          message: options.rejectTools,
          type: 'invalid_request_error',
        });
        return;
      }
      if (req.method === 'POST' && path === '/v1/chat/completions') {
        const step = queue.shift();
        if (!step) {
          // 418 is not retried by clients, so an under-scripted test fails fast with this message.
          sendError(res, {
            kind: 'error',
            status: 418,
            message: 'openaiServer: no scripted response left for this request',
            type: 'test_script',
          });
          return;
        }
        const request = (body ?? {}) as {
          stream?: boolean;
          model?: string;
          stream_options?: { include_usage?: boolean };
        };
        created += 1;
        const stream =
          request.stream === true
            ? { includeUsage: request.stream_options?.include_usage === true }
            : null;
        respond(res, step, stream, request.model ?? 'test-model', `chatcmpl-test-${created}`);
        return;
      }
      sendError(res, {
        kind: 'error',
        status: 404,
        message: `openaiServer: no route for ${req.method ?? ''} ${path}`,
        type: 'invalid_request_error',
      });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    // The endpoint check's probe is not a completion.
    completions: () =>
      requests.filter((r) => r.path === '/v1/chat/completions' && !isEndpointProbe(r.body)),
    push: (...more) => void queue.push(...more),
    pending: () => queue.length,
    close: () =>
      new Promise<void>((resolve) => {
        // Hanging responses keep sockets open; end them so close() returns promptly.
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The endpoint check's probe (src/core/model/endpointCheck.ts): no messages, max_tokens 1, not streamed. */
function isEndpointProbe(body: unknown): boolean {
  const b = body as { messages?: unknown; max_tokens?: unknown; stream?: unknown } | undefined;
  return (
    Array.isArray(b?.messages) && b.messages.length === 0 && b.max_tokens === 1 && b.stream !== true
  );
}

function sendJson(
  res: http.ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function sendError(res: http.ServerResponse, step: Extract<ScriptStep, { kind: 'error' }>): void {
  const error = {
    message: step.message ?? `HTTP ${step.status}`,
    type: step.type ?? 'error',
    param: null,
    code: step.code ?? null,
  };
  sendJson(res, step.status, { error }, step.headers);
}

function split(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function respond(
  res: http.ServerResponse,
  step: ScriptStep,
  stream: { includeUsage: boolean } | null,
  model: string,
  id: string,
): void {
  switch (step.kind) {
    case 'error':
      sendError(res, step);
      return;
    case 'hang':
      return; // the socket stays open; close() or the client's abort ends it
    case 'garbage':
      res.writeHead(200, { 'content-type': step.contentType ?? 'text/html' });
      res.end(step.body);
      return;
    case 'trickle': {
      res.writeHead(200, {
        'content-type': step.raw ? 'text/plain' : 'text/event-stream',
        'cache-control': 'no-cache',
      });
      if (!step.raw) res.write(sse(chunk(id, model, { role: 'assistant', content: '' }, null)));
      const timer = setInterval(() => {
        if (res.destroyed) return clearInterval(timer);
        res.write(step.raw ? step.text : sse(chunk(id, model, { content: step.text }, null)));
      }, step.intervalMs);
      res.on('close', () => clearInterval(timer));
      return;
    }
    case 'tools':
      if (stream) void streamTools(res, step, stream.includeUsage, model, id);
      else {
        sendJson(res, 200, {
          id,
          object: 'chat.completion',
          created: 0,
          model,
          choices: [
            {
              index: 0,
              message: {
                role: 'assistant',
                content: step.text ?? null,
                tool_calls: wireCalls(step, id),
              },
              finish_reason: step.finishReason ?? 'tool_calls',
              logprobs: null,
            },
          ],
          usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
        });
      }
      return;
    case 'answer':
      if (stream) void streamAnswer(res, step, stream.includeUsage, model, id);
      else {
        const usage = step.usage ?? {
          prompt_tokens: 10,
          completion_tokens: Math.ceil(step.text.length / 4),
        };
        sendJson(res, 200, {
          id,
          object: 'chat.completion',
          created: 0,
          model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: step.text },
              finish_reason: step.finishReason ?? 'stop',
              logprobs: null,
            },
          ],
          usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
        });
      }
      return;
    case 'truncated': {
      const cut = step.text.slice(0, step.afterChars ?? Math.floor(step.text.length / 2));
      if (stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.write(sse(chunk(id, model, { role: 'assistant', content: '' }, null)));
        for (const piece of split(cut, step.chunkSize ?? 8))
          res.write(sse(chunk(id, model, { content: piece }, null)));
        // Let the chunks reach the client before the connection drops mid-answer.
        setTimeout(() => res.socket?.destroy(), 20);
      } else {
        // Announce the full length, send part, then drop the connection.
        const full = JSON.stringify({
          id,
          object: 'chat.completion',
          created: 0,
          model,
          choices: [
            { index: 0, message: { role: 'assistant', content: step.text }, finish_reason: 'stop' },
          ],
        });
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(full),
        });
        res.write(full.slice(0, Math.floor(full.length / 2)));
        setTimeout(() => res.socket?.destroy(), 20);
      }
      return;
    }
  }
}

function sse(data: unknown): string {
  return `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

function wireCalls(step: Extract<ScriptStep, { kind: 'tools' }>, id: string): unknown[] {
  return step.calls.map((c, i) => ({
    ...(step.omitIds ? {} : { id: c.id ?? `${id}-call-${i}` }),
    type: 'function',
    function: {
      name: c.name,
      arguments: step.objectArguments
        ? typeof c.arguments === 'string'
          ? (JSON.parse(c.arguments) as unknown)
          : c.arguments
        : typeof c.arguments === 'string'
          ? c.arguments
          : JSON.stringify(c.arguments),
    },
  }));
}

async function streamTools(
  res: http.ServerResponse,
  step: Extract<ScriptStep, { kind: 'tools' }>,
  includeUsage: boolean,
  model: string,
  id: string,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.write(sse(chunk(id, model, { role: 'assistant', content: '' }, null)));
  for (const piece of split(step.text ?? '', 8))
    res.write(sse(chunk(id, model, { content: piece }, null)));
  const calls = wireCalls(step, id) as {
    id?: string;
    function: { name: string; arguments: unknown };
  }[];
  for (const [index, c] of calls.entries()) {
    // As OpenAI streams them: id, type and name first with empty arguments, then argument pieces.
    res.write(
      sse(
        toolChunk(id, model, {
          index,
          ...(c.id ? { id: c.id } : {}),
          type: 'function',
          function: { name: c.function.name, arguments: '' },
        }),
      ),
    );
    const args =
      typeof c.function.arguments === 'string'
        ? c.function.arguments
        : JSON.stringify(c.function.arguments);
    for (const piece of split(args, step.argChunk ?? 7)) {
      res.write(sse(toolChunk(id, model, { index, function: { arguments: piece } })));
      await new Promise((r) => setImmediate(r));
    }
  }
  res.write(sse(chunk(id, model, {}, step.finishReason ?? 'tool_calls')));
  if (includeUsage)
    res.write(
      sse({
        id,
        object: 'chat.completion.chunk',
        created: 0,
        model,
        choices: [],
        usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      }),
    );
  res.write(sse('[DONE]'));
  res.end();
}

function toolChunk(id: string, model: string, call: Record<string, unknown>): unknown {
  return {
    id,
    object: 'chat.completion.chunk',
    created: 0,
    model,
    choices: [{ index: 0, delta: { tool_calls: [call] }, finish_reason: null, logprobs: null }],
  };
}

function chunk(
  id: string,
  model: string,
  delta: Record<string, string>,
  finish: string | null,
): unknown {
  return {
    id,
    object: 'chat.completion.chunk',
    created: 0,
    model,
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  };
}

async function streamAnswer(
  res: http.ServerResponse,
  step: Extract<ScriptStep, { kind: 'answer' }>,
  includeUsage: boolean,
  model: string,
  id: string,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.write(sse(chunk(id, model, { role: 'assistant', content: '' }, null)));
  let sent = 0;
  for (const piece of split(step.text, step.chunkSize ?? 8)) {
    if (step.hangAfterChunks !== undefined && sent >= step.hangAfterChunks) return; // keep the socket open, send nothing more
    if (res.destroyed) return;
    res.write(sse(chunk(id, model, { content: piece }, null)));
    sent += 1;
    if (step.chunkDelayMs) await new Promise((r) => setTimeout(r, step.chunkDelayMs));
  }
  res.write(sse(chunk(id, model, {}, step.finishReason ?? 'stop')));
  const usage = step.usage ?? {
    prompt_tokens: 10,
    completion_tokens: Math.ceil(step.text.length / 4),
  };
  // OpenAI sends usage in a final chunk with empty choices when stream_options.include_usage is set.
  if (includeUsage)
    res.write(
      sse({
        id,
        object: 'chat.completion.chunk',
        created: 0,
        model,
        choices: [],
        usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
      }),
    );
  res.write(sse('[DONE]'));
  res.end();
}
