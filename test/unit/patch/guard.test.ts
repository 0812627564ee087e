import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors';
import { assertUnchanged, hashText, isUnchanged } from '../../../src/core/patch/guard';

describe('guard', () => {
  const text = 'def f():\n    return 1\n';

  it('hashes the exact text, line ends included', () => {
    // SHA-256 of the UTF-8 bytes (vectors from Python's hashlib).
    expect(hashText(text)).toBe(
      'sha256:5b76d0962c09ab4ee309fac65fad3568c97abdec983b405146ae3e86a235e352',
    );
    expect(hashText('caf\u00e9\n')).toBe(
      'sha256:7b49b9e063bd91a4f9252b413261f5557b9c570aa61516989499f64a62dbcdd6',
    );
    // Nothing is normalised: composed vs decomposed é, a missing final newline, CRLF.
    expect(hashText('caf\u00e9\n')).not.toBe(hashText('cafe\u0301\n'));
    expect(hashText(text)).not.toBe(hashText(text.trimEnd()));
    expect(hashText(text)).not.toBe(hashText(text.replace(/\n/g, '\r\n')));
    expect(isUnchanged(text, hashText(text))).toBe(true);
    expect(isUnchanged(`${text} `, hashText(text))).toBe(false);
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
