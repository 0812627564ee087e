// ModelProvider over the VS Code Language Model API (`vscode.lm`, e.g. Copilot models, no key):
// streams the response's text parts, links the AbortSignal to a CancellationToken, and maps errors to
// the same UserError codes as the OpenAI provider. Tools go to the model as LanguageModelChatTools;
// its LanguageModelToolCallParts come back as tool calls, and the answers go back as
// LanguageModelToolResultParts in a user message.
import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import type {
  ChatMessage,
  ChatRequest,
  ChatResult,
  CompleteOptions,
  ModelProvider,
  ToolCall,
} from '../../core/model/client/provider';
import { ToolsRejectedError } from '../../core/model/client/toolCalling';
import { lmErrorToUserError } from './lmErrors';

/** Picks the chat model named by `tracefix.model` (id, then family), else the first one offered. */
export async function selectLmModel(name: string | undefined): Promise<vscode.LanguageModelChat> {
  const tries: vscode.LanguageModelChatSelector[] = name ? [{ id: name }, { family: name }] : [{}];
  for (const selector of tries) {
    const [model] = await vscode.lm.selectChatModels(selector);
    if (model) return model;
  }
  const all = await vscode.lm.selectChatModels({});
  const offered = all.length ? ` Available: ${all.map((m) => m.id).join(', ')}.` : '';
  throw new UserError(
    'model-not-found',
    name
      ? `No VS Code language model named "${name}" is available.${offered}`
      : 'No VS Code language model is available (tracefix.provider is "vscode-lm").',
    'Install and sign in to a chat extension such as GitHub Copilot, or set tracefix.provider to "openai" (with tracefix.baseUrl for a local server).',
  );
}

function parsedInput(args: string): object {
  try {
    const v: unknown = JSON.parse(args);
    return typeof v === 'object' && v !== null ? v : {};
  } catch {
    return {};
  }
}

/** The chat as vscode.lm messages: no system role (it goes first as a user message); consecutive tool
 * answers in one user message of LanguageModelToolResultParts. */
export function toLmMessages(messages: ChatMessage[]): vscode.LanguageModelChatMessage[] {
  const out: vscode.LanguageModelChatMessage[] = [];
  let results: vscode.LanguageModelToolResultPart[] = [];
  const flush = (): void => {
    if (results.length) out.push(vscode.LanguageModelChatMessage.User(results));
    results = [];
  };
  for (const m of messages) {
    if (m.role === 'tool') {
      results.push(
        new vscode.LanguageModelToolResultPart(m.toolCallId ?? '', [
          new vscode.LanguageModelTextPart(m.content),
        ]),
      );
      continue;
    }
    flush();
    if (m.role === 'assistant' && m.toolCalls?.length) {
      const parts: (vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart)[] = m.content
        ? [new vscode.LanguageModelTextPart(m.content)]
        : [];
      for (const c of m.toolCalls)
        parts.push(new vscode.LanguageModelToolCallPart(c.id, c.name, parsedInput(c.arguments)));
      out.push(vscode.LanguageModelChatMessage.Assistant(parts));
    } else {
      out.push(
        m.role === 'assistant'
          ? vscode.LanguageModelChatMessage.Assistant(m.content)
          : vscode.LanguageModelChatMessage.User(m.content),
      );
    }
  }
  flush();
  return out;
}

export class LanguageModelProvider implements ModelProvider {
  readonly id: string;
  readonly label: string;

  constructor(private readonly model: vscode.LanguageModelChat) {
    this.id = `vscode-lm:${model.vendor}:${model.id}`;
    this.label = `${model.name} (VS Code)`;
  }

  async complete(req: ChatRequest, opts: CompleteOptions = {}): Promise<ChatResult> {
    const started = Date.now();
    const { signal, onDelta } = opts;
    if (signal?.aborted) return { text: '', finishReason: 'cancelled', latencyMs: 0 };
    const messages = toLmMessages(req.messages);
    const cts = new vscode.CancellationTokenSource();
    const onAbort = (): void => cts.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    const options: vscode.LanguageModelChatRequestOptions = {
      justification: 'Tracefix explains the recorded failure and proposes a fix.',
    };
    // toolChoice 'none' has no equivalent here: the tools stay declared (the history refers to them)
    // and the last tool answer tells the model to answer now.
    if (req.tools?.length)
      options.tools = req.tools.map((t) => ({
        name: t.name,
        description: t.description,
        inputSchema: t.parameters,
      }));
    let text = '';
    const toolCalls: ToolCall[] = [];
    let received = false;
    try {
      const response = await this.model.sendRequest(messages, options, cts.token);
      for await (const part of response.stream) {
        if (cts.token.isCancellationRequested) break;
        received = true;
        if (part instanceof vscode.LanguageModelTextPart) {
          text += part.value;
          onDelta?.(part.value);
        } else if (part instanceof vscode.LanguageModelToolCallPart) {
          toolCalls.push({
            id: part.callId,
            name: part.name,
            arguments: JSON.stringify(part.input ?? {}),
          });
        }
      }
      const base = { text, latencyMs: Date.now() - started, model: this.model.id };
      if (signal?.aborted) return { ...base, finishReason: 'cancelled' };
      if (toolCalls.length) return { ...base, finishReason: 'tool-calls', toolCalls };
      return { ...base, finishReason: 'stop' };
    } catch (e) {
      if (signal?.aborted || e instanceof vscode.CancellationError)
        return {
          text,
          finishReason: 'cancelled',
          latencyMs: Date.now() - started,
          model: this.model.id,
        };
      const mapped = lmErrorToUserError(e, this.model.id);
      // A model without tool support fails the request that offered tools (before any answer); the
      // caller asks again without them. Permission and quota errors keep their meaning.
      if (req.tools?.length && !received && mapped.code === 'model-unavailable')
        throw new ToolsRejectedError(`${this.model.id}: ${mapped.message}`);
      throw mapped;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      cts.dispose();
    }
  }
}
