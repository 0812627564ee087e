// ModelProvider for OpenAI and any OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio…)
// through the `openai` package. The client's own retries and timeout are switched off: we retry
// here (so Retry-After and the delays are under our control and testable). Time is bounded by a
// total deadline per request (retries and streaming included — a server trickling a character
// every few seconds still ends), and optionally by a shorter silence timeout. `max_tokens` is always sent, and an
// answer far beyond it (a server ignoring it) is cut off with one clear error. A 200 whose body is
// not chat-completion data (an HTML page) is reported as "not an OpenAI-compatible endpoint".
import type OpenAI from 'openai';
import { UserError } from '../../errors';
import {
  formatSeconds,
  hostOf,
  makeClient,
  mapFinish,
  mapUsage,
  OPENAI_BASE_URL,
  withCalls,
  type AttemptResult,
} from './openaiClient';
import { classifyOpenAIError, notOpenAICompatible, type EndpointContext } from './openaiErrors';
import type {
  ChatRequest,
  ChatResult,
  ChatUsage,
  CompleteOptions,
  ModelProvider,
} from './provider';
import {
  ToolCallAccumulator,
  toOpenAIMessages,
  toolCallsOf,
  toolsRejection,
  ToolsRejectedError,
} from './toolCalling';

export { isOpenAIApi, listOpenAIModels, OPENAI_BASE_URL } from './openaiClient';

/** The model asked when none is named (the CLI's --model, the editor's tracefix.model). */
export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';

export interface RetryPolicy {
  /** Retries after the first attempt (so at most maxRetries + 1 requests). */
  maxRetries: number;
  /** Back-off before retry n (0-based) is min(maxDelayMs, baseDelayMs * 2^n) unless the server sent Retry-After. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this ends the retries at once (the error says how long to wait). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 1000,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 60_000,
};

export interface OpenAIProviderOptions {
  model: string;
  /** Default https://api.openai.com/v1. For local servers usually `http://localhost:PORT/v1`. */
  baseURL?: string;
  /** May be empty for local servers (a placeholder is sent, as the client requires one). */
  apiKey?: string;
  /** Stream the answer (default true); onDelta only fires when streaming. */
  stream?: boolean;
  /** Give up when nothing arrives for this long: no response, or no new chunk mid-stream (never
   * more than the deadline). Default: the deadline itself, so the one option users know about
   * governs — a local model may think for minutes before its first token. */
  timeoutMs?: number;
  /** Total time one complete() may take, retries, back-off and streaming included. Default 300 s. */
  deadlineMs?: number;
  /** What to tell the user to raise when the deadline passes, e.g. "--model-timeout SECONDS". */
  timeoutHint?: string;
  /** Sent as max_tokens when the request sets none. Default 8192. */
  maxTokens?: number;
  /** An answer longer than this is cut off with an error. Default max(200,000, 24 × max tokens). */
  maxAnswerChars?: number;
  retry?: Partial<RetryPolicy>;
  /** Which request field carries ChatRequest.maxTokens. Default: `max_completion_tokens` for
   * api.openai.com (its newer models reject `max_tokens`), `max_tokens` elsewhere. */
  maxTokensParam?: 'max_tokens' | 'max_completion_tokens';
  /** Ask for usage in the stream (`stream_options.include_usage`). Default true. */
  streamUsage?: boolean;
  headers?: Record<string, string>;
  id?: string;
  label?: string;
  /** Progress lines such as retries, for an output channel / --verbose. */
  log?: (line: string) => void;
  /** Waits between retries; replaceable so tests can observe the delays without waiting them. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const DEFAULT_DEADLINE_MS = 300_000;
export const DEFAULT_MAX_TOKENS = 8192;

/** Resolves after `ms`, or early (without rejecting) when the signal aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Why an attempt's own controller fired (the caller's abort is read from its signal). */
type StopReason = 'idle' | 'deadline' | 'oversize';

export class OpenAIProvider implements ModelProvider {
  readonly id: string;
  readonly label: string;
  private readonly client: OpenAI;
  private readonly ctx: EndpointContext;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly deadlineMs: number;
  private readonly maxTokens: number;
  private readonly maxAnswerChars: number | undefined;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(private readonly opts: OpenAIProviderOptions) {
    const baseURL = opts.baseURL ?? OPENAI_BASE_URL;
    const host = hostOf(baseURL);
    const official = host === 'api.openai.com';
    this.id =
      opts.id ?? (official ? `openai:${opts.model}` : `openai-compatible:${host}:${opts.model}`);
    this.label = opts.label ?? (official ? `${opts.model} (OpenAI)` : `${opts.model} (${host})`);
    this.client = makeClient(opts);
    this.ctx = { model: opts.model, baseURL };
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.deadlineMs = opts.deadlineMs ?? DEFAULT_DEADLINE_MS;
    this.timeoutMs = Math.min(opts.timeoutMs ?? this.deadlineMs, this.deadlineMs);
    this.maxTokens = opts.maxTokens ?? DEFAULT_MAX_TOKENS;
    this.maxAnswerChars = opts.maxAnswerChars;
    this.sleep = opts.sleep ?? abortableSleep;
  }

  async complete(req: ChatRequest, opts: CompleteOptions = {}): Promise<ChatResult> {
    const started = Date.now();
    const { signal } = opts;
    const finish = (r: AttemptResult): ChatResult => ({ ...r, latencyMs: Date.now() - started });
    // One deadline for the whole call: every attempt and every back-off wait ends when it passes.
    const deadline = new AbortController();
    const deadlineTimer = setTimeout(() => deadline.abort(), this.deadlineMs);
    const onAbort = (): void => deadline.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    // Once text has reached onDelta a retry would repeat it, so from then on failures are final.
    const progress = { emitted: false };
    try {
      for (let attempt = 0; ; attempt++) {
        if (signal?.aborted) return finish({ text: '', finishReason: 'cancelled' });
        if (deadline.signal.aborted) throw this.deadlineError('');
        try {
          return finish(await this.attempt(req, opts, progress, deadline.signal));
        } catch (e) {
          // A server or model that refuses `tools` is not retried: the caller asks again without them.
          const refused = req.tools?.length ? toolsRejection(e) : undefined;
          if (refused) throw new ToolsRejectedError(refused);
          const c = classifyOpenAIError(e, this.ctx);
          if (!c.retryable || progress.emitted || attempt >= this.retry.maxRetries) throw c.error;
          if (c.retryAfterMs !== undefined && c.retryAfterMs > this.retry.maxRetryAfterMs) {
            throw new UserError(
              c.error.code,
              `${c.error.message} (the server asks to wait ${Math.ceil(c.retryAfterMs / 1000)} s)`,
              c.error.hint,
            );
          }
          const delay =
            c.retryAfterMs ??
            Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** attempt);
          this.opts.log?.(
            `${c.error.message} — retrying in ${delay} ms (attempt ${attempt + 2} of ${this.retry.maxRetries + 1})`,
          );
          await this.sleep(delay, deadline.signal);
        }
      }
    } finally {
      clearTimeout(deadlineTimer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private body(req: ChatRequest): OpenAI.Chat.ChatCompletionCreateParamsNonStreaming {
    const body: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming = {
      model: this.opts.model,
      messages: toOpenAIMessages(req.messages),
    };
    if (req.tools?.length) {
      body.tools = req.tools.map((t) => ({
        type: 'function',
        function: { name: t.name, description: t.description, parameters: t.parameters },
      }));
      if (req.toolChoice) body.tool_choice = req.toolChoice;
    }
    if (req.temperature !== undefined) body.temperature = req.temperature;
    const param =
      this.opts.maxTokensParam ??
      (hostOf(this.ctx.baseURL) === 'api.openai.com' ? 'max_completion_tokens' : 'max_tokens');
    body[param] = req.maxTokens ?? this.maxTokens;
    return body;
  }

  private deadlineError(text: string): UserError {
    const hint = this.opts.timeoutHint
      ? `raise ${this.opts.timeoutHint}`
      : 'raise the model timeout';
    return new UserError(
      'model-timeout',
      `The model endpoint ${this.ctx.baseURL} did not finish its answer within ${formatSeconds(this.deadlineMs)}${text ? ` (${text.length} characters had arrived)` : ''}.`,
      `Try again, ${hint}, or use a faster model.`,
    );
  }

  private async attempt(
    req: ChatRequest,
    opts: CompleteOptions,
    progress: { emitted: boolean },
    deadline: AbortSignal,
  ): Promise<AttemptResult> {
    const { signal, onDelta } = opts;
    const tokens = req.maxTokens ?? this.maxTokens;
    const maxChars = this.maxAnswerChars ?? Math.max(200_000, 24 * tokens);
    const controller = new AbortController();
    let stopped: StopReason | undefined;
    const stop = (why: StopReason): void => {
      stopped ??= why;
      controller.abort();
    };
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => stop('idle'), this.timeoutMs);
    };
    const onAbort = (): void => controller.abort();
    const onDeadline = (): void => stop('deadline');
    signal?.addEventListener('abort', onAbort, { once: true });
    deadline.addEventListener('abort', onDeadline, { once: true });
    if (deadline.aborted && !signal?.aborted) stop('deadline');
    let text = '';
    const interrupted = (): AttemptResult | undefined => {
      if (signal?.aborted) return { text, finishReason: 'cancelled' };
      if (stopped === 'deadline') throw this.deadlineError(text);
      if (stopped === 'oversize') {
        throw new UserError(
          'model-unavailable',
          `The answer from ${this.ctx.baseURL} grew past ${maxChars.toLocaleString('en-US')} characters, far beyond the ${tokens} tokens asked for; it was cut off and not used.`,
          'The server ignores max_tokens or the model is looping: try again or use another model.',
        );
      }
      if (stopped === 'idle') {
        throw new UserError(
          'model-timeout',
          `The model endpoint ${this.ctx.baseURL} sent nothing for ${formatSeconds(this.timeoutMs)}${text ? ' in the middle of its answer' : ''}.`,
          `Try again${this.opts.timeoutHint ? `, raise ${this.opts.timeoutHint}` : ''}, or use a faster model.`,
        );
      }
      return undefined;
    };
    arm();
    try {
      const requestOptions = { signal: controller.signal, maxRetries: 0 };
      if (this.opts.stream === false) {
        const { data: res, response } = await this.client.chat.completions
          .create({ ...this.body(req), stream: false }, requestOptions)
          .withResponse();
        const choice =
          typeof res === 'object' && res !== null
            ? (res as Partial<OpenAI.Chat.ChatCompletion>).choices?.[0]
            : undefined;
        if (!choice)
          throw notOpenAICompatible(
            this.ctx.baseURL,
            response.headers.get('content-type'),
            typeof res === 'string' ? res : undefined,
          );
        text = choice.message?.content ?? '';
        const toolCalls = req.tools?.length ? toolCallsOf(choice.message) : [];
        if (text.length > maxChars) stop('oversize');
        const over = interrupted();
        if (over) return over;
        return withCalls(
          {
            text,
            finishReason: mapFinish(choice.finish_reason),
            usage: mapUsage(res.usage),
            model: res.model,
          },
          toolCalls,
        );
      }
      const { data: stream, response } = await this.client.chat.completions
        .create(
          {
            ...this.body(req),
            stream: true,
            ...(this.opts.streamUsage === false ? {} : { stream_options: { include_usage: true } }),
          },
          requestOptions,
        )
        .withResponse();
      const contentType = response.headers.get('content-type');
      if (contentType && /html/i.test(contentType)) {
        controller.abort();
        throw notOpenAICompatible(this.ctx.baseURL, contentType);
      }
      arm();
      let reason: string | null = null;
      let usage: ChatUsage | undefined;
      let model: string | undefined;
      let chunks = 0;
      const calls = new ToolCallAccumulator();
      for await (const chunk of stream) {
        arm();
        chunks++;
        model ??= chunk.model;
        usage = mapUsage(chunk.usage) ?? usage;
        const choice = chunk.choices?.[0];
        const delta = choice?.delta?.content;
        if (delta) {
          text += delta;
          progress.emitted = true;
          onDelta?.(delta);
          if (text.length > maxChars) {
            stop('oversize');
            break;
          }
        }
        if (req.tools?.length && choice?.delta?.tool_calls) {
          calls.push(choice.delta.tool_calls);
          if (text.length + calls.chars > maxChars) {
            stop('oversize');
            break;
          }
        }
        if (choice?.finish_reason) reason = choice.finish_reason;
      }
      // The client ends the iteration quietly on abort, so check why it ended.
      const why = interrupted();
      if (why) return why;
      if (chunks === 0) throw notOpenAICompatible(this.ctx.baseURL, contentType);
      if (reason === null) {
        throw new UserError(
          'model-incomplete',
          `The answer from ${this.ctx.baseURL} broke off after ${text.length} characters (the stream ended without a finish reason).`,
          'Try again.',
        );
      }
      return withCalls({ text, finishReason: mapFinish(reason), usage, model }, calls.result());
    } catch (e) {
      const why = interrupted();
      if (why) return why;
      throw e;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      deadline.removeEventListener('abort', onDeadline);
    }
  }
}

export function createOpenAIProvider(options: OpenAIProviderOptions): ModelProvider {
  return new OpenAIProvider(options);
}
