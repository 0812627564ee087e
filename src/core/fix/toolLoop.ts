// One model answer with the trace tools: ask; while the model calls tools (and calls remain this
// round), answer each call from the recording and ask again with the calls and their answers. After
// the last allowed call the model is told so and asked with tool_choice 'none'. A provider that
// refuses tools (ToolsRejectedError) is asked once more with the plain prompt, and the caller is told
// (it says so once and asks without tools from then on).
import { throwIfAborted } from '../errors';
import type {
  ChatMessage,
  ChatRequest,
  ChatResult,
  ChatUsage,
  ModelProvider,
} from '../model/client/provider';
import { ToolsRejectedError } from '../model/client/toolCalling';
import type { ToolSession } from '../tools';

export const DEFAULT_MAX_TOOL_CALLS = 8;
/** Most tool calls a round may be allowed (a setting beyond it is capped). */
export const MAX_TOOL_CALLS = 50;

/** One tool call of a round and its answer, as shown in the Explanation view, --json and --show-prompt. */
export interface ToolCallRecord {
  name: string;
  /** The arguments as the model wrote them (JSON text). */
  arguments: string;
  /** The answer the model got (redacted, bounded). */
  answer: string;
  /** Steps the answer cites. */
  steps: number[];
  truncated: boolean;
  /** The call was malformed, unknown or over the limit (the answer says why). */
  error: boolean;
  /** The recording it asked ('patched' in a later round), when there are several. */
  run?: string;
  /** Text the model wrote in the same message, before calling (usually none). */
  said?: string;
}

export interface ToolRoundOptions {
  provider: ModelProvider;
  /** The round's prompt (with the tools paragraph when tools are on). */
  request: ChatRequest;
  /** undefined: no tools this round. */
  tools?: ToolSession;
  maxCalls: number;
  signal?: AbortSignal;
  onDelta?: (text: string) => void;
  /** The calls of one model message, answered (before the model is asked again). */
  onCalls?: (calls: ToolCallRecord[]) => void;
  /** The provider refused the tools (`reason`): the prompt to ask instead (without the tools paragraph). */
  plainRequest: (reason: string) => ChatRequest;
}

export interface ToolRoundResult {
  result: ChatResult;
  calls: ToolCallRecord[];
  /** Set when the provider refused the tools (the round was asked with the plain prompt). */
  toolsRefused?: string;
  /** Latency of every request of the round, summed. */
  latencyMs: number;
  usage?: ChatUsage;
}

export const LAST_CALL_NOTE =
  'That was the last tool call allowed in this answer: now give the rationale (citing steps), the Summary line and the fix.';
const OVER_LIMIT =
  'Not run: no more tool calls are allowed in this answer. Give the rationale, the Summary line and the fix now.';

export async function askWithTools(opts: ToolRoundOptions): Promise<ToolRoundResult> {
  const { provider, signal } = opts;
  let request = opts.request;
  let session = opts.maxCalls > 0 ? opts.tools : undefined;
  const messages: ChatMessage[] = [...request.messages];
  const calls: ToolCallRecord[] = [];
  let latencyMs = 0;
  let usage: ChatUsage | undefined;
  let toolsRefused: string | undefined;
  for (;;) {
    throwIfAborted(signal);
    const offer = session !== undefined;
    const req: ChatRequest = { ...request, messages: [...messages] };
    if (session) {
      req.tools = session.definitions().map((d) => ({
        name: d.name,
        description: d.description,
        parameters: d.inputSchema as unknown as Record<string, unknown>,
      }));
      req.toolChoice = calls.length >= opts.maxCalls ? 'none' : 'auto';
    }
    let res: ChatResult;
    try {
      res = await provider.complete(req, { signal, onDelta: opts.onDelta });
    } catch (e) {
      if (!offer || !(e instanceof ToolsRejectedError)) throw e;
      // Without tools: the plain prompt, none of the tool conversation.
      toolsRefused = e.reason;
      session = undefined;
      request = opts.plainRequest(e.reason);
      messages.splice(0, messages.length, ...request.messages);
      continue;
    }
    latencyMs += res.latencyMs;
    usage = addUsage(usage, res.usage);
    const asked = offer ? (res.toolCalls ?? []) : [];
    // The model answered, or keeps calling after it was told the calls are used up.
    if (
      !session ||
      asked.length === 0 ||
      res.finishReason === 'cancelled' ||
      calls.length >= opts.maxCalls
    ) {
      return {
        result: { ...res, latencyMs, ...(usage ? { usage } : {}) },
        calls,
        latencyMs,
        ...(usage ? { usage } : {}),
        ...(toolsRefused ? { toolsRefused } : {}),
      };
    }
    messages.push({ role: 'assistant', content: res.text, toolCalls: asked });
    const turn: ToolCallRecord[] = [];
    for (const c of asked) {
      throwIfAborted(signal);
      let record: ToolCallRecord;
      if (calls.length < opts.maxCalls) {
        const a = session.call(c.name, c.arguments);
        const last = calls.length + 1 === opts.maxCalls;
        record = {
          name: c.name,
          arguments: c.arguments,
          answer: last ? `${a.text}\n\n${LAST_CALL_NOTE}` : a.text,
          steps: a.steps,
          truncated: a.truncated,
          error: a.error,
          ...(a.run !== undefined ? { run: a.run } : {}),
        };
      } else {
        record = {
          name: c.name,
          arguments: c.arguments,
          answer: OVER_LIMIT,
          steps: [],
          truncated: false,
          error: true,
        };
      }
      if (turn.length === 0 && res.text.trim()) record.said = res.text;
      calls.push(record);
      turn.push(record);
      messages.push({ role: 'tool', toolCallId: c.id, content: record.answer });
    }
    opts.onCalls?.(turn);
  }
}

function addUsage(a: ChatUsage | undefined, b: ChatUsage | undefined): ChatUsage | undefined {
  if (!b) return a;
  if (!a) return { ...b };
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
  };
}
