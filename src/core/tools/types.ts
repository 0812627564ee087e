// Types of the trace query tools: what a tool is (name, description, JSON schema of its input, the
// function over the recording), what it answers, and the bounds every answer keeps.
import type * as z from 'zod';
import type { Trace } from '../trace/model';
import type { ValueRedactor } from './redactValues';

/** A JSON Schema (the subset the tools use: objects of strings, integers, booleans, string arrays). */
export interface JsonSchema {
  type: 'object' | 'string' | 'integer' | 'number' | 'boolean' | 'array';
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  additionalProperties?: boolean;
}

export interface ToolLimits {
  /** Longest answer text, in characters (an item that does not fit is left for the next page). */
  maxChars: number;
  /** Items (steps, calls, matches) listed per answer unless the call asks for fewer. */
  maxItems: number;
  /** Longest value shown, in characters (cut with `...`). */
  valueWidth: number;
  /** Longest time one call may take, in ms (a query over a huge recording stops and says so). */
  timeMs: number;
}

export const DEFAULT_TOOL_LIMITS: ToolLimits = {
  maxChars: 6000,
  maxItems: 40,
  valueWidth: 300,
  timeMs: 10_000,
};

/** Most items one call may ask for (`limit`). */
export const MAX_ITEMS = 200;

/** What a tool call produced: text for the model (redacted, bounded) and what the UI links. */
export interface ToolAnswer {
  text: string;
  /** Step numbers the answer cites, in order of first mention (the editor links them). */
  steps: number[];
  /** Part of what matched is not in the answer (the text says how to ask for more). */
  truncated: boolean;
  /** The call was malformed or could not be answered (the text says why). */
  error: boolean;
  /** Which recording answered ('failing' unless the call asked for another). */
  run?: string;
}

/** What a tool function gets besides its arguments. */
export interface ToolContext {
  trace: Trace;
  limits: ToolLimits;
  /** Values as the model may see them: redacted like the prompt (matching uses these too). */
  values: ValueRedactor;
  /** The call's time: scans call tick() as they go. */
  budget: QueryBudget;
  /** Every recording of the session by name, and the name of `trace` (compare_runs reads two). */
  runs?: ReadonlyMap<string, Trace>;
  runName?: string;
}

/** Bounds the time of one call: loops call tick(), which reads the clock every 256 calls and
 * stops the call (a ToolInputError the model reads) once its time is up. The server stays
 * responsive (a signal is handled as soon as the call returns), whatever the recording. */
export class QueryBudget {
  private n = 0;
  private readonly until: number;

  constructor(readonly ms: number) {
    this.until = Date.now() + ms;
  }

  tick(): void {
    if ((++this.n & 255) !== 0 || Date.now() < this.until) return;
    throw new ToolInputError(
      `stopped after ${this.ms / 1000} s: the recording is too large to answer this in one call; narrow it (from_step, function, file or name) and ask again`,
    );
  }
}

export type ToolArgs = Record<string, unknown>;

/** A tool's declared input (schema.ts): an object that admits no other fields. */
export type ToolInput = z.ZodObject<z.ZodRawShape, z.core.$strict>;

export interface ToolSpec {
  /** `snake_case`; what the model calls. */
  name: string;
  /** For people, in title case: "Variable History" (VS Code shows "Tracefix: Variable History"). */
  title: string;
  /** For people: what it answers, in one sentence (VS Code's tool picker). */
  summary: string;
  /** For the model: what the tool answers and when to use it. */
  description: string;
  /** The input, declared once; calls are checked against it (schema.ts parseToolArgs). */
  input: ToolInput;
  /** Derived from `input`: what models, MCP clients and package.json are given. */
  inputSchema: JsonSchema;
  /** Gets arguments `input` has parsed (defineTool types them). */
  run(ctx: ToolContext, args: ToolArgs): ToolAnswerDraft;
}

/** A tool function's result before redaction of the whole text. */
export interface ToolAnswerDraft {
  text: string;
  truncated?: boolean;
  error?: boolean;
}

/** A tool call that cannot be answered as asked: the message goes back to the model. */
export class ToolInputError extends Error {
  override readonly name = 'ToolInputError';
}
