// Function calling over the OpenAI chat-completions protocol: messages with tool calls and tool
// results in the wire format, tool calls gathered from a stream's `tool_calls` deltas (split across
// chunks, by index), and recognising a server or model that refuses `tools` — Ollama's "does not
// support tools", vLLM without --enable-auto-tool-choice, llama.cpp without --jinja — so the caller
// can ask again without them.
import type OpenAI from 'openai';
import type { APIError } from 'openai';
import { UserError } from '../../errors';
import { loadedOpenAI } from './openaiSdk';
import type { ChatMessage, ToolCall } from './provider';

/** The model or server does not take `tools`: ask again without them. */
export class ToolsRejectedError extends UserError {
  constructor(readonly reason: string) {
    super(
      'model-unavailable',
      `The model endpoint does not accept tool calls: ${reason}`,
      'Tracefix asks without the trace tools (the NExT text is still in the prompt).',
    );
  }
}

/** Longest arguments text of one call kept (a server streaming endless arguments is cut off). */
export const MAX_TOOL_ARGUMENT_CHARS = 20_000;
/** Most tool calls taken from one answer. */
export const MAX_CALLS_PER_ANSWER = 16;

export function toOpenAIMessages(
  messages: ChatMessage[],
): OpenAI.Chat.ChatCompletionMessageParam[] {
  return messages.map((m): OpenAI.Chat.ChatCompletionMessageParam => {
    if (m.role === 'tool')
      return { role: 'tool', tool_call_id: m.toolCallId ?? '', content: m.content };
    if (m.role === 'assistant' && m.toolCalls?.length) {
      return {
        role: 'assistant',
        content: m.content || null,
        tool_calls: m.toolCalls.map((c) => ({
          id: c.id,
          type: 'function',
          function: { name: c.name, arguments: c.arguments },
        })),
      };
    }
    return m.role === 'assistant'
      ? { role: 'assistant', content: m.content }
      : m.role === 'system'
        ? { role: 'system', content: m.content }
        : { role: 'user', content: m.content };
  });
}

/** Arguments as text: servers send a JSON string; some (Ollama builds) send the object itself. */
function argumentsText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  return JSON.stringify(v);
}

/** Tool calls of a non-streamed message. */
export function toolCallsOf(message: unknown): ToolCall[] {
  const calls = (message as { tool_calls?: unknown } | undefined)?.tool_calls;
  if (!Array.isArray(calls)) return [];
  const out: ToolCall[] = [];
  for (const [i, c] of calls.entries()) {
    const fn = (c as { function?: { name?: unknown; arguments?: unknown } }).function;
    if (!fn || typeof fn.name !== 'string' || out.length >= MAX_CALLS_PER_ANSWER) continue;
    const id = (c as { id?: unknown }).id;
    out.push({
      id: typeof id === 'string' && id ? id : freshId(i),
      name: fn.name,
      arguments: argumentsText(fn.arguments).slice(0, MAX_TOOL_ARGUMENT_CHARS),
    });
  }
  return out;
}

let idCounter = 0;

/** An id for a call the server sent without one (ids must differ across the whole conversation). */
function freshId(index: number): string {
  return `tracefix_call_${++idCounter}_${index}`;
}

interface Partial {
  id: string;
  name: string;
  arguments: string;
}

/** Gathers streamed `tool_calls` deltas (each names its call by `index`; id and name come first). */
export class ToolCallAccumulator {
  private readonly calls = new Map<number, Partial>();
  /** Characters of arguments received (to stop a runaway stream). */
  chars = 0;

  push(deltas: unknown): void {
    if (!Array.isArray(deltas)) return;
    for (const d of deltas as {
      index?: unknown;
      id?: unknown;
      function?: { name?: unknown; arguments?: unknown };
    }[]) {
      const index = typeof d.index === 'number' ? d.index : this.calls.size;
      let c = this.calls.get(index);
      if (!c) {
        if (this.calls.size >= MAX_CALLS_PER_ANSWER) continue;
        this.calls.set(index, (c = { id: '', name: '', arguments: '' }));
      }
      if (typeof d.id === 'string' && d.id) c.id = d.id;
      // OpenAI sends the name once; some servers repeat it in every delta.
      const name = d.function?.name;
      if (typeof name === 'string' && name !== c.name) c.name += name;
      const piece = argumentsText(d.function?.arguments);
      if (piece && c.arguments.length < MAX_TOOL_ARGUMENT_CHARS)
        c.arguments += piece.slice(0, MAX_TOOL_ARGUMENT_CHARS - c.arguments.length);
      this.chars += piece.length;
    }
  }

  get size(): number {
    return this.calls.size;
  }

  result(): ToolCall[] {
    return [...this.calls.entries()]
      .sort((a, b) => a[0] - b[0])
      .filter(([, c]) => c.name)
      .map(([i, c]) => ({ id: c.id || freshId(i), name: c.name, arguments: c.arguments }));
  }
}

const TOOLS_WORDS = /\btools?\b|tool[_ ]choice|function[_ ]call|functions?\b|jinja/i;
const NOT_ABOUT_TOOLS =
  /context[_ ]length|maximum context|too many tokens|model.{0,80}(?:does not exist|not found)/i;

/**
 * Why a request that offered tools was refused because of them, or undefined when the error is
 * something else (auth, rate limit, context length, an unknown model…). A 400/422 on a request with
 * tools counts as a refusal of the tools unless it names another cause; a 5xx only when it names them.
 */
export function toolsRejection(e: unknown): string | undefined {
  const { APIError } = loadedOpenAI() ?? {};
  if (!APIError || !(e instanceof APIError)) return undefined;
  const api = e as APIError<number | undefined, Headers | undefined, object | undefined>;
  const status = api.status;
  const body: unknown = api.error;
  const said =
    typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : undefined;
  const msg = (typeof said === 'string' ? said : api.message).replace(/\s+/g, ' ').trim();
  if (NOT_ABOUT_TOOLS.test(msg)) return undefined;
  const code = typeof api.code === 'string' ? api.code : '';
  if (code === 'context_length_exceeded' || code === 'model_not_found') return undefined;
  if (status === 400 || status === 422) return `HTTP ${status}: ${msg.slice(0, 300)}`;
  if (status !== undefined && status >= 500 && TOOLS_WORDS.test(msg))
    return `HTTP ${status}: ${msg.slice(0, 300)}`;
  return undefined;
}
