// Maps what the VS Code Language Model API throws (LanguageModelError and friends) to the core's
// UserError codes, so a `vscode.lm` model fails with the same clear messages as an OpenAI endpoint.
// Free of `vscode` (it takes the error's name/code/message) so it is unit-tested directly.
import { UserError } from '../../core/errors';

const CONTEXT_LENGTH =
  /context[_ ]length|context window|too many tokens|prompt is too long|token limit|exceeds? the (?:max|maximum)/i;
const RATE = /rate.?limit|quota|too many requests/i;

export function lmErrorToUserError(e: unknown, model: string): UserError {
  if (e instanceof UserError) return e;
  const err = (e ?? {}) as { code?: unknown; name?: unknown; message?: unknown };
  const code =
    typeof err.code === 'string' ? err.code : typeof err.name === 'string' ? err.name : '';
  const message = typeof err.message === 'string' && err.message ? err.message : String(e);
  const text = message.replace(/\s+/g, ' ').trim();
  if (/NoPermissions/i.test(code)) {
    return new UserError(
      'model-auth',
      `Tracefix may not use the language model "${model}": ${text}`,
      'Allow Tracefix to use the model when VS Code asks (Manage Language Model Access), or set tracefix.provider to "openai".',
    );
  }
  if (/NotFound/i.test(code)) {
    return new UserError(
      'model-not-found',
      `The language model "${model}" is not available: ${text}`,
      'Install and sign in to a chat extension (e.g. GitHub Copilot), or choose another model with tracefix.model.',
    );
  }
  if (CONTEXT_LENGTH.test(text)) {
    return new UserError(
      'model-context-length',
      `The prompt is too long for the language model "${model}": ${text}`,
      'Lower tracefix.budget or record a shorter trace.',
    );
  }
  if (/Blocked/i.test(code) || RATE.test(text)) {
    return new UserError(
      'model-rate-limit',
      `The language model "${model}" refused the request for now: ${text}`,
      'Wait a moment and try again, or use another model.',
    );
  }
  return new UserError('model-unavailable', `The language model "${model}" failed: ${text}`);
}
