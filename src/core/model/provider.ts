// The one seam between Tracefix and a language model. The core ships an OpenAI(-compatible)
// implementation (openaiProvider.ts); the extension adds a `vscode.lm` one with the same shape.

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  /** Upper bound on generated tokens; omitted means the provider/server default. */
  maxTokens?: number;
  /** Omitted means the provider default (some reasoning models accept no other value). */
  temperature?: number;
}

/**
 * Why generation ended.
 * - `stop`: the model finished its answer.
 * - `length`: cut by the token limit; the text is incomplete (parseAnswer reports `incomplete`).
 * - `cancelled`: the caller's AbortSignal fired; `text` holds what arrived before that.
 * - `content-filter`: the provider withheld (part of) the answer.
 * - `other`: any reason the provider reported that is none of the above.
 */
export type FinishReason = 'stop' | 'length' | 'cancelled' | 'content-filter' | 'other';

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
   * can act on; a caller abort resolves with `finishReason: 'cancelled'`.
   */
  complete(req: ChatRequest, opts?: CompleteOptions): Promise<ChatResult>;
}
