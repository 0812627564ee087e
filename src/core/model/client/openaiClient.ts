// The OpenAI SDK as the provider uses it: the client (its own retries and logging off), the
// endpoint's identity, and the SDK's finish reasons, usage and tool calls in the provider's terms.
import type OpenAI from 'openai';
import { classifyOpenAIError } from './openaiErrors';
import { loadOpenAI } from './openaiSdk';
import type { ChatResult, ChatUsage, FinishReason, ToolCall } from './provider';

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';
const NO_KEY = 'no-key-required';

/** Where and how to connect. */
export interface ClientOptions {
  /** Default: OPENAI_BASE_URL. */
  baseURL?: string;
  /** Not sent when empty (a local server needs none). */
  apiKey?: string;
  headers?: Record<string, string>;
}

/** Is this OpenAI's own API (https://api.openai.com)? Only there is an OpenAI key sent. */
export function isOpenAIApi(baseURL: string): boolean {
  try {
    const u = new URL(baseURL);
    return u.protocol === 'https:' && u.hostname.toLowerCase() === 'api.openai.com';
  } catch {
    return false;
  }
}

export function hostOf(baseURL: string): string {
  try {
    return new URL(baseURL).host;
  } catch {
    return baseURL;
  }
}

export function makeClient(opts: ClientOptions): OpenAI {
  const { OpenAI: Client } = loadOpenAI();
  return new Client({
    apiKey: opts.apiKey ? opts.apiKey : NO_KEY,
    baseURL: opts.baseURL ?? OPENAI_BASE_URL,
    maxRetries: 0,
    // Our idle timer governs; this only bounds a request that somehow escapes it.
    timeout: 24 * 60 * 60 * 1000,
    defaultHeaders: opts.headers,
    // Failures are reported through UserError; the SDK's own console logging would only add noise.
    logLevel: 'off',
  });
}

export function mapFinish(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content-filter';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    default:
      return 'other';
  }
}

export function mapUsage(
  u: { prompt_tokens?: number; completion_tokens?: number } | null | undefined,
): ChatUsage | undefined {
  if (!u || typeof u.prompt_tokens !== 'number') return undefined;
  return { promptTokens: u.prompt_tokens, completionTokens: u.completion_tokens ?? 0 };
}

/** One attempt's answer (the provider adds the latency). */
export type AttemptResult = Omit<ChatResult, 'latencyMs'>;

/** The result with its tool calls; servers that say 'stop' beside tool calls (Ollama) count as calling. */
export function withCalls(r: AttemptResult, calls: ToolCall[]): AttemptResult {
  if (!calls.length) return r;
  return {
    ...r,
    toolCalls: calls,
    finishReason:
      r.finishReason === 'stop' || r.finishReason === 'other' ? 'tool-calls' : r.finishReason,
  };
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

/** Model ids the endpoint offers (GET {baseURL}/models), for pickers and "model not found" hints. */
export async function listOpenAIModels(
  options: ClientOptions & { timeoutMs?: number },
  signal?: AbortSignal,
): Promise<string[]> {
  const client = makeClient(options);
  const ctx = { model: '', baseURL: options.baseURL ?? OPENAI_BASE_URL };
  try {
    const ids: string[] = [];
    const page = await client.models.list({ signal, timeout: options.timeoutMs ?? 30_000 });
    for await (const m of page) ids.push(m.id);
    return ids.sort();
  } catch (e) {
    throw classifyOpenAIError(e, ctx).error;
  }
}
