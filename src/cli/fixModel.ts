// The model side of `tracefix fix` (and `bench`): which endpoint, model and key, checked before
// anything is traced. A key goes only to the endpoint it belongs to: OPENAI_API_KEY only to OpenAI's
// own API (https://api.openai.com), TRACEFIX_API_KEY to the endpoint chosen with --base-url /
// TRACEFIX_BASE_URL (or to OpenAI when that is the endpoint).
import { UserError } from '../core/errors';
import { checkOpenAIEndpoint } from '../core/model/client/endpointCheck';
import {
  DEFAULT_DEADLINE_MS,
  DEFAULT_OPENAI_MODEL,
  isOpenAIApi,
  OPENAI_BASE_URL,
} from '../core/model/client/openaiProvider';

export const DEFAULT_MODEL = DEFAULT_OPENAI_MODEL;
export const DEFAULT_MODEL_TIMEOUT_S = DEFAULT_DEADLINE_MS / 1000;

export interface ModelConfig {
  model: string;
  baseURL: string;
  apiKey: string;
  /** The variable the key came from ('' when none is sent). */
  keyVar: 'OPENAI_API_KEY' | 'TRACEFIX_API_KEY' | '';
  /** OPENAI_API_KEY is set but not sent, because the endpoint is not OpenAI's. */
  withheldOpenAIKey: boolean;
}

/** Model settings from flags and environment; UserError when neither a key nor a server is configured. */
export function modelConfig(
  flags: { model?: string; baseURL?: string },
  env: NodeJS.ProcessEnv,
): ModelConfig {
  const configured = flags.baseURL ?? (env.TRACEFIX_BASE_URL || undefined);
  const baseURL = configured ?? OPENAI_BASE_URL;
  const openai = isOpenAIApi(baseURL);
  const openaiKey = env.OPENAI_API_KEY ?? '';
  const ownKey = env.TRACEFIX_API_KEY ?? '';
  const keyVar = openai && openaiKey ? 'OPENAI_API_KEY' : ownKey ? 'TRACEFIX_API_KEY' : '';
  const apiKey =
    keyVar === 'OPENAI_API_KEY' ? openaiKey : keyVar === 'TRACEFIX_API_KEY' ? ownKey : '';
  if (!apiKey && !configured) {
    throw new UserError(
      'model-auth',
      'No model configured: set OPENAI_API_KEY to use the OpenAI API, or point Tracefix at an OpenAI-compatible server with --base-url URL or TRACEFIX_BASE_URL (e.g. http://localhost:11434/v1 for Ollama).',
      `Choose the model with --model NAME or TRACEFIX_MODEL (default ${DEFAULT_MODEL}); a key for another server goes in TRACEFIX_API_KEY.`,
    );
  }
  return {
    model: flags.model ?? (env.TRACEFIX_MODEL || DEFAULT_MODEL),
    baseURL,
    apiKey,
    keyVar,
    withheldOpenAIKey: !openai && openaiKey !== '',
  };
}

/** Where to put the key for this endpoint, for a rejected-credentials hint. */
export function keyHint(cfg: ModelConfig): string {
  if (isOpenAIApi(cfg.baseURL)) return 'Set OPENAI_API_KEY to a valid OpenAI API key.';
  const withheld = cfg.withheldOpenAIKey
    ? ' (OPENAI_API_KEY is only ever sent to api.openai.com)'
    : '';
  return `Set TRACEFIX_API_KEY to the key for ${cfg.baseURL}${withheld}; the server is chosen with --base-url or TRACEFIX_BASE_URL.`;
}

/** GET /models (and, where that is missing, an empty chat request) before tracing; notes go to `log`. */
export async function checkModelEndpoint(
  cfg: ModelConfig,
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  try {
    const r = await checkOpenAIEndpoint({
      baseURL: cfg.baseURL,
      apiKey: cfg.apiKey,
      model: cfg.model,
      signal,
    });
    for (const n of r.notes) log(`note: ${n}`);
  } catch (e) {
    if (e instanceof UserError && e.code === 'model-auth')
      throw new UserError(e.code, e.message, keyHint(cfg));
    throw e;
  }
}
