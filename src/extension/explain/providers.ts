// Builds the ModelProvider `tracefix.provider` names: OpenAI / an OpenAI-compatible server (key from
// SecretStorage only, none needed for a local server) or a VS Code language model.
import type * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import { createOpenAIProvider, OPENAI_BASE_URL } from '../../core/model/openaiProvider';
import type { ModelProvider } from '../../core/model/provider';
import { API_KEY_SECRET } from '../explain';
import type { TracefixSettings } from '../settings';
import { isLocalEndpoint } from './endpoint';
import { LanguageModelProvider, selectLmModel } from './lmProvider';

export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';

export type ModelSettings = Pick<TracefixSettings, 'provider' | 'model' | 'baseUrl'>;

export async function createProvider(settings: ModelSettings, secrets: vscode.SecretStorage, log: vscode.LogOutputChannel): Promise<ModelProvider> {
  if (settings.provider === 'vscode-lm') return new LanguageModelProvider(await selectLmModel(settings.model));
  const baseURL = settings.baseUrl ?? OPENAI_BASE_URL;
  const apiKey = (await secrets.get(API_KEY_SECRET)) ?? undefined;
  if (!apiKey && !isLocalEndpoint(baseURL)) {
    throw new UserError(
      'model-auth',
      `Tracefix has no API key for the model endpoint ${baseURL}.`,
      'Store one with "Tracefix: Set Model API Key" (kept in VS Code secret storage), point tracefix.baseUrl at a local OpenAI-compatible server, or set tracefix.provider to "vscode-lm".',
    );
  }
  return createOpenAIProvider({
    model: settings.model ?? DEFAULT_OPENAI_MODEL,
    baseURL,
    ...(apiKey ? { apiKey } : {}),
    log: (line) => log.info(`model: ${line}`),
  });
}
