// A real HTTP server on 127.0.0.1 that speaks enough of the OpenAI chat-completions protocol for
// tests: POST /v1/chat/completions (JSON or SSE streaming) and GET /v1/models. Responses come from a
// script queue, one step per completion request, so a test can say "429, then a streamed answer".
// Dependency-free (node:http only) so vitest, the VS Code suites and plain node scripts can all load it.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { respond, sendError, sendJson } from './openaiResponses';
import { steps, type ScriptStep } from './openaiScript';

export { steps, type ScriptStep, type ToolCallScript } from './openaiScript';

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

/** The endpoint check's probe (src/core/model/client/endpointCheck.ts): no messages, max_tokens 1, not streamed. */
function isEndpointProbe(body: unknown): boolean {
  const b = body as { messages?: unknown; max_tokens?: unknown; stream?: unknown } | undefined;
  return (
    Array.isArray(b?.messages) && b.messages.length === 0 && b.max_tokens === 1 && b.stream !== true
  );
}
