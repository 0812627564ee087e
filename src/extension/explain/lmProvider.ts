// ModelProvider over the VS Code Language Model API (`vscode.lm`, e.g. Copilot models, no key):
// streams `response.text`, links the AbortSignal to a CancellationToken, and maps errors to the
// same UserError codes as the OpenAI provider.
import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import type { ChatRequest, ChatResult, CompleteOptions, ModelProvider } from '../../core/model/provider';
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
    name ? `No VS Code language model named "${name}" is available.${offered}` : 'No VS Code language model is available (tracefix.provider is "vscode-lm").',
    'Install and sign in to a chat extension such as GitHub Copilot, or set tracefix.provider to "openai" (with tracefix.baseUrl for a local server).',
  );
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
    // The API has no system role: the system prompt goes first as a user message.
    const messages = req.messages.map((m) => (m.role === 'assistant' ? vscode.LanguageModelChatMessage.Assistant(m.content) : vscode.LanguageModelChatMessage.User(m.content)));
    const cts = new vscode.CancellationTokenSource();
    const onAbort = (): void => cts.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    let text = '';
    try {
      const response = await this.model.sendRequest(messages, { justification: 'Tracefix explains the recorded failure and proposes a fix.' }, cts.token);
      for await (const piece of response.text) {
        if (cts.token.isCancellationRequested) break;
        text += piece;
        onDelta?.(piece);
      }
      if (signal?.aborted) return { text, finishReason: 'cancelled', latencyMs: Date.now() - started, model: this.model.id };
      return { text, finishReason: 'stop', latencyMs: Date.now() - started, model: this.model.id };
    } catch (e) {
      if (signal?.aborted || e instanceof vscode.CancellationError) return { text, finishReason: 'cancelled', latencyMs: Date.now() - started, model: this.model.id };
      throw lmErrorToUserError(e, this.model.id);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      cts.dispose();
    }
  }
}
