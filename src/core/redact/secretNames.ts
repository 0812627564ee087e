// Which names hold secrets (rule 2 and 5 of redact.ts): an identifier is split into lower-case
// words and judged by them — strong (`api_key`: any value), weak (`token`, `key`: only a
// credential-looking value) or password-like (`db_pass`: only a password-looking value).
import { credentialLooking, looksLikeRandomToken, REDACTED } from './common';

const STRONG_SEGMENTS = new Set([
  'password',
  'passwords',
  'passwd',
  'passphrase',
  'secret',
  'secrets',
  'credential',
  'credentials',
  'creds',
  'apikey',
  'apikeys',
  'authtoken',
  'accesstoken',
  'refreshtoken',
  'privatekey',
  'secretkey',
  'clientsecret',
  'authorization',
  'jwt',
]);
const AUTH_SEGMENTS = new Set(['auth', 'oauth']);
const AUTH_FOLLOWERS = new Set([
  'header',
  'headers',
  'token',
  'tokens',
  'key',
  'keys',
  'string',
  'value',
  'data',
  'info',
  'pass',
]);
const KEY_QUALIFIERS = new Set([
  'api',
  'access',
  'secret',
  'private',
  'signing',
  'encryption',
  'master',
  'client',
  'auth',
  'oauth',
  'refresh',
  'bearer',
  'session',
  'id',
  'csrf',
  'xsrf',
  'github',
  'gh',
  'gitlab',
  'slack',
  'bot',
  'personal',
  'app',
  'service',
  'hf',
  'openai',
  'anthropic',
  'aws',
  'stripe',
  'deploy',
  'webhook',
  'license',
  'admin',
  'root',
]);
const KEY_NOUNS = new Set(['key', 'keys', 'token', 'tokens']);
const WEAK_NAMES = new Set(['token', 'key']);
/** Password words whose values are redacted only when they look like a password. */
const PASS_SEGMENTS = new Set(['pass', 'pwd', 'pw']);

/** Lower-case words of an identifier: `AWS_SECRET_ACCESS_KEY`, `apiKey`, `x-api-key` → [aws, secret, …]. */
export function nameSegments(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export type SecretNameKind = 'strong' | 'weak' | 'password' | false;

/**
 * 'strong': any value is redacted; 'weak': only credential-looking values; 'password': only values
 * that look like a password; false: not a secret name.
 */
export function secretNameKind(name: string): SecretNameKind {
  const segs = nameSegments(name);
  if (segs.length === 1 && WEAK_NAMES.has(segs[0] ?? '')) return 'weak';
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i] ?? '';
    const next = segs[i + 1];
    if (STRONG_SEGMENTS.has(s) || /(?:password|passwd|secret)$/.test(s)) return 'strong';
    if (AUTH_SEGMENTS.has(s) && (next === undefined || AUTH_FOLLOWERS.has(next))) return 'strong';
    if (KEY_QUALIFIERS.has(s) && next !== undefined && KEY_NOUNS.has(next)) return 'strong';
  }
  // `pass`/`pwd` as the last word names the value (`user_pass`); elsewhere it is a verb or a count
  // (`second_pass_for_fix`, `MODULE_PWD_STATE`).
  if (!PASS_SEGMENTS.has(segs[segs.length - 1] ?? '')) return false;
  // `DB_PASS`, `MYSQL_PWD`: settings and environment names hold the real thing.
  return segs.length > 1 && /^[A-Z][A-Z0-9_]*$/.test(name) ? 'strong' : 'password';
}

/** A value that reads as a password rather than a word, path or number. */
export function passwordLooking(value: string): boolean {
  if (value.length < 8 || /[\s/\\]/.test(value) || value === REDACTED) return false;
  const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(value)).length;
  return (
    kinds >= 3 ||
    (kinds === 2 && value.length >= 12 && looksLikeRandomToken(value.padEnd(20, value)))
  );
}

/** Whether `value` is redacted when bound to a name of this kind. */
export function valueFits(kind: SecretNameKind, value: string): boolean {
  if (kind === 'weak') return credentialLooking(value);
  if (kind === 'password') return passwordLooking(value);
  return kind === 'strong';
}
