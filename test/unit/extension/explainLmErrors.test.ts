// vscode.lm failures reach the user with the same codes (and so the same advice) as OpenAI ones.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors';
import { lmErrorToUserError } from '../../../src/extension/explain/lmErrors';

// The shape VS Code's LanguageModelError has: an Error whose `code` names the case.
function lmError(code: string, message: string): Error {
  return Object.assign(new Error(message), { name: `${code} (LanguageModelError)`, code });
}

describe('lmErrorToUserError', () => {
  it.each([
    ['NoPermissions', 'Access denied', 'model-auth'],
    ['NotFound', 'Model gone', 'model-not-found'],
    ['Blocked', 'Request blocked', 'model-rate-limit'],
    ['Unknown', 'Message exceeds token limit', 'model-context-length'],
    ['Unknown', 'Server exploded', 'model-unavailable'],
  ])('%s "%s" → %s', (code, message, expected) => {
    const u = lmErrorToUserError(lmError(code, message), 'gpt-4o');
    expect(u).toBeInstanceOf(UserError);
    expect(u.code).toBe(expected);
    expect(u.message).toContain(message);
    expect(u.message).toContain('gpt-4o');
  });

  it('keeps a UserError as it is and copes with non-errors', () => {
    const u = new UserError('model-timeout', 'slow');
    expect(lmErrorToUserError(u, 'm')).toBe(u);
    expect(lmErrorToUserError('boom', 'm').code).toBe('model-unavailable');
  });
});
