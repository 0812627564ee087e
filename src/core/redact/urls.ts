// Redaction rules 4 and 6 (see redact.ts): credentials and webhook secrets inside URLs, and known
// secret values (environment secrets, the API key, learned ones) in any of their forms.
import { credentialLooking, placeholderLike, REDACTED, URL } from './common';
import { SecretMatcher } from './secretMatch';
import { MIN_SECRET_LENGTH } from './secretValues';

const SCHEME_URL_USERINFO =
  /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/?#'"<>]*):([^\s@/?#'"<>]+)@(?=[^\s@/?#'"<>]*[\w\]])/gi;
const SCHEME_URL_TOKEN = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/?#'"<>]{16,})@(?=[\w[])/gi;
/** `netloc='user:pass@host'` and the like: a whole string literal that is credentials @ host. */
const NETLOC = /(['"])([^\s'"@:/]*):([^\s'"@/]+)@([\w.[\]-]+(?::\d+)?)\1/g;
const WEBHOOKS: RegExp[] = [
  /\b(https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/)[A-Za-z0-9/_-]+/gi,
  /\b(https?:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d+\/)[\w-]+/gi,
  /\b(https?:\/\/[\w.-]+\.webhook\.office\.com\/webhookb2\/)[^\s'"<>]+/gi,
  /\b(https?:\/\/[\w.-]+\.logic\.azure\.com[^\s'"<>?]*\?[^\s'"<>]*?\bsig=)[^\s&'"<>]+/gi,
];
/** Query parameters whose values are credentials, inside URLs. */
const SECRET_QUERY =
  /([?&](?:sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential|token|access_token|refresh_token|id_token|api_key|apikey|key|secret|client_secret|password|passwd|pass|pwd|auth)=)([^&\s'"<>#]{6,})/gi;

/** Rule 4 of redact.ts: credentials and webhook secrets inside URLs. */
export function redactUrls(text: string, found: string[] = []): { text: string; count: number } {
  let count = 0;
  let out = text.replace(SCHEME_URL_USERINFO, (m, scheme: string, user: string, pass: string) => {
    if (placeholderLike(pass)) return m;
    count++;
    found.push(pass);
    return `${scheme}${user}:${REDACTED}@`;
  });
  out = out.replace(SCHEME_URL_TOKEN, (m, scheme: string, token: string) => {
    if (!credentialLooking(token) || placeholderLike(token)) return m;
    count++;
    found.push(token);
    return `${scheme}${REDACTED}@`;
  });
  out = out.replace(NETLOC, (m, q: string, user: string, pass: string, host: string) => {
    if (placeholderLike(pass) || /[{}%]/.test(pass) || !/[.\w]/.test(host)) return m;
    count++;
    found.push(pass);
    return `${q}${user}:${REDACTED}@${host}${q}`;
  });
  for (const re of WEBHOOKS) {
    out = out.replace(re, (m: string, keep: string) => {
      count++;
      found.push(m.slice(keep.length));
      return `${keep}${REDACTED}`;
    });
  }
  // Query values only inside URLs: `&key=` elsewhere is code.
  out = out.replace(URL, (url: string) =>
    url.replace(SECRET_QUERY, (m, key: string, value: string) => {
      if (placeholderLike(value)) return m;
      count++;
      found.push(value);
      return `${key}${REDACTED}`;
    }),
  );
  return { text: out, count };
}

/** Rule 6 of redact.ts: known secret values in any of their forms (secretMatch.ts). Compiled
 * searches are kept per list of values. */
const compiled = new Map<string, SecretMatcher>();
export function redactKnown(
  text: string,
  secrets: readonly string[],
  context?: { before: string; after: string },
): { text: string; count: number } {
  const values = secrets.filter((s) => s.length >= MIN_SECRET_LENGTH);
  if (values.length === 0 || text.length === 0) return { text, count: 0 };
  const key = values.join('\u0000');
  let matcher = compiled.get(key);
  if (!matcher) {
    matcher = new SecretMatcher(values);
    if (compiled.size > 16) compiled.clear();
    compiled.set(key, matcher);
  }
  // With context, the spans are found in the whole and clipped to the text (a chunked form's last
  // piece on a line of its own is known by the lines before it).
  const spans = context
    ? clip(matcher.spans(context.before + text + context.after), context.before.length, text.length)
    : matcher.spans(text);
  if (!spans.length) return { text, count: 0 };
  let out = '';
  let pos = 0;
  for (const [a, b] of spans) {
    out += text.slice(pos, a) + REDACTED;
    pos = b;
  }
  return { text: out + text.slice(pos), count: spans.length };
}

function clip(spans: [number, number][], from: number, length: number): [number, number][] {
  const out: [number, number][] = [];
  for (const [a, b] of spans) {
    const s = Math.max(a - from, 0);
    const e = Math.min(b - from, length);
    if (s < e) out.push([s, e]);
  }
  return out;
}
