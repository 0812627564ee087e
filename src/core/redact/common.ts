// What the redaction rules share: the placeholder, and what counts as a placeholder, a URL, a
// credential-looking value or a random-looking token.

export const REDACTED = '<redacted>';

/** `%s`, `$VAR`, `${VAR}`, `<name>`, `{name}`: stand-ins, not values. */
export const PLACEHOLDER =
  /^(?:%[-#0 +]*\d*(?:\.\d+)?[a-z]|\$\{?\w+\}?|<[^>]*>?[.,:;!?]*|\{\w*\})$/;

/** URLs are addresses, not credentials: the random-token rule skips them; credentials in them have their own rules. */
export const URL = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>()]+/gi;

export function credentialLooking(value: string): boolean {
  return value.length >= 8 && !/\s/.test(value) && /[A-Za-z]/.test(value) && /\d/.test(value);
}

export function placeholderLike(value: string): boolean {
  return (
    PLACEHOLDER.test(value) ||
    /^(?:\*+|x+|X+|\.{3}|…)$/.test(value) ||
    value === REDACTED ||
    /^%\(\w+\)s$/.test(value)
  );
}

function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** A run of key characters that reads as random rather than as words, paths, hashes or numbers. */
export function looksLikeRandomToken(token: string): boolean {
  const core = token.replace(/=+$/, '');
  if (core.length < 20) return false;
  // Identifiers and paths are short words between separators; keys have long unbroken runs.
  // (`/` and `+` are base64 characters, so they do not split.)
  const longest = core.split(/[_.-]/).reduce((a, b) => (b.length > a.length ? b : a), '');
  if (longest.length < 20) return false;
  if (/^[0-9a-fA-F+/]+$/.test(longest) || /^[\d+/]+$/.test(longest)) return false;
  const digits = (longest.match(/\d/g) ?? []).length;
  const letters = longest.match(/[A-Za-z]/g) ?? [];
  // Without digits, camelCase identifiers are indistinguishable from keys, so two are required.
  if (letters.length < 4 || digits < 2) return false;
  // Test data such as `abcdef…0123…` counts up; random text does not.
  let ascending = 0;
  for (let i = 1; i < longest.length; i++)
    if (longest.charCodeAt(i) - longest.charCodeAt(i - 1) === 1) ascending++;
  if (ascending / longest.length > 0.5) return false;
  // Identifiers are made of words: about 40% of their letters are vowels, digits are few and a
  // capital is followed by lower case. Random keys draw vowels at about 23% (6 of 26), digits at
  // 16-28%, and half their capitals are followed by another capital or a digit.
  const vowels = letters.filter((ch) => 'aeiouyAEIOUY'.includes(ch)).length;
  const capsBeforeNonLower = (longest.match(/[A-Z](?=[A-Z0-9])/g) ?? []).length;
  if (
    vowels / letters.length >= 0.3 &&
    digits / longest.length < 0.2 &&
    capsBeforeNonLower / longest.length < 0.15
  )
    return false;
  // Normalised by the best a string of this length could reach (capped at a 64-symbol alphabet).
  const ideal = Math.log2(Math.min(longest.length, 64));
  return entropy(longest) / ideal >= 0.75;
}
