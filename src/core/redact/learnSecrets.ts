// Secrets learned from what the rules find: a URL's password or a `password = '…'` literal in the
// source is searched for everywhere else too, because the program may print the same value (or an
// encoding of it) where no rule can see that it is secret.
import { PLACEHOLDER, REDACTED } from './common';
import { redact } from './redact';
import { MIN_SECRET_LENGTH } from './secretValues';

/**
 * Values the rules find in `texts` (a URL's password, `password = '…'`, an API key…) that are specific
 * enough to be searched for everywhere: a program may print the same value where no rule sees it.
 */
export function learnSecrets(texts: Iterable<string>, known: readonly string[] = []): string[] {
  const out = new Set<string>();
  for (const t of texts) {
    const r = redact(t, { secrets: known });
    for (const v of r.found) if (specificSecret(v, 8)) out.add(v);
    // `PASSWORD = "hunter2"`: bound to a secret name, a short literal is a password all the same.
    for (const v of r.named) if (specificSecret(v, MIN_SECRET_LENGTH)) out.add(v);
  }
  return [...out];
}

/** `min`+ characters, no spaces, and more than one word's worth of letters (a digit, a symbol or a
 * capital inside): a plain word (`changeme`) would be removed from every sentence it occurs in. */
function specificSecret(v: string, min: number): boolean {
  return (
    v.length >= min &&
    v.length <= 4096 &&
    !/\s/.test(v) &&
    v !== REDACTED &&
    !PLACEHOLDER.test(v) &&
    /[\d\W_]|[a-z][A-Z]/.test(v)
  );
}
