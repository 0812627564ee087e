// Known secret values (environment secrets, API keys, learned literals) found in any form a program
// cheaply turns them into, in time linear in the text. The text is projected onto its letters and
// digits, lower-cased (separators, `\x`/`\u` escapes and `0x` prefixes dropped; a run of more than
// MAX_GAP other characters breaks it), so one search covers the value spaced out, joined with
// dashes, printed in chunks, upper-cased or as a list of characters. The forms searched are the
// value, reversed, ROT13, URL-encoded, hex (of its UTF-8 and its UTF-16 code units), decimal bytes,
// base64 and base32 at every byte alignment (so also inside a longer encoded string). A form of
// WINDOW+ characters matches by any WINDOW characters of it (rolling hashes, verified), so a part of
// a value is caught as well as all of it; the short first or last piece of a chunked form, printed
// after a label, is caught next to the rest. Shorter forms (a 7-character password) must match
// whole. Hex runs are also decoded and searched for the value XOR-ed with a key of up to
// XOR_MAX_KEY bytes: the XOR of bytes L apart does not depend on the key.

import { REDACTED } from './common';
import { secretForms } from './secretForms';

/** Characters of a form that identify it (48+ bits for base64 and random keys). */
const WINDOW = 10;
/** Whole forms shorter than WINDOW are matched from this length (a 6- or 7-character password). */
const MIN_SHORT = 6;
/** More separator characters than this between two letters or digits break the projection. */
const MAX_GAP = 24;
/** How far past a region (in projected characters) a chunked form's short last piece is looked for. */
const EDGE_SKIP = 16;
/** Ends of a form this long or longer, alone near a `<redacted>`, are taken for the rest of it. */
const MIN_PIECE = 4;
/** How far from a `<redacted>` (in characters of the text) such a piece is looked for. */
const NEAR_REDACTED = 48;
const XOR_MAX_KEY = 8;
/** Bytes of key-independent XOR differences that identify a value. */
const XOR_WINDOW = 6;
const BASE = 0x01000193;
/** Bits of the per-table filter (32 KB each). */
const SEEN_SIZE = 1 << 18;

interface Projection {
  /** Lower-cased ASCII letters and digits; 0 where the projection breaks. */
  codes: Uint8Array;
  /** Index in the text of each projected character. */
  at: Int32Array;
  n: number;
}

const isAlnum = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isHexCode = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const ESCAPES = new Set('nrtfvab0'.split('').map((c) => c.charCodeAt(0)));

function project(text: string): Projection {
  const len = text.length;
  const codes = new Uint8Array(len * 2);
  const at = new Int32Array(len * 2);
  let n = 0;
  let last = -1;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if (isAlnum(c)) {
      // `0x73`: the prefix is notation, not content.
      if (
        c === 48 &&
        (text.charCodeAt(i + 1) | 32) === 120 &&
        isHexCode(text.charCodeAt(i + 2)) &&
        !isAlnum(text.charCodeAt(i - 1))
      ) {
        i++;
        continue;
      }
      if (n > 0 && i - last - 1 > MAX_GAP) {
        codes[n] = 0;
        at[n++] = i;
      }
      codes[n] = c >= 65 && c <= 90 ? c | 32 : c;
      at[n++] = i;
      last = i;
    } else if (c === 92) {
      // `\n`, `\t`… in a repr are separators; `\x73` and `\u0073` keep their hex digits.
      const next = text.charCodeAt(i + 1);
      if (
        ESCAPES.has(next) ||
        ((next === 120 || next === 117) && isHexCode(text.charCodeAt(i + 2)))
      )
        i++;
    }
  }
  return { codes, at, n };
}

/** A form's projected characters. */
function canon(form: string): string {
  const p = project(form);
  let s = '';
  for (let i = 0; i < p.n; i++) if (p.codes[i]) s += String.fromCharCode(p.codes[i] as number);
  return s;
}

/** Polynomial hash of `codes[from, from + len)` (FNV prime as base, mod 2^32). */
function hashOf(codes: ArrayLike<number>, from: number, len: number): number {
  let h = 0;
  for (let i = 0; i < len; i++) h = (Math.imul(h, BASE) + (codes[from + i] as number)) >>> 0;
  return h;
}

function power(len: number): number {
  let p = 1;
  for (let i = 1; i < len; i++) p = Math.imul(p, BASE) >>> 0;
  return p;
}

/** Windows too plain to identify anything (`0123456789`, `aaaa…`). */
function plain(s: ArrayLike<number>, from: number, len: number): boolean {
  const distinct = new Set<number>();
  let steps = 0;
  for (let i = from; i < from + len; i++) {
    distinct.add(s[i] as number);
    if (i > from && (s[i] as number) - (s[i - 1] as number) === 1) steps++;
  }
  return distinct.size < 4 || steps >= len - 3;
}

interface Entry {
  form: Uint8Array;
  offset: number;
  /** The whole form (a short one). */
  whole: boolean;
}

interface Match {
  start: number;
  end: number;
  /** The form and offset of the match that ends the region last. */
  entry?: Entry;
  /** … and of the one that starts it. */
  first?: Entry;
}

/** Compiled search for the forms of a list of values. */
export class SecretMatcher {
  /** Window length → hash → entries. */
  private readonly tables = new Map<number, Map<number, Entry[]>>();
  /** XOR key length → hash of XOR_WINDOW differences → the differences. */
  private readonly xor = new Map<number, Map<number, Uint8Array[]>>();
  /** Per table: a bit per low SEEN_BITS bits of its hashes, so most positions need no lookup. */
  private readonly seen = new Map<Map<number, unknown>, Uint32Array>();
  /** First and last MIN_PIECE–WINDOW-1 characters of each long form (see nearRedacted). */
  private readonly pieces = new Set<string>();

  constructor(values: readonly string[]) {
    const forms = new Set<string>();
    for (const v of values) for (const f of secretForms(v)) forms.add(canon(f));
    for (const f of forms) {
      const form = Uint8Array.from(f, (ch) => ch.charCodeAt(0));
      if (form.length >= WINDOW) {
        for (let o = 0; o + WINDOW <= form.length; o++)
          if (!plain(form, o, WINDOW)) this.add(WINDOW, form, o, false);
        for (let k = MIN_PIECE; k < WINDOW; k++) this.pieces.add(f.slice(0, k)).add(f.slice(-k));
      } else if (form.length >= MIN_SHORT && !plain(form, 0, form.length))
        this.add(form.length, form, 0, true);
    }
    for (const v of values) {
      const s = Buffer.from(v, 'utf8');
      for (let k = 1; k <= XOR_MAX_KEY; k++) {
        if (s.length < k + XOR_WINDOW) break;
        const d = Uint8Array.from(
          { length: s.length - k },
          (_, i) => (s[i] as number) ^ (s[i + k] as number),
        );
        let table = this.xor.get(k);
        if (!table) this.xor.set(k, (table = new Map<number, Uint8Array[]>()));
        for (let o = 0; o + XOR_WINDOW <= d.length; o++) {
          const w = d.subarray(o, o + XOR_WINDOW);
          if (new Set(w).size < 3) continue;
          const h = hashOf(w, 0, XOR_WINDOW);
          this.mark(table, h);
          const list = table.get(h);
          if (list) list.push(w);
          else table.set(h, [w]);
        }
      }
    }
  }

  private mark(table: Map<number, unknown>, h: number): void {
    let bits = this.seen.get(table);
    if (!bits) this.seen.set(table, (bits = new Uint32Array(SEEN_SIZE >>> 5)));
    const k = h & (SEEN_SIZE - 1);
    bits[k >>> 5] = (bits[k >>> 5] as number) | (1 << (k & 31));
  }

  private add(len: number, form: Uint8Array, offset: number, whole: boolean): void {
    let table = this.tables.get(len);
    if (!table) this.tables.set(len, (table = new Map<number, Entry[]>()));
    const h = hashOf(form, offset, len);
    this.mark(table, h);
    const entry = { form, offset, whole };
    const list = table.get(h);
    if (list) list.push(entry);
    else table.set(h, [entry]);
  }

  /** Spans [start, end) of `text` that hold a form of a value, sorted and disjoint. */
  spans(text: string): [number, number][] {
    const p = project(text);
    const matches: Match[] = [];
    for (const [len, table] of this.tables) this.scan(p, len, table, matches);
    this.scanXor(p, matches);
    const near = this.nearRedacted(text);
    if (!matches.length) return merged(near);
    matches.sort((a, b) => a.start - b.start);
    const regions: Match[] = [];
    for (const m of matches) {
      const last = regions[regions.length - 1];
      if (last && m.start < last.end) {
        if (m.end > last.end) {
          last.end = m.end;
          if (m.entry) last.entry = m.entry;
        }
      } else regions.push({ ...m, first: m.entry });
    }
    const extra = this.edges(p, text, regions);
    const all = [
      ...[...regions, ...extra].map(
        (r) => [p.at[r.start] as number, (p.at[r.end - 1] as number) + 1] as [number, number],
      ),
      ...near,
    ];
    return merged(all);
  }

  /**
   * Runs of letters and digits near a `<redacted>` that are the first or last characters of a form:
   * values are redacted one by one before an answer lists them (`c='<redacted>'` then `c='bUtx'`),
   * so the last chunk of a value printed in chunks has lost the context that told it apart.
   */
  private nearRedacted(text: string): [number, number][] {
    const out: [number, number][] = [];
    if (!this.pieces.size) return out;
    for (let r = text.indexOf(REDACTED); r >= 0; r = text.indexOf(REDACTED, r + 1)) {
      const from = Math.max(0, r - NEAR_REDACTED);
      const to = Math.min(text.length, r + REDACTED.length + NEAR_REDACTED);
      for (let i = from; i < to;) {
        if (!isAlnum(text.charCodeAt(i)) || (i >= r && i < r + REDACTED.length)) {
          i++;
          continue;
        }
        let j = i;
        while (j < text.length && isAlnum(text.charCodeAt(j))) j++;
        const run = text.slice(i, j).toLowerCase();
        // Whole runs only (the first one of the window may be cut by it), and no other placeholder.
        const whole = i > from || !isAlnum(text.charCodeAt(i - 1));
        if (
          whole &&
          j - i >= MIN_PIECE &&
          j - i < WINDOW &&
          run !== 'redacted' &&
          this.pieces.has(run)
        )
          out.push([i, j]);
        i = j;
      }
    }
    return out;
  }

  private scan(p: Projection, len: number, table: Map<number, Entry[]>, out: Match[]): void {
    const { codes, n } = p;
    if (n < len) return;
    const top = power(len);
    const bits = this.seen.get(table) as Uint32Array;
    let h = 0;
    let lastBreak = -1;
    for (let i = 0; i < n; i++) {
      const c = codes[i] as number;
      if (c === 0) lastBreak = i;
      if (i >= len) h = (h - Math.imul(codes[i - len] as number, top)) >>> 0;
      h = (Math.imul(h, BASE) + c) >>> 0;
      const start = i - len + 1;
      if (start < 0 || lastBreak >= start) continue;
      const k = h & (SEEN_SIZE - 1);
      if (((bits[k >>> 5] as number) & (1 << (k & 31))) === 0) continue;
      const list = table.get(h);
      if (!list) continue;
      for (const e of list) {
        if (!same(codes, start, e.form, e.offset, len)) continue;
        out.push({ start, end: i + 1, entry: e });
        break;
      }
    }
  }

  /** The short first and last pieces of a form printed in chunks with labels between them. */
  private edges(p: Projection, text: string, regions: Match[]): Match[] {
    const out: Match[] = [];
    const find = (piece: Uint8Array, from: number, to: number): number => {
      for (let q = Math.max(0, from); q <= to && q + piece.length <= p.n; q++)
        if (
          same(p.codes, q, piece, 0, piece.length) &&
          wordBounded(text, p.at[q] as number, (p.at[q + piece.length - 1] as number) + 1)
        )
          return q;
      return -1;
    };
    for (const r of regions) {
      const first = r.first;
      if (first && !first.whole && first.offset > 0 && first.offset < WINDOW) {
        const head = first.form.subarray(0, first.offset);
        const q = find(head, r.start - EDGE_SKIP - head.length, r.start - head.length);
        if (q >= 0) out.push({ start: q, end: q + head.length });
      }
      const e = r.entry;
      if (!e || e.whole) continue;
      const used = e.offset + WINDOW;
      const rest = e.form.subarray(used);
      if (rest.length === 0 || rest.length >= WINDOW) continue;
      // The region's last window ends at r.end: the rest of the form comes after it.
      const q = find(rest, r.end, r.end + EDGE_SKIP);
      if (q >= 0) out.push({ start: q, end: q + rest.length });
    }
    return out;
  }

  /** Runs of hex digits decoded (both alignments) and searched for XOR differences of a value. */
  private scanXor(p: Projection, out: Match[]): void {
    if (!this.xor.size) return;
    const { codes, n } = p;
    let i = 0;
    while (i < n) {
      if (!isHexCode(codes[i] as number)) {
        i++;
        continue;
      }
      let j = i;
      while (j < n && isHexCode(codes[j] as number)) j++;
      if (j - i >= 2 * (XOR_WINDOW + 1))
        for (const align of [0, 1]) this.xorRun(codes, i + align, j, out);
      i = j;
    }
  }

  private xorRun(codes: Uint8Array, from: number, to: number, out: Match[]): void {
    const count = Math.floor((to - from) / 2);
    const bytes = new Uint8Array(count);
    const nib = (c: number): number => (c <= 57 ? c - 48 : c - 87);
    for (let b = 0; b < count; b++)
      bytes[b] = (nib(codes[from + 2 * b] as number) << 4) | nib(codes[from + 2 * b + 1] as number);
    for (const [k, table] of this.xor) {
      if (count < k + XOR_WINDOW) continue;
      const d = new Uint8Array(count - k);
      for (let b = 0; b < d.length; b++) d[b] = (bytes[b] as number) ^ (bytes[b + k] as number);
      const top = power(XOR_WINDOW);
      const bits = this.seen.get(table) as Uint32Array;
      let h = 0;
      for (let b = 0; b < d.length; b++) {
        if (b >= XOR_WINDOW) h = (h - Math.imul(d[b - XOR_WINDOW] as number, top)) >>> 0;
        h = (Math.imul(h, BASE) + (d[b] as number)) >>> 0;
        const start = b - XOR_WINDOW + 1;
        if (start < 0) continue;
        const bit = h & (SEEN_SIZE - 1);
        if (((bits[bit >>> 5] as number) & (1 << (bit & 31))) === 0) continue;
        const list = table.get(h);
        if (list?.some((w) => same(d, start, w, 0, XOR_WINDOW)))
          out.push({ start: from + 2 * start, end: from + 2 * (start + XOR_WINDOW + k) });
      }
    }
  }
}

/** Spans sorted, overlapping or touching ones joined. */
function merged(spans: [number, number][]): [number, number][] {
  spans.sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else out.push([s[0], s[1]]);
  }
  return out;
}

function same(
  a: ArrayLike<number>,
  from: number,
  b: ArrayLike<number>,
  offset: number,
  len: number,
): boolean {
  for (let i = 0; i < len; i++) if (a[from + i] !== b[offset + i]) return false;
  return true;
}

/** The span is not part of a longer word (letters or digits on either side). */
function wordBounded(text: string, start: number, end: number): boolean {
  return !isAlnum(text.charCodeAt(start - 1)) && !isAlnum(text.charCodeAt(end));
}
