// What the scripted OpenAI server (openaiServer.ts) answers, one step per completion request: a
// (streamed) answer, tool calls, an HTTP error, a hang, garbage — and `steps`, shorthands for them.

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
