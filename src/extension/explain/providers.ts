// Builds the ModelProvider `tracefix.provider` names: OpenAI / an OpenAI-compatible server or a VS
// Code language model. A key lives in SecretStorage per base URL and is sent only to that endpoint
// (the key stored before keys were per endpoint counts as OpenAI's only); a local server needs none.
// The endpoint is checked (GET /models, see endpointCheck.ts) before the model is asked.
import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import { checkOpenAIEndpoint } from '../../core/model/client/endpointCheck';
import {
  createOpenAIProvider,
  DEFAULT_OPENAI_MODEL,
  isOpenAIApi,
  OPENAI_BASE_URL,
} from '../../core/model/client/openaiProvider';
import type { ModelProvider } from '../../core/model/client/provider';
import type { TracefixSettings } from '../settings';
import { isLocalEndpoint } from './endpoint';
import { LanguageModelProvider, selectLmModel } from './lmProvider';

/** SecretStorage key of the model API key (`Tracefix: Set Model API Key`); per endpoint, the
 * endpoint follows after a colon. */
export const API_KEY_SECRET = 'tracefix.apiKey';

export type ModelSettings = Pick<
  TracefixSettings,
  'provider' | 'model' | 'baseUrl' | 'modelDeadlineMs' | 'maxTokens'
>;

/** The endpoint a key belongs to, normalized: scheme, host, port and path without a trailing slash. */
export function endpointKey(baseUrl: string): string {
  try {
    const u = new URL(baseUrl);
    return `${u.protocol}//${u.host.toLowerCase()}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return baseUrl.trim().replace(/\/+$/, '');
  }
}

/** SecretStorage name of the key for one base URL. */
export function apiKeySecretName(baseUrl: string): string {
  return `${API_KEY_SECRET}:${endpointKey(baseUrl)}`;
}

/** The key stored for this endpoint; the old single key only for OpenAI's own API. */
export async function readApiKey(
  secrets: vscode.SecretStorage,
  baseUrl: string,
): Promise<string | undefined> {
  const own = await secrets.get(apiKeySecretName(baseUrl));
  if (own) return own;
  return isOpenAIApi(baseUrl) ? (await secrets.get(API_KEY_SECRET)) || undefined : undefined;
}

/** Stores (or, for '', removes) the key of one endpoint. */
export async function storeApiKey(
  secrets: vscode.SecretStorage,
  baseUrl: string,
  key: string,
): Promise<void> {
  if (key === '') {
    await secrets.delete(apiKeySecretName(baseUrl));
    if (isOpenAIApi(baseUrl)) await secrets.delete(API_KEY_SECRET);
    return;
  }
  await secrets.store(apiKeySecretName(baseUrl), key);
}

/**
 * "Tracefix: Set Model API Key": asks for the key of the configured base URL and stores it for that
 * endpoint only (empty removes it). `tell` shows the outcome.
 */
export async function askAndStoreApiKey(
  secrets: vscode.SecretStorage,
  baseUrlSetting: string | undefined,
  tell: (message: string) => void,
): Promise<void> {
  const baseUrl = baseUrlSetting ?? OPENAI_BASE_URL;
  const key = await vscode.window.showInputBox({
    title: `Tracefix: model API key for ${baseUrl}`,
    prompt:
      'Stored in VS Code secret storage for this base URL only: never in settings, never sent to another endpoint. Leave empty to remove it.',
    password: true,
    ignoreFocusOut: true,
  });
  if (key === undefined) return;
  await storeApiKey(secrets, baseUrl, key.trim());
  tell(
    key.trim()
      ? `Tracefix: the model API key is stored in secret storage, for ${baseUrl} only.`
      : `Tracefix: the model API key for ${baseUrl} was removed.`,
  );
}

export async function createProvider(
  settings: ModelSettings,
  secrets: vscode.SecretStorage,
  log: vscode.LogOutputChannel,
  signal?: AbortSignal,
): Promise<ModelProvider> {
  if (settings.provider === 'vscode-lm')
    return new LanguageModelProvider(await selectLmModel(settings.model));
  const baseURL = settings.baseUrl ?? OPENAI_BASE_URL;
  const apiKey = await readApiKey(secrets, baseURL);
  if (!apiKey && !isLocalEndpoint(baseURL)) {
    throw new UserError(
      'model-auth',
      `Tracefix has no API key for the model endpoint ${baseURL}.`,
      'Store one with "Tracefix: Set Model API Key" (kept in VS Code secret storage, for this endpoint only), point tracefix.baseUrl at a local OpenAI-compatible server, or set tracefix.provider to "vscode-lm".',
    );
  }
  const model = settings.model ?? DEFAULT_OPENAI_MODEL;
  // One clear notification for a wrong URL, a rejected key or a server that is down, before the model is asked.
  const checked = await checkOpenAIEndpoint({ baseURL, apiKey, model, signal });
  for (const n of checked.notes) log.info(`model: ${n}`);
  return createOpenAIProvider({
    model,
    baseURL,
    ...(apiKey ? { apiKey } : {}),
    deadlineMs: settings.modelDeadlineMs,
    maxTokens: settings.maxTokens,
    timeoutHint: `the tracefix.modelTimeoutSeconds setting (now ${Math.round(settings.modelDeadlineMs / 1000)})`,
    log: (line) => log.info(`model: ${line}`),
  });
}
