// What the redaction rules share: the placeholder, and what counts as a placeholder, a URL or a
// credential-looking value.

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
