// Secrets learned from what the rules find: a URL's password or a `password = '…'` literal in the
// source is searched for everywhere else too, because the program may print the same value (or an
// encoding of it) where no rule can see that it is secret.
import { PLACEHOLDER, REDACTED } from './redactCommon';
import { redact } from './redact';

/**
 * Values the rules find in `texts` (a URL's password, `password = '…'`, an API key…) that are specific
 * enough to be searched for everywhere: a program may print the same value where no rule sees it.
 */
export function learnSecrets(texts: Iterable<string>, known: readonly string[] = []): string[] {
  const out = new Set<string>();
  for (const t of texts)
    for (const v of redact(t, { secrets: known }).found) if (specificSecret(v)) out.add(v);
  return [...out];
}

/** 8+ characters, no spaces, and more than one word's worth of letters (a digit, a symbol or a capital inside). */
function specificSecret(v: string): boolean {
  return (
    v.length >= 8 &&
    v.length <= 4096 &&
    !/\s/.test(v) &&
    v !== REDACTED &&
    !PLACEHOLDER.test(v) &&
    /[\d\W_]|[a-z][A-Z]/.test(v)
  );
}
