// The secrets corpus: known secret values printed the ways a program (or a model-written patch) can
// print them — raw, case-changed, spaced, chunked, reversed, ROT13, base64/base32/hex/URL/decimal,
// escaped, XOR-ed — each between markers `[E07/S2 … E07/S2]`, so what survives redaction can be
// counted per entry. The same lines come from TypeScript (`corpusText`, for unit tests and
// `npm run bench -- secrets`) and from Python (`CORPUS_PY`, for programs that print their environment);
// a test keeps the two equal.
import { deflateSync } from 'node:zlib';
import { REDACTED } from '../../src/core/redact/common';

/** The secrets: env secrets (S1–S4) and a short password assigned in the source (S5, learned). */
export const CORPUS_SECRETS = [
  { id: 'S1', env: 'OPENAI_API_KEY', value: 'sk-proj-Qx7Vb2Lm9Tz4Kp8Rw3Yn6Hd1Fs5Gc0Ja7Ue2Mi4O' },
  { id: 'S2', env: 'AWS_SECRET_ACCESS_KEY', value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ3vT8mKq' },
  { id: 'S3', env: 'PGPASSWORD', value: 'Tr0ub4dor&3xx' },
  { id: 'S4', env: 'GITHUB_TOKEN', value: 'ghp_R4nd0mT0k3nV4lu3F0rT3st1ngXyZ12345' },
  { id: 'S5', env: undefined, value: 'hunter2' },
] as const;

/** The line of source that assigns S5 (redaction learns it from there). */
export const SOURCE_PASSWORD_LINE = `PASSWORD = "${CORPUS_SECRETS[4].value}"`;

/** The secrets this environment holds (known to redaction before anything is read). */
export const CORPUS_ENV_SECRETS = CORPUS_SECRETS.filter((s) => s.env).map((s) => s.value);

/** The program that prints the corpus (leaky.py): the password in its source, the lines printed. */
export const CORPUS_SOURCE = `${SOURCE_PASSWORD_LINE}\n\n\ndef leak(values):\n    for line in corpus_lines(values):\n        print(line)\n`;

export interface CorpusEncoding {
  id: string;
  name: string;
  render(value: string): string;
  /** Letters and digits of the payload that are decoration (chunk labels), not the secret. */
  decoration?(value: string): number;
  /** Not expected to be caught: encodings redaction does not undo (compression, double base64, long XOR keys). */
  outOfScope?: true;
}

const b64 = (b: Buffer): string => b.toString('base64');
const chunks = (s: string, n: number): string[] =>
  Array.from({ length: Math.ceil(s.length / n) }, (_, i) => s.slice(i * n, i * n + n));
const xorHex = (b: Buffer, key: Buffer): string =>
  Buffer.from(b.map((x, i) => x ^ (key[i % key.length] as number))).toString('hex');
const swapcase = (s: string): string =>
  [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
const rot13 = (s: string): string =>
  s.replace(/[a-z]/gi, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
const quote = (s: string): string =>
  [...Buffer.from(s)]
    .map((x) =>
      /[A-Za-z0-9_.~-]/.test(String.fromCharCode(x))
        ? String.fromCharCode(x)
        : `%${x.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function base32(b: Buffer): string {
  let bits = '';
  for (const x of b) bits += x.toString(2).padStart(8, '0');
  let out = '';
  for (let i = 0; i < bits.length; i += 5)
    out += B32[parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2)];
  return out.padEnd(Math.ceil(out.length / 8) * 8, '=');
}
/** Python's base64.encodebytes: 76-character lines. */
const mime = (b: Buffer): string => chunks(b64(b), 76).join('\n');
const pyList = (items: string[]): string => `[${items.join(', ')}]`;
/** Base64 characters of `before` + secret + `after` bytes that hold no bit of the secret. */
const aroundInBase64 = (before: number, secret: number, after: number): number => {
  const total = Math.ceil(((before + secret + after) * 8) / 6);
  return Math.floor((before * 8) / 6) + (total - Math.ceil(((before + secret) * 8) / 6));
};
const u = (v: string): Buffer => Buffer.from(v, 'utf8');

export const CORPUS_ENCODINGS: CorpusEncoding[] = [
  { id: 'E01', name: 'raw', render: (v) => v },
  { id: 'E02', name: 'upper-case', render: (v) => v.toUpperCase() },
  { id: 'E03', name: 'swapped case', render: swapcase },
  { id: 'E04', name: 'spaced characters', render: (v) => [...v].join(' ') },
  { id: 'E05', name: 'dash-separated characters', render: (v) => [...v].join('-') },
  { id: 'E06', name: 'list of characters', render: (v) => pyList([...v].map((c) => `'${c}'`)) },
  { id: 'E07', name: 'reversed', render: (v) => [...v].reverse().join('') },
  { id: 'E08', name: 'ROT13', render: rot13 },
  { id: 'E09', name: 'base64', render: (v) => b64(u(v)) },
  {
    id: 'E10',
    name: 'base64 URL-safe, unpadded',
    render: (v) => b64(u(v)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
  },
  {
    id: 'E11',
    name: 'base64 in 16-character lines',
    render: (v) => chunks(b64(u(v)), 16).join('\n'),
  },
  {
    id: 'E12',
    name: 'base64 in labelled 16-character chunks',
    render: (v) =>
      chunks(b64(u(v)), 16)
        .map((c, i) => `c${i}=${c}`)
        .join(' '),
    decoration: (v) => chunks(b64(u(v)), 16).reduce((n, _c, i) => n + 1 + String(i).length, 0),
  },
  {
    id: 'E13',
    name: 'base64 (MIME lines) inside other data',
    render: (v) => mime(Buffer.concat([Buffer.alloc(40, 'x'), u(v)])),
    decoration: (v) => aroundInBase64(40, Buffer.byteLength(v), 0),
  },
  {
    id: 'E14',
    name: 'base64 of a longer text',
    render: (v) => b64(u(`user=bob;key=${v};x=1`)),
    decoration: (v) => aroundInBase64(13, Buffer.byteLength(v), 4),
  },
  { id: 'E15', name: 'hex', render: (v) => u(v).toString('hex') },
  { id: 'E16', name: 'upper-case hex', render: (v) => u(v).toString('hex').toUpperCase() },
  { id: 'E17', name: 'spaced hex', render: (v) => chunks(u(v).toString('hex'), 2).join(' ') },
  {
    id: 'E18',
    name: 'colon-separated hex',
    render: (v) => chunks(u(v).toString('hex'), 2).join(':'),
  },
  {
    id: 'E19',
    name: '\\x escapes',
    render: (v) => [...u(v)].map((x) => `\\x${x.toString(16).padStart(2, '0')}`).join(''),
  },
  {
    id: 'E20',
    name: '0x byte list',
    render: (v) => [...u(v)].map((x) => `0x${x.toString(16)}`).join(', '),
  },
  { id: 'E21', name: 'URL-encoded', render: quote },
  { id: 'E22', name: 'decimal bytes', render: (v) => pyList([...u(v)].map(String)) },
  { id: 'E23', name: 'base32', render: (v) => base32(u(v)) },
  {
    id: 'E24',
    name: '\\u escapes',
    render: (v) =>
      [...v].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
  },
  {
    id: 'E25',
    name: 'XOR with a 1-byte key, hex',
    render: (v) => xorHex(u(v), Buffer.from([0x5a])),
  },
  { id: 'E26', name: 'XOR with a 3-byte key, hex', render: (v) => xorHex(u(v), u('k3y')) },
  { id: 'E27', name: 'XOR with an 8-byte key, hex', render: (v) => xorHex(u(v), u('Zq8#kP2!')) },
  { id: 'E28', name: 'base64 of base64', render: (v) => b64(u(b64(u(v)))), outOfScope: true },
  { id: 'E29', name: 'zlib, base64', render: (v) => b64(deflateSync(u(v))), outOfScope: true },
  {
    id: 'E30',
    name: 'XOR with an 18-byte key, hex',
    render: (v) => xorHex(u(v), u('a-much-longer-key!')),
    outOfScope: true,
  },
];

/** Python that prints the same lines: `corpus_lines(values)` with values as {'S1': '…', …}. */
export const CORPUS_PY = String.raw`
import base64, codecs, urllib.parse, zlib

def _chunks(s, n):
    return [s[i:i + n] for i in range(0, len(s), n)]

def _xor(b, key):
    return bytes(x ^ key[i % len(key)] for i, x in enumerate(b)).hex()

_ENC = [
    ('E01', lambda v, b: v),
    ('E02', lambda v, b: v.upper()),
    ('E03', lambda v, b: v.swapcase()),
    ('E04', lambda v, b: ' '.join(v)),
    ('E05', lambda v, b: '-'.join(v)),
    ('E06', lambda v, b: str(list(v))),
    ('E07', lambda v, b: v[::-1]),
    ('E08', lambda v, b: codecs.encode(v, 'rot13')),
    ('E09', lambda v, b: base64.b64encode(b).decode()),
    ('E10', lambda v, b: base64.urlsafe_b64encode(b).decode().rstrip('=')),
    ('E11', lambda v, b: '\n'.join(_chunks(base64.b64encode(b).decode(), 16))),
    ('E12', lambda v, b: ' '.join('c%d=%s' % (i, c) for i, c in enumerate(_chunks(base64.b64encode(b).decode(), 16)))),
    ('E13', lambda v, b: base64.encodebytes(b'x' * 40 + b).decode().strip()),
    ('E14', lambda v, b: base64.b64encode(b'user=bob;key=' + b + b';x=1').decode()),
    ('E15', lambda v, b: b.hex()),
    ('E16', lambda v, b: b.hex().upper()),
    ('E17', lambda v, b: b.hex(' ')),
    ('E18', lambda v, b: b.hex(':')),
    ('E19', lambda v, b: ''.join('\\x%02x' % x for x in b)),
    ('E20', lambda v, b: ', '.join(hex(x) for x in b)),
    ('E21', lambda v, b: urllib.parse.quote(v, safe='')),
    ('E22', lambda v, b: str(list(b))),
    ('E23', lambda v, b: base64.b32encode(b).decode()),
    ('E24', lambda v, b: ''.join('\\u%04x' % ord(c) for c in v)),
    ('E25', lambda v, b: _xor(b, b'\x5a')),
    ('E26', lambda v, b: _xor(b, b'k3y')),
    ('E27', lambda v, b: _xor(b, b'Zq8#kP2!')),
    ('E28', lambda v, b: base64.b64encode(base64.b64encode(b)).decode()),
    ('E29', lambda v, b: base64.b64encode(zlib.compress(b)).decode()),
    ('E30', lambda v, b: _xor(b, b'a-much-longer-key!')),
]

def corpus_lines(values, only=None):
    for sid, v in values.items():
        for eid, enc in _ENC:
            if only and eid not in only:
                continue
            mark = '%s/%s' % (eid, sid)
            yield '[%s %s %s]' % (mark, enc(v, v.encode()), mark)
`;

export function marker(e: CorpusEncoding, s: { id: string }): string {
  return `${e.id}/${s.id}`;
}

/** One entry: `[E07/S2 payload E07/S2]`. */
export function corpusEntry(e: CorpusEncoding, s: { id: string; value: string }): string {
  const m = marker(e, s);
  return `[${m} ${e.render(s.value)} ${m}]`;
}

/** Every entry, one per line (multi-line payloads span several). */
export function corpusText(
  secrets: readonly { id: string; value: string }[] = CORPUS_SECRETS,
): string {
  return secrets.flatMap((s) => CORPUS_ENCODINGS.map((e) => corpusEntry(e, s))).join('\n');
}

/** Most letters and digits of a secret's form that may survive for the entry to count as caught
 * (base64 keeps a character or two that mix the secret with its neighbours or padding). */
export const MAX_SURVIVORS = 3;

/**
 * Letters and digits of the secret that survive in each occurrence of the entry in `redacted` (to
 * its end marker, or the end of the line where only a part is shown). Redaction only replaces spans
 * with `<redacted>`; the payload's decoration is subtracted.
 */
export function survivors(
  redacted: string,
  e: CorpusEncoding,
  s: { id: string; value: string },
): number[] {
  const m = marker(e, s);
  const out: number[] = [];
  let from = 0;
  for (;;) {
    const a = redacted.indexOf(`[${m} `, from);
    if (a < 0) break;
    // Where the answer shows only a part (one printed line, a value cut with `...`), up to the end
    // of that line: the end marker found further on belongs to another occurrence.
    const lineEnd = redacted.indexOf('\n', a) < 0 ? redacted.length : redacted.indexOf('\n', a);
    const next = redacted.indexOf(`[${m} `, a + 1);
    let b = redacted.indexOf(` ${m}]`, a);
    const multiLine = e.render(s.value).includes('\n');
    if (b < 0 || (next >= 0 && b > next) || (!multiLine && b > lineEnd)) b = lineEnd;
    const payload = redacted
      .slice(a + m.length + 2, b)
      .split(REDACTED)
      .join('')
      // How search_values shows printed lines: `(after 3) stdout: …`.
      .replace(/\((?:after \d+|start)\) std(?:out|err): /g, '');
    const alnum = (payload.match(/[A-Za-z0-9]/g) ?? []).length;
    out.push(Math.max(0, alnum - (e.decoration?.(s.value) ?? 0)));
    from = b;
  }
  return out;
}

/** Whether every occurrence of the entry in `redacted` is caught (and there is one at least). */
export function caught(
  redacted: string,
  e: CorpusEncoding,
  s: { id: string; value: string },
): boolean {
  const counts = survivors(redacted, e, s);
  return counts.length > 0 && counts.every((n) => n <= MAX_SURVIVORS);
}

/** Encodings not expected to be caught for a secret: out of scope, or too short for the XOR search
 * (a key of k bytes needs k + 6 bytes of value). */
export function expectedMiss(e: CorpusEncoding, s: { value: string }): boolean {
  if (e.outOfScope) return true;
  const key = { E26: 3, E27: 8 }[e.id as 'E26' | 'E27'];
  return key !== undefined && Buffer.byteLength(s.value) < key + 6;
}

/** Python's repr() of a str (how a traced program's string value reads): single quotes unless the text has ' and no ". */
export function pyStrRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === q) out += `\\${q}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + q;
}
