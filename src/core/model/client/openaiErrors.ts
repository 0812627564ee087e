// Maps whatever the `openai` client (or the network under it) throws to a UserError the user can act
// on, and says whether the request is worth retrying.
import type { APIError } from 'openai';
import { errorMessage, UserError } from '../../errors';
import { loadedOpenAI } from './openaiSdk';

export interface EndpointContext {
  model: string;
  baseURL: string;
}

export interface ClassifiedError {
  /** Transient: 429 (not quota), 408/409, 5xx, dropped connections before any text arrived. */
  retryable: boolean;
  /** What the server asked for (Retry-After / retry-after-ms), in ms. */
  retryAfterMs?: number;
  /** The error to throw if no retry happens (or retries run out). */
  error: UserError;
}

const CONTEXT_LENGTH =
  /context[_ ]length|maximum context|context window|too many tokens|prompt is too long|reduce the length|exceeds? the (?:max|maximum|model)/i;
const MODEL_MISSING =
  /model.{0,80}(?:does not exist|not found|not exist|unknown)|no such model|unknown model/i;
const QUOTA = /insufficient_quota|exceeded your current quota|billing/i;

/** Retry-After in ms from `retry-after-ms` or `retry-after` (seconds or an HTTP date). */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get('retry-after');
  if (raw === null) return undefined;
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

function serverMessage(
  e: APIError<number | undefined, Headers | undefined, object | undefined>,
): string {
  const body = e.error as { message?: unknown } | undefined;
  const msg = typeof body?.message === 'string' ? body.message : e.message;
  return msg.replace(/\s+/g, ' ').trim();
}

function causeCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur && typeof cur === 'object'; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

const BASE_URL_HINT =
  'Check the base URL: it must be the root of an OpenAI-compatible API, usually ending in /v1 (e.g. https://api.openai.com/v1, http://localhost:11434/v1).';

/** A 200 whose body is not chat-completion data: an HTML page, a proxy's error, another API. */
export function notOpenAICompatible(
  baseURL: string,
  contentType: string | null | undefined,
  body?: string,
): UserError {
  const type = contentType ? contentType.split(';')[0]?.trim() : undefined;
  const sample = body?.replace(/\s+/g, ' ').trim().slice(0, 60);
  const what = type ? `answered with ${type}` : 'answered without chat-completion data';
  return new UserError(
    'model-unavailable',
    `${baseURL} is not an OpenAI-compatible endpoint: it ${what}${sample ? ` ("${sample}${body && body.length > 60 ? '…' : ''}")` : ''} instead of a chat completion.`,
    BASE_URL_HINT,
  );
}

export function classifyOpenAIError(e: unknown, ctx: EndpointContext): ClassifiedError {
  const where = ctx.baseURL;
  if (e instanceof UserError) return { retryable: false, error: e };
  // The SDK is loaded lazily; before it is, nothing thrown can be one of its errors.
  const { APIConnectionError, APIConnectionTimeoutError, APIError } = loadedOpenAI() ?? {};
  if (APIConnectionTimeoutError && e instanceof APIConnectionTimeoutError) {
    return {
      retryable: false,
      error: new UserError('model-timeout', `The model endpoint ${where} did not answer in time.`),
    };
  }
  if (APIConnectionError && e instanceof APIConnectionError) {
    const code = causeCode(e);
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      const what = code === 'ECONNREFUSED' ? 'connection refused' : 'host not found';
      return {
        retryable: false,
        error: new UserError(
          'model-unavailable',
          `Could not connect to the model endpoint ${where} (${what}).`,
          'Check the base URL and that the server is running.',
        ),
      };
    }
    return {
      retryable: true,
      error: new UserError(
        'model-unavailable',
        `The connection to the model endpoint ${where} failed${code ? ` (${code})` : ''}: ${e.message}`,
      ),
    };
  }
  if (APIError && e instanceof APIError) {
    const api = e as APIError<number | undefined, Headers | undefined, object | undefined>;
    const status = api.status;
    const msg = serverMessage(api);
    const code = typeof api.code === 'string' ? api.code : '';
    if (status === 401 || status === 403) {
      return {
        retryable: false,
        error: new UserError(
          'model-auth',
          `The model endpoint ${where} rejected the credentials (HTTP ${status}): ${msg}`,
          'Check the API key configured for this endpoint.',
        ),
      };
    }
    if (
      code === 'context_length_exceeded' ||
      ((status === 400 || status === 413 || status === 422) && CONTEXT_LENGTH.test(msg))
    ) {
      return {
        retryable: false,
        error: new UserError(
          'model-context-length',
          `The prompt is too long for model "${ctx.model}": ${msg}`,
          'Record a shorter trace (fewer steps, shorter reprs) or choose a model with a larger context window.',
        ),
      };
    }
    if (
      status === 404 ||
      code === 'model_not_found' ||
      (status === 400 && MODEL_MISSING.test(msg))
    ) {
      return {
        retryable: false,
        error: new UserError(
          'model-not-found',
          `Model "${ctx.model}" was not found at ${where} (HTTP ${status ?? '?'}): ${msg}`,
          `Check the model name and the base URL; ${where.replace(/\/$/, '')}/models lists the models the server offers.`,
        ),
      };
    }
    if (status === 429) {
      const quota = code === 'insufficient_quota' || QUOTA.test(msg);
      return {
        retryable: !quota,
        retryAfterMs: retryAfterMs(api.headers),
        error: new UserError(
          'model-rate-limit',
          quota
            ? `The model endpoint ${where} reports the quota is used up: ${msg}`
            : `The model endpoint ${where} kept rate-limiting the request (HTTP 429): ${msg}`,
          'Wait a moment and try again, or use another model.',
        ),
      };
    }
    if (status !== undefined && (status >= 500 || status === 408 || status === 409)) {
      return {
        retryable: true,
        retryAfterMs: retryAfterMs(api.headers),
        error: new UserError(
          'model-unavailable',
          `The model endpoint ${where} failed (HTTP ${status}): ${msg}`,
          'The server had a problem; try again later.',
        ),
      };
    }
    if (status === undefined) {
      // An `error` object inside the SSE stream.
      return {
        retryable: false,
        error: new UserError(
          'model-unavailable',
          `The model endpoint ${where} reported an error mid-answer: ${msg}`,
        ),
      };
    }
    return {
      retryable: false,
      error: new UserError(
        'model-unavailable',
        `The model endpoint ${where} refused the request (HTTP ${status}): ${msg}`,
      ),
    };
  }
  if (e instanceof SyntaxError) {
    return {
      retryable: false,
      error: new UserError(
        'model-unavailable',
        `${where} is not an OpenAI-compatible endpoint: its response is not chat-completion data (${e.message}).`,
        BASE_URL_HINT,
      ),
    };
  }
  const cause = (e as { cause?: unknown }).cause;
  const causeText = cause instanceof Error ? cause.message : '';
  if (
    e instanceof TypeError &&
    /terminated|other side closed|socket/i.test(`${e.message} ${causeText}`)
  ) {
    return {
      retryable: false,
      error: new UserError(
        'model-incomplete',
        `The connection to ${where} closed before the answer was complete.`,
      ),
    };
  }
  const text = errorMessage(e);
  return {
    retryable: false,
    error: new UserError('model-unavailable', `The model request to ${where} failed: ${text}`),
  };
}
