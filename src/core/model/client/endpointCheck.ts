// A cheap check of an OpenAI-compatible endpoint before anything is traced, so a wrong base URL, a
// rejected key or a server that is down is one clear line in a second, not a failure after a long
// recording. It asks GET {base}/models; servers that do not implement /models (some proxies and
// gateways answer 404/405) are not rejected for that alone: a POST {base}/chat/completions with an
// empty message list — which a real server refuses with a 4xx JSON error without running a model —
// then tells an API from a wrong URL. Only definite answers reject: no connection, 401/403, an HTML
// page or 404 from both routes, an unknown model. Anything unclear (a slow or failing server) passes
// and the real request's own deadline applies.
import { errorMessage, UserError } from '../../errors';
import { notOpenAICompatible } from './openaiErrors';

export interface EndpointCheckOptions {
  baseURL: string;
  apiKey?: string;
  model: string;
  /** Per probe request (default 10 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export interface EndpointCheckResult {
  /** Models GET /models listed (undefined when the server has no such route). */
  models?: string[];
  /** Something worth a note that does not stop the run (e.g. the model is not listed). */
  notes: string[];
}

interface Probe {
  status: number;
  contentType: string;
  body: string;
  json: unknown;
}

const MAX_BODY = 1_000_000;

function url(base: string, route: string): string {
  return `${base.replace(/\/+$/, '')}/${route}`;
}

async function probe(
  target: string,
  init: RequestInit,
  opts: EndpointCheckOptions,
): Promise<Probe | 'timeout'> {
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? 10_000);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (opts.apiKey) headers.authorization = `Bearer ${opts.apiKey}`;
  try {
    const res = await fetch(target, {
      ...init,
      headers: { ...headers, ...(init.headers as Record<string, string> | undefined) },
      signal,
      redirect: 'follow',
    });
    const body = (await res.text()).slice(0, MAX_BODY);
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', body, json };
  } catch (e) {
    if (opts.signal?.aborted) throw e;
    if (timeout.aborted) return 'timeout';
    throw connectionError(opts.baseURL, e);
  }
}

function causeCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur && typeof cur === 'object'; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

function connectionError(baseURL: string, e: unknown): UserError {
  const code = causeCode(e);
  const what =
    code === 'ECONNREFUSED'
      ? 'connection refused'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'host not found'
        : (code ?? errorMessage(e));
  return new UserError(
    'model-unavailable',
    `Could not connect to the model endpoint ${baseURL} (${what}).`,
    'Check the base URL and that the server is running.',
  );
}

/** The `error.message` of a JSON error body ('' when there is none). */
function bodyError(json: unknown): string {
  const err = (json as { error?: { message?: unknown } | string } | undefined)?.error;
  const msg = typeof err === 'string' ? err : typeof err?.message === 'string' ? err.message : '';
  return msg.replace(/\s+/g, ' ').trim().slice(0, 300);
}

function authError(baseURL: string, p: Probe): UserError {
  const msg = bodyError(p.json);
  return new UserError(
    'model-auth',
    `The model endpoint ${baseURL} rejected the credentials (HTTP ${p.status})${msg ? `: ${msg}` : ''}.`,
    'Check the API key configured for this endpoint.',
  );
}

function isHtml(p: Probe): boolean {
  return /html/i.test(p.contentType) || /^\s*<(?:!doctype|html|head|body)\b/i.test(p.body);
}

const MODEL_MISSING =
  /model.{0,80}(?:does not exist|not found|not exist|unknown)|no such model|unknown model/i;

/** Throws a UserError when the endpoint surely cannot serve the model; see the top of this file. */
export async function checkOpenAIEndpoint(
  opts: EndpointCheckOptions,
): Promise<EndpointCheckResult> {
  const base = opts.baseURL;
  let protocol = '';
  try {
    protocol = new URL(base).protocol;
  } catch {
    // reported below
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new UserError(
      'bad-argument',
      `The model base URL "${base}" is not an http(s) URL.`,
      'Give it with its scheme, e.g. http://localhost:11434/v1.',
    );
  }
  const notes: string[] = [];
  const models = await probe(url(base, 'models'), { method: 'GET' }, opts);
  if (models === 'timeout') {
    notes.push(
      `${base} did not list its models within ${Math.round((opts.timeoutMs ?? 10_000) / 1000)} s; going on.`,
    );
    return { notes };
  }
  if (models.status === 401 || models.status === 403) throw authError(base, models);
  if (models.status >= 200 && models.status < 300 && !isHtml(models)) {
    const data = (models.json as { data?: unknown } | undefined)?.data;
    if (Array.isArray(data)) {
      const ids = data
        .map((m) => (m as { id?: unknown }).id)
        .filter((id): id is string => typeof id === 'string');
      if (ids.length && !ids.includes(opts.model))
        notes.push(
          `model "${opts.model}" is not among the ${ids.length} models ${base} lists (${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}).`,
        );
      return { models: ids, notes };
    }
  }
  if (models.status >= 500) {
    notes.push(`${base}/models failed (HTTP ${models.status}); going on.`);
    return { notes };
  }
  // No usable /models (404, 405, HTML, odd JSON): ask the chat route itself, in a way no model runs.
  const chat = await probe(
    url(base, 'chat/completions'),
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: opts.model, messages: [], max_tokens: 1, stream: false }),
    },
    opts,
  );
  if (chat === 'timeout' || chat.status >= 500) return { notes };
  if (chat.status === 401 || chat.status === 403) throw authError(base, chat);
  if (isHtml(chat) || (chat.json === undefined && chat.status < 400))
    throw notOpenAICompatible(
      base,
      chat.contentType || models.contentType,
      chat.body || models.body,
    );
  const msg = bodyError(chat.json);
  if ((chat.status === 404 || chat.status === 400) && MODEL_MISSING.test(msg)) {
    throw new UserError(
      'model-not-found',
      `Model "${opts.model}" was not found at ${base} (HTTP ${chat.status}): ${msg}`,
      'Check the model name and the base URL.',
    );
  }
  if (chat.status === 404 || chat.status === 405) {
    throw new UserError(
      'model-unavailable',
      `${base} is not an OpenAI-compatible endpoint: both ${url(base, 'models')} and ${url(base, 'chat/completions')} answered HTTP ${models.status} / ${chat.status}.`,
      'Check the base URL: it must be the root of an OpenAI-compatible API, usually ending in /v1 (e.g. http://localhost:11434/v1).',
    );
  }
  return { notes };
}
