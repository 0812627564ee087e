// Values that differ between any two runs and mean nothing. Two values are "the same" when they are
// equal after these rewrites, applied to both (docs/trace-format.md "Comparing two runs" states the
// rule for users):
//   root     — the run's own root folder reads as `<root>` (and a working directory outside it as
//              `<cwd>`): a run of another commit runs in a temporary copy;
//   temp     — a temporary file's random name (`/tmp/tmpk3j_x9a1/…`) reads as `<tmp>`;
//   object   — object numbers: `Node#3` reads as `Node#` (the recorder numbers objects in the order a
//              run first shows them, so any earlier difference renumbers every later object);
//   address  — memory addresses (`0x7f3a…`, six hex digits or more) and integers in [2^36, 2^48) where
//              the other run has another such integer (CPython addresses: `id()`, the default hash);
//   uuid     — time-based and random UUIDs (versions 1 and 4);
//   set      — the order of a set's items (set order follows hashes, which follow addresses);
//   clock    — a number or date-time that is a reading of the wall clock: an epoch time in seconds,
//              milliseconds, microseconds or nanoseconds, an ISO 8601 date-time or a
//              `datetime.datetime(…)`, lying within the run's own recording window (give or take
//              a minute), where the other run has another such reading.
// Anything else that differs is a divergence — a duration computed from time.perf_counter() too.
import { splitRepr } from '../replay/reprSplit';

export type NoiseKind = 'root' | 'temp' | 'object' | 'address' | 'uuid' | 'set' | 'clock';

export const NOISE_KINDS: readonly NoiseKind[] = [
  'root',
  'temp',
  'object',
  'address',
  'uuid',
  'set',
  'clock',
];

/** What a value's run tells the rule: its folders and when it was recorded. */
export interface NoiseContext {
  root: string;
  cwd: string;
  /** Epoch ms: the recording's window (the clock rule accepts readings within it, widened). */
  from: number;
  to: number;
}

const SLACK_MS = 60_000;

/** The context of a run recorded by Tracefix (its program folders and its createdAt/duration). */
export function noiseContext(t: {
  program: { root: string; cwd: string };
  createdAt: string;
  outcome: { durationMs: number };
}): NoiseContext {
  const end = Date.parse(t.createdAt);
  const to = Number.isFinite(end) ? end : Date.now();
  return {
    root: t.program.root,
    cwd: t.program.cwd,
    from: to - Math.max(0, t.outcome.durationMs) - SLACK_MS,
    to: to + SLACK_MS,
  };
}

const TEMP_NAME =
  /(?:\/tmp|\/var\/tmp|\/private\/var\/folders\/[^/\s'"]+\/[^/\s'"]+\/T)\/tmp[\w]{6,10}/g;
const OBJECT_NUMBER = /([A-Za-z_][\w.]*)#\d+/g;
const HEX_ADDRESS = /\b0x[0-9a-fA-F]{6,}\b/g;
const UUID =
  /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[14][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}\b/g;

type Rewrite = (v: string, ctx: NoiseContext) => string;

/** `<root>` for the run's root folder (a working directory inside it follows), and `<cwd>` for a
 * working directory outside it. */
function folders(v: string, ctx: NoiseContext): string {
  let out = v;
  if (ctx.root.length > 1 && out.includes(ctx.root)) out = out.split(ctx.root).join('<root>');
  const cwdInside = ctx.cwd === ctx.root || ctx.cwd.startsWith(`${ctx.root}/`);
  if (!cwdInside && ctx.cwd.length > 1 && out.includes(ctx.cwd))
    out = out.split(ctx.cwd).join('<cwd>');
  return out;
}

const REWRITES: [NoiseKind, Rewrite][] = [
  ['root', folders],
  ['temp', (v) => (v.includes('tmp') ? v.replace(TEMP_NAME, '<tmp>') : v)],
  ['object', (v) => (v.includes('#') ? v.replace(OBJECT_NUMBER, '$1#') : v)],
  ['address', (v) => (v.includes('0x') ? v.replace(HEX_ADDRESS, '0x…') : v)],
  ['uuid', (v) => (v.includes('-') ? v.replace(UUID, '<uuid>') : v)],
  ['set', sortedSet],
];

/** A set's repr with its items in sorted order (`{3, 1}` → `{1, 3}`); anything else unchanged. */
function sortedSet(v: string): string {
  if (!/^(?:frozenset\()?\{/.test(v)) return v;
  const s = splitRepr(v);
  if (!s || s.kind !== 'set' || s.truncated) return v;
  const items = s.entries.map((e) => e.value).sort();
  return s.wrapper ? `${s.wrapper}({${items.join(', ')}})` : `{${items.join(', ')}}`;
}

/** Outcome of comparing two values: equal as recorded, equal after the rule (and which part), or different. */
export type Sameness = { same: true; noise?: NoiseKind } | { same: false };

/**
 * Compares a value of run A with the corresponding value of run B under the rule above.
 * `noise` names the rewrite that made them equal (the first one that did).
 */
export function compareValues(a: string, b: string, ca: NoiseContext, cb: NoiseContext): Sameness {
  if (a === b) return { same: true };
  let x = a;
  let y = b;
  for (const [kind, rewrite] of REWRITES) {
    const nx = rewrite(x, ca);
    const ny = rewrite(y, cb);
    if (nx === ny) return { same: true, noise: kind };
    x = nx;
    y = ny;
  }
  // Clock readings and address-like integers have ten digits or more, or are dates.
  if (!MAYBE_CLOCK.test(x) || !MAYBE_CLOCK.test(y)) return { same: false };
  const tokens = tokenNoise(x, y, ca, cb);
  return tokens ? { same: true, noise: tokens } : { same: false };
}

const MAYBE_CLOCK = /\d{10}|\d{4}-\d\d-\d\d|datetime\(/;

// A date-time (ISO 8601 or datetime.datetime(…)), else a number.
const TOKEN =
  /datetime\.datetime\((\d{4}), (\d{1,2}), (\d{1,2})(?:, (\d{1,2}))?(?:, (\d{1,2}))?(?:, (\d{1,2}))?(?:, (\d{1,6}))?[^)]*\)|(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?(?:Z|[+-]\d\d:?\d\d)?|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

interface Token {
  text: string;
  /** Epoch ms candidates when the token can be a clock reading (UTC and local readings). */
  times: number[];
  /** The integer value, when the token is an integer. */
  int?: number;
}

function tokenize(v: string): { texts: string[]; tokens: Token[] } {
  const texts: string[] = [];
  const tokens: Token[] = [];
  let last = 0;
  for (const m of v.matchAll(TOKEN)) {
    texts.push(v.slice(last, m.index));
    last = m.index + m[0].length;
    tokens.push(readToken(m));
  }
  texts.push(v.slice(last));
  return { texts, tokens };
}

function readToken(m: RegExpMatchArray): Token {
  const text = m[0];
  const parts = (from: number): number[] =>
    [0, 1, 2, 3, 4, 5, 6].map((k) => Number(m[from + k] ?? (k < 3 ? 1 : 0)));
  if (m[1] !== undefined || m[8] !== undefined) {
    const [y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0, frac = 0] = parts(
      m[1] !== undefined ? 1 : 8,
    );
    const ms = m[1] !== undefined ? Math.floor(frac / 1000) : Number(`0.${m[14] ?? '0'}`) * 1000;
    return {
      text,
      times: [Date.UTC(y, mo - 1, d, h, mi, s, ms), new Date(y, mo - 1, d, h, mi, s, ms).getTime()],
    };
  }
  const n = Number(text);
  const times: number[] = [];
  const digits = text.replace(/^-/, '').split(/[.eE]/)[0]?.length ?? 0;
  if (n > 0) {
    if (digits === 10) times.push(n * 1000);
    else if (digits === 13) times.push(n);
    else if (digits === 16) times.push(n / 1000);
    else if (digits === 19) times.push(n / 1e6);
  }
  return Number.isInteger(n) && !/[.eE]/.test(text) ? { text, times, int: n } : { text, times };
}

const ADDRESS_LOW = 2 ** 36;
const ADDRESS_HIGH = 2 ** 48;

function isAddressInt(t: Token): boolean {
  return t.int !== undefined && t.int >= ADDRESS_LOW && t.int < ADDRESS_HIGH;
}

function isClock(t: Token, ctx: NoiseContext): boolean {
  return t.times.some((ms) => ms >= ctx.from && ms <= ctx.to);
}

/** Equal but for clock readings and address-like integers, token by token: which kind, else undefined. */
function tokenNoise(
  a: string,
  b: string,
  ca: NoiseContext,
  cb: NoiseContext,
): NoiseKind | undefined {
  const x = tokenize(a);
  const y = tokenize(b);
  if (x.tokens.length !== y.tokens.length || x.texts.join('\0') !== y.texts.join('\0'))
    return undefined;
  let kind: NoiseKind | undefined;
  for (let i = 0; i < x.tokens.length; i++) {
    const p = x.tokens[i] as Token;
    const q = y.tokens[i] as Token;
    if (p.text === q.text) continue;
    if (isClock(p, ca) && isClock(q, cb)) kind ??= 'clock';
    else if (isAddressInt(p) && isAddressInt(q)) kind ??= 'address';
    else return undefined;
  }
  return kind;
}
