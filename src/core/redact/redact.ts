// Removes secrets from prompt text before it leaves the machine. Applied to every message of the
// final prompt (source, NExT trace comments, reprs, tracebacks, commands).
//
// Rules (each replacement counts once in `count`):
// 1. PEM private-key blocks, JWTs (`eyJ….….…`), `Bearer`/`Basic` credentials and well-known key
//    formats (OpenAI/Anthropic `sk-…`, GitHub `ghp_…`/`github_pat_…`, AWS `AKIA…`, Slack `xox?-…`,
//    Google `AIza…`, Stripe `sk_live_…`, Hugging Face `hf_…`, GitLab `glpat-…`, npm `npm_…`) are
//    replaced wherever they appear.
// 2. Values bound to a *secret name* — assignment, keyword argument, NExT `name=value;`, attribute
//    (`self.api_key = …`), dict key (`{'api_key': …}`), env line (`API_KEY=…`), CLI flag
//    (`--password …`), comparison (`password == '…'`). Names are split into lower-case segments
//    (snake_case, camelCase, kebab-case) and are secret when a segment is one of password, passwd,
//    passphrase, secret(s), credential(s), creds, apikey, authtoken, accesstoken, privatekey,
//    secretkey, clientsecret, authorization, jwt; or is `auth`/`oauth` at the end or before
//    header/token/key/…; or a qualifier (api, access, secret, private, client, refresh, session,
//    bearer, signing, github, …) is followed by key/token. So `api_key`, `auth_token`,
//    `AWS_SECRET_ACCESS_KEY`, `clientSecret`, `X-Api-Key` are secret names; `tokens`, `max_tokens`,
//    `next_token`, `sort_key`, `keys`, `author` are not.
//    The bare names `token` and `key` are *weak*: their value is redacted only when it looks like a
//    credential (8+ characters, no spaces, letters and digits), so a tokenizer's `token='while'` or
//    a dict loop's `key='name'` survive.
//    String literals keep their quotes (`api_key = '<redacted>'`); tuples/dicts/lists keep their
//    shape with every string inside redacted (`auth=('<redacted>', '<redacted>')`); None/True/False,
//    empty strings, numbers, dotted numbers (versions, OIDs), placeholders (`%s`, `$VAR`, `<name>`),
//    variable names, attribute paths and calls (`password=args.password`, `token=os.environ['T']`)
//    are left alone because they are code, not secrets.
// 3. Long random-looking tokens (20+ characters without word separators, letters and at least two
//    digits, not hexadecimal, few vowels or many capitals before capitals/digits, high character
//    entropy) — API keys nobody told us the format of. Hex strings (hashes, ids), identifiers made
//    of words, lower-case paths, rooted paths made mostly of words (unless one piece is itself
//    random) and anything inside a URL are kept. This is a best-effort fallback
//    (it catches ~85% of random 20-character keys, ~98% at 40); over the CPython stdlib and
//    typescript.js (330k lines) it redacts nothing (test/integration/model/redactCorpus.test.ts).
// 4. Credentials in URLs of any scheme (`postgres://user:<redacted>@host`, also a `netloc='u:p@h'`
//    in a repr), webhook URLs (Slack, Discord, Teams: the secret path), and URL query values named
//    like signatures or tokens (`?sig=…`, `X-Amz-Signature=…`).
// 5. Names with a `pass`/`pwd`/`pw` word (`user_pass`, `db_pass`, `pwd`) carry a password only when
//    the value looks like one (8+ characters, no spaces, three kinds of characters); in UPPER_CASE
//    names (`DB_PASS`, `MYSQL_PWD`) any value. A word ending in password/passwd/secret
//    (`PGPASSWORD`) counts as that word.
// 6. Known values (options.secrets: environment secrets, the API key, learned ones; see
//    secretValues.ts and learnSecrets.ts) are replaced wherever they appear, in any form a program
//    cheaply turns them into: spaced, chunked, case-changed, reversed, base64/base32/hex/URL/decimal,
//    XOR-ed with a short key (see secretMatch.ts).

import { looksLikeRandomToken, PLACEHOLDER, REDACTED, URL } from './common';
import { secretNameKind, valueFits } from './secretNames';
import { redactKnown, redactUrls } from './urls';

export { looksLikeRandomToken, REDACTED } from './common';
export { nameSegments, passwordLooking, secretNameKind, type SecretNameKind } from './secretNames';

export interface RedactResult {
  text: string;
  count: number;
  /** The values the rules replaced (not those already known), to be searched for elsewhere too. */
  found: string[];
  /** Those of them bound to a secret name (`password = '…'`): short ones are passwords too. */
  named: string[];
}

export interface RedactOptions {
  /** Values known to be secret, replaced wherever they appear (also encoded); see secretValues.ts. */
  secrets?: readonly string[];
  /** Text around `text` (neighbouring lines of output), searched with it for known values. */
  context?: { before: string; after: string };
}

interface Span {
  start: number;
  end: number;
  replacement: string;
}

const QUOTE_START = /^[rRbBuUfF]{0,2}('''|"""|'|")/;

/** A Python-ish string literal at `i`: its content span. Unterminated single-line strings end at the line end. */
function scanString(
  text: string,
  i: number,
): { contentStart: number; contentEnd: number; end: number } | undefined {
  const m = QUOTE_START.exec(text.slice(i, i + 5));
  if (!m) return undefined;
  const quote = m[1] ?? '"';
  const contentStart = i + m[0].length;
  let j = contentStart;
  while (j < text.length) {
    const c = text[j];
    if (c === '\\') {
      j += 2;
      continue;
    }
    if (quote.length === 1 && c === '\n') return { contentStart, contentEnd: j, end: j };
    if (text.startsWith(quote, j)) return { contentStart, contentEnd: j, end: j + quote.length };
    j++;
  }
  return { contentStart, contentEnd: text.length, end: text.length };
}

const OPEN = '([{';
const CLOSE = ')]}';
const GROUP_LIMIT = 4000;

/** Redact every string literal inside a bracketed value; returns the spans and where the group ends. */
function scanGroup(text: string, i: number, spans: Span[]): number {
  const stack: string[] = [];
  let j = i;
  const found: Span[] = [];
  const limit = Math.min(text.length, i + GROUP_LIMIT);
  while (j < limit) {
    const c = text[j] ?? '';
    if (OPEN.includes(c)) stack.push(c);
    else if (CLOSE.includes(c)) {
      stack.pop();
      if (stack.length === 0) {
        spans.push(...found);
        return j + 1;
      }
    } else if (c === '"' || c === "'") {
      const s = scanString(text, j);
      if (s) {
        // Dict keys stay readable; only values are redacted.
        const isKey =
          stack[stack.length - 1] === '{' && /^\s*:/.test(text.slice(s.end, s.end + 20));
        if (s.contentEnd > s.contentStart && !isKey)
          found.push({ start: s.contentStart, end: s.contentEnd, replacement: REDACTED });
        j = s.end;
        continue;
      }
    } else if (c === '#' || (c === '\n' && stack.length === 0)) break;
    j++;
  }
  // Unbalanced (a truncated repr): redact the strings up to the end of this line.
  const eol = text.indexOf('\n', i);
  const stop = eol < 0 ? text.length : eol;
  spans.push(...found.filter((s) => s.end <= stop));
  return stop;
}

const NAME = /(['"])([A-Za-z_][\w.-]*)\1|(--?)?\b([A-Za-z_][\w-]*)/g;
const ANNOTATION =
  /^\s*:\s*[A-Za-z_][\w.]*(?:\[[^\]\n]*\])?(?:\s*\|\s*[A-Za-z_][\w.]*(?:\[[^\]\n]*\])?)*\s*(?==[^=])/;
// Within the line: `if x == 'AUTH':` ends a line; what the next line starts with is no value of it.
const SEPARATOR = /^[ \t]*(==|!=|=|:)(?!=)[ \t]*/;
const BARE_VALUE = /^[^\s,;()[\]{}'"]+/;
const LITERALS = new Set(['None', 'True', 'False', 'null', 'true', 'false', 'nil', 'undefined']);

function redactNamedValues(text: string, found: string[]): { text: string; count: number } {
  const spans: Span[] = [];
  NAME.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = NAME.exec(text))) {
    const name = m[2] ?? m[4] ?? '';
    const kind = secretNameKind(name);
    if (!kind) continue;
    const quotedName = m[2] !== undefined;
    const flag = m[3] !== undefined;
    let i = m.index + m[0].length;
    if (quotedName && text[i] === ']') i++;
    if (!quotedName && !flag) {
      const ann = ANNOTATION.exec(text.slice(i, i + 200));
      if (ann) i += ann[0].length;
    }
    const sep =
      SEPARATOR.exec(text.slice(i, i + 200)) ??
      (flag ? /^[ \t]+/.exec(text.slice(i, i + 50)) : null);
    if (!sep) continue;
    i += sep[0].length;
    const after = text.slice(i, i + 3);
    if (after.startsWith('<re') && text.startsWith(REDACTED, i)) continue;
    const c = text[i] ?? '';
    // `'Password: '`: the name and the "separator" are the content of a string, not a binding.
    const before = text[m.index - 1];
    if (!quotedName && (before === "'" || before === '"') && c === before) continue;
    const str = /['"]/.test(after.replace(/^[rRbBuUfF]{1,2}/, '').charAt(0))
      ? scanString(text, i)
      : undefined;
    if (str) {
      const value = text.slice(str.contentStart, str.contentEnd);
      // Dotted numbers (versions, OIDs, addresses) are identifiers, not secrets.
      const dottedNumber = /^\d+(?:\.\d+){2,}$/.test(value);
      if (value.length > 0 && value !== REDACTED && !dottedNumber && valueFits(kind, value)) {
        spans.push({ start: str.contentStart, end: str.contentEnd, replacement: REDACTED });
      }
      NAME.lastIndex = str.end;
      continue;
    }
    if (OPEN.includes(c) && c !== '') {
      if (kind === 'strong') NAME.lastIndex = scanGroup(text, i, spans);
      continue;
    }
    const bare = BARE_VALUE.exec(text.slice(i, i + 500));
    if (!bare) continue;
    const value = bare[0];
    const nextChar = text[i + value.length] ?? '';
    if (
      LITERALS.has(value) ||
      value.startsWith('=') ||
      value.startsWith('-') ||
      nextChar === '(' ||
      nextChar === '['
    )
      continue;
    // Numbers (flags, sizes, enum values) and placeholders (`%s`, `$VAR`, `<token>`) are not secrets.
    if (/^[-+]?\d[\d_]*(?:\.\d+)?$/.test(value) || PLACEHOLDER.test(value)) continue;
    const identifier = /^[A-Za-z_]\w*$/.test(value);
    const dotted = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$/.test(value);
    const envName = /^[A-Z][A-Z0-9_-]*$/.test(name) && !quotedName;
    // Command-line flags and env lines carry values, not code.
    if (!flag && (dotted || (identifier && !/\d/.test(value) && !envName))) continue;
    if (!valueFits(kind, value)) continue;
    spans.push({ start: i, end: i + value.length, replacement: REDACTED });
    NAME.lastIndex = i + value.length;
  }
  return applySpans(text, spans, found);
}

function applySpans(text: string, spans: Span[], found: string[]): { text: string; count: number } {
  spans.sort((a, b) => a.start - b.start);
  let out = '';
  let pos = 0;
  let count = 0;
  for (const s of spans) {
    if (s.start < pos) continue; // overlapping: the earlier span already covers it
    out += text.slice(pos, s.start) + s.replacement;
    found.push(text.slice(s.start, s.end));
    pos = s.end;
    count++;
  }
  return { text: out + text.slice(pos), count };
}

const PEM =
  /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY( BLOCK)?-----(?:(?:[A-Za-z0-9+/=\s:,-]|\\[nr])*?-----END \1PRIVATE KEY\2-----|(?:[A-Za-z0-9+/=]|\\[nr]|[ \t]*\r?\n)*)/g;

const PATTERNS: {
  re: RegExp;
  keep?: (groups: string[]) => string;
  valid?: (s: string) => boolean;
}[] = [
  { re: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g },
  {
    re: /\bsk-(?:proj-|ant-|svcacct-|admin-|live-|test-)?[A-Za-z0-9_-]{20,}/g,
    valid: (s) => /\d/.test(s) && /[A-Za-z0-9]{10}/.test(s.slice(3)),
  },
  { re: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}/g },
  { re: /\bgithub_pat_[A-Za-z0-9_]{30,}/g },
  { re: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b/g },
  { re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { re: /\bAIza[0-9A-Za-z_-]{35}/g },
  { re: /\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}/g },
  { re: /\bhf_[A-Za-z0-9]{30,}/g },
  { re: /\bglpat-[A-Za-z0-9_-]{20,}/g },
  { re: /\bnpm_[A-Za-z0-9]{36}\b/g },
  // `Bearer <token>` / `Basic <base64>`: keep the scheme word so the text still reads as a header.
  {
    re: /\b(Bearer|Basic)([ \t]+)([A-Za-z0-9._~+/-]{8,}=*)/gi,
    keep: (m) => `${m[1] ?? ''}${m[2] ?? ''}`,
    valid: (s) => /\d/.test(s) || /[+/=]/.test(s),
  },
];

const CANDIDATE = /[A-Za-z0-9+/_-]{20,}={0,2}/g;

/** Redacts secrets (see the rules at the top of this file). */
export function redact(text: string, options: RedactOptions = {}): RedactResult {
  const found: string[] = [];
  const known = redactKnown(text, options.secrets ?? [], options.context);
  let count = known.count;
  let out = known.text.replace(PEM, (m: string) => {
    count++;
    found.push(m);
    return REDACTED;
  });
  const urls0 = redactUrls(out, found);
  out = urls0.text;
  count += urls0.count;
  const namedValues: string[] = [];
  const named = redactNamedValues(out, namedValues);
  found.push(...namedValues);
  out = named.text;
  count += named.count;
  for (const p of PATTERNS) {
    out = out.replace(p.re, (...args: unknown[]) => {
      const match = args[0] as string;
      const groups = args.slice(0, -2) as string[];
      if (p.valid && !p.valid(match)) return match;
      count++;
      const keep = p.keep ? p.keep(groups) : '';
      found.push(match.slice(keep.length));
      return `${keep}${REDACTED}`;
    });
  }
  const urls = Array.from(out.matchAll(URL), (m) => [m.index, m.index + m[0].length] as const);
  out = out.replace(CANDIDATE, (tok: string, offset: number) => {
    if (urls.some(([a, b]) => offset >= a && offset < b)) return tok;
    // A path: pieces between slashes in lower case (base64 keys mix cases).
    if (tok.includes('/') && !/[A-Z]/.test(tok)) return tok;
    // A path with a mixed-case piece (`mkdtemp`'s `tfx-B4p0Ks`, `/Users/Ann/MyApp2`): only a piece
    // that is itself random (a key kept in a path) makes it a secret.
    if (pathLike(tok)) {
      if (!tok.split('/').some(looksLikeRandomToken)) return tok;
    } else if (!looksLikeRandomToken(tok)) return tok;
    count++;
    found.push(tok);
    return REDACTED;
  });
  return { text: out, count, found, named: namedValues };
}

/**
 * Rooted (`/`, `~/`, `./`, `../`), at least two slashes, and most pieces word-made (a lower-case
 * start, no capitals). Base64 keys hold slashes too, but their pieces mix cases.
 */
function pathLike(tok: string): boolean {
  if (!/^(?:~|\.{1,2})?\//.test(tok)) return false;
  const pieces = tok.split('/').filter((p) => p && p !== '~' && p !== '.' && p !== '..');
  if (pieces.length < 2) return false;
  const words = pieces.filter((p) => /^[a-z][a-z0-9_.-]*$/.test(p)).length;
  return words * 2 >= pieces.length;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Undoes redaction in code the model sends back: a model that saw `api_key = '<redacted>'` echoes
 * the placeholder, and writing that into the user's file would destroy the real value. Each line of
 * `modelText` holding the placeholder is matched (indentation aside) against the lines of
 * `originalText`, the placeholder standing for any text; when all matches agree, the original
 * content is put back. `unresolved` counts lines that still hold a placeholder.
 */
export function restoreRedacted(
  modelText: string,
  originalText: string,
): { text: string; unresolved: number } {
  if (!modelText.includes(REDACTED)) return { text: modelText, unresolved: 0 };
  const originals = originalText.split(/\r?\n/).map((l) => l.trim());
  let unresolved = 0;
  const lines = modelText.split('\n').map((line) => {
    if (!line.includes(REDACTED)) return line;
    const indent = /^\s*/.exec(line)?.[0] ?? '';
    const body = line.slice(indent.length).replace(/\s+$/, '');
    const pattern = new RegExp(`^${body.split(REDACTED).map(escapeRegExp).join('(.+?)')}$`);
    const restored = new Set<string>();
    for (const o of originals) if (pattern.test(o)) restored.add(o);
    if (restored.size !== 1) {
      unresolved++;
      return line;
    }
    const [only] = restored;
    return indent + (only ?? body) + line.slice(indent.length + body.length);
  });
  return { text: lines.join('\n'), unresolved };
}
