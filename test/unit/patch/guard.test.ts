import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors';
import { assertUnchanged, hashText, isUnchanged } from '../../../src/core/patch/guard';

describe('guard', () => {
  const text = 'def f():\n    return 1\n';

  it('hashes the exact text, line ends included', () => {
    expect(hashText(text)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(hashText(text)).toBe(hashText(`${text}`));
    expect(hashText(text)).not.toBe(hashText(text.replace(/\n/g, '\r\n')));
    expect(isUnchanged(text, hashText(text))).toBe(true);
  });

  it('passes for the recorded text and refuses a changed one with patch-conflict', () => {
    const recorded = hashText(text);
    expect(() => assertUnchanged('pkg/f.py', text, recorded)).not.toThrow();
    let err: unknown;
    try {
      assertUnchanged('pkg/f.py', text.replace('1', '2'), recorded);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe('patch-conflict');
    expect((err as UserError).message).toContain(
      'pkg/f.py has changed since the trace was recorded',
    );
  });
});
