// The one seam between Tracefix and a language model. The core ships an OpenAI(-compatible)
// implementation (openaiProvider.ts); the extension adds a `vscode.lm` one with the same shape.

export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

/** A function the model asked to call (OpenAI `tool_calls`, VS Code `LanguageModelToolCallPart`). */
export interface ToolCall {
  /** The provider's id of the call; the answer refers to it. */
  id: string;
  name: string;
  /** The arguments as JSON text, as the model wrote them (may be invalid JSON). */
  arguments: string;
}

export interface ChatMessage {
  role: ChatRole;
  content: string;
  /** assistant: the tool calls the model made in this message. */
  toolCalls?: ToolCall[];
  /** tool: the call this message answers. */
  toolCallId?: string;
}

/** A tool offered to the model: name, what it does, and the JSON schema of its arguments. */
export interface ToolDefinition {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface ChatRequest {
  messages: ChatMessage[];
  /** Upper bound on generated tokens; omitted means the provider/server default. */
  maxTokens?: number;
  /** Omitted means the provider default (some reasoning models accept no other value). */
  temperature?: number;
  /** Tools the model may call; the answer then may carry `toolCalls` instead of (or beside) text. */
  tools?: ToolDefinition[];
  /** 'none': tools stay declared (the history refers to them) but the model must answer in text. */
  toolChoice?: 'auto' | 'none';
}

/**
 * Why generation ended.
 * - `stop`: the model finished its answer.
 * - `length`: cut by the token limit; the text is incomplete (parseAnswer reports `incomplete`).
 * - `cancelled`: the caller's AbortSignal fired; `text` holds what arrived before that.
 * - `content-filter`: the provider withheld (part of) the answer.
 * - `tool-calls`: the model stopped to call tools (`toolCalls`); answer them and ask again.
 * - `other`: any reason the provider reported that is none of the above.
 */
export type FinishReason =
  'stop' | 'length' | 'cancelled' | 'content-filter' | 'tool-calls' | 'other';

export interface ChatUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface ChatResult {
  text: string;
  finishReason: FinishReason;
  usage?: ChatUsage;
  /** From the call to the end of the answer, retries and back-off included. */
  latencyMs: number;
  /** The model that answered, when the provider says. */
  model?: string;
  /** The tools the model asked to call (only when the request offered tools). */
  toolCalls?: ToolCall[];
}

export interface CompleteOptions {
  /** Aborting resolves the call with `finishReason: 'cancelled'` (it does not reject). */
  signal?: AbortSignal;
  /** Streamed text pieces in order; their concatenation equals the final `text`. */
  onDelta?: (text: string) => void;
}

export interface ModelProvider {
  /** Stable identifier, e.g. `openai:gpt-4o-mini`. */
  id: string;
  /** Human-readable name for pickers and logs. */
  label: string;
  /**
   * Runs one chat completion. Rejects only with a UserError (`model-*` codes) for problems the user
   * can act on; a caller abort resolves with `finishReason: 'cancelled'`. A request with `tools`
   * that the model or server cannot take rejects with ToolsRejectedError (toolCalling.ts).
   */
  complete(req: ChatRequest, opts?: CompleteOptions): Promise<ChatResult>;
  /** false: this provider never passes tools to its model (the oracle); undefined/true: it does. */
  supportsTools?: boolean;
}
