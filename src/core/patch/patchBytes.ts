// Applies a fix to a file's BYTES: the fix is a change from the text the trace recorded (`baseText`)
// to the model's text (`newText`); only the lines that change are re-encoded, every other byte —
// encoding, byte order mark, each line's own line end, a missing final newline — is copied from the
// file as it is. A changed line keeps its old line end; inserted lines take the line end of their
// neighbours. The base text may have been read with the file's own encoding or, as older traces did,
// as UTF-8 with undecodable bytes shown as U+FFFD; either is matched against the file.
import { UserError } from '../errors';
import { changedSinceTrace } from './guard';
import { computeHunks, splitLines, type Hunk } from './hunks';
import {
  decodeAs,
  decodeSource,
  describeEncoding,
  encodeAs,
  hasUtf8Bom,
  type SourceEncoding,
} from '../source/encoding';

const BOM_CHAR = '\ufeff';
const CR = 0x0d;
const LF = 0x0a;

interface ByteLine {
  /** Content without its line end. */
  content: Buffer;
  /** '\n', '\r\n' or '' (the last line of a file without a final newline). */
  eol: string;
}

/** Splits at LF exactly like splitLines() splits text at /\r?\n/ (a final line end adds no line). */
function byteLines(body: Buffer): ByteLine[] {
  const out: ByteLine[] = [];
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== LF) continue;
    const crlf = i > start && body[i - 1] === CR;
    out.push({ content: body.subarray(start, crlf ? i - 1 : i), eol: crlf ? '\r\n' : '\n' });
    start = i + 1;
  }
  if (start < body.length) out.push({ content: body.subarray(start), eol: '' });
  return out;
}

function stripBom(text: string): string {
  return text.startsWith(BOM_CHAR) ? text.slice(1) : text;
}

export interface SourceMatch {
  encoding: SourceEncoding;
  /** How the base text decodes a line of this file. */
  decodeLine: (bytes: Uint8Array) => string;
  /** The file's text as the base text sees it (no BOM). */
  text: string;
  /** The base text does not show every byte: it was read as UTF-8 while the file is in another
   * encoding, or the file holds bytes its encoding cannot decode (shown as U+FFFD). */
  lossy: boolean;
}

/**
 * Which reading of `bytes` gives `baseText` (BOM aside): the file's own encoding or lossy UTF-8.
 * Undefined when neither does — the file changed since the base text was read.
 */
export function matchSource(bytes: Uint8Array, baseText: string): SourceMatch | undefined {
  const decoded = decodeSource(bytes);
  const base = stripBom(baseText);
  if (decoded.text === base) {
    return {
      encoding: decoded.encoding,
      decodeLine: (b) => decodeAs(decoded.encoding, b),
      text: decoded.text,
      lossy: !decoded.lossless,
    };
  }
  const body = hasUtf8Bom(bytes) ? bytes.subarray(3) : bytes;
  const utf8 = (b: Uint8Array): string => Buffer.from(b).toString('utf8');
  const lossy = utf8(body);
  if (lossy === base)
    return {
      encoding: decoded.encoding,
      decodeLine: utf8,
      text: lossy,
      lossy: Buffer.compare(Buffer.from(lossy, 'utf8'), Buffer.from(body)) !== 0,
    };
  return undefined;
}

const toLf = (t: string): string => stripBom(t).replace(/\r\n?/g, '\n');

/**
 * Does an editor's text (decoded as `encoding`, line ends normalized as editors do) show the same
 * file as `baseText`? Also true when the base text was read as UTF-8 from a file in another encoding.
 */
export function textMatchesBase(
  text: string,
  encoding: SourceEncoding | undefined,
  baseText: string,
): boolean {
  const base = toLf(baseText);
  if (toLf(text) === base) return true;
  // The editor read the file in its encoding, the base text as UTF-8 …
  const bytes = encoding && encodeAs(encoding, stripBom(text));
  if (bytes !== undefined && toLf(bytes.toString('utf8')) === base) return true;
  // … or the other way round: the base text in the file's encoding, the editor as UTF-8.
  const own = decodeSource(Buffer.from(base.split('\n', 2).join('\n'), 'latin1')).encoding;
  const baseBytes = own.name === 'utf-8' ? undefined : encodeAs(own, base);
  return baseBytes !== undefined && toLf(baseBytes.toString('utf8')) === toLf(text);
}

export interface PatchedSource {
  bytes: Buffer;
  encoding: SourceEncoding;
  /** The change, in lines of the base text. */
  hunks: Hunk[];
}

function conflict(shown: string): UserError {
  return changedSinceTrace(shown);
}

/** The most common line end of the file ('\n' when it has none). */
function dominantEol(lines: ByteLine[]): string {
  let crlf = 0;
  let lf = 0;
  for (const l of lines) {
    if (l.eol === '\r\n') crlf++;
    else if (l.eol === '\n') lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

/**
 * The file's bytes with the change from `baseText` to `newText` applied (see the top of this file).
 * Throws `patch-conflict` when the bytes are not the base text, and `bad-argument` when a changed
 * line holds a character the file's encoding cannot store.
 */
export function patchSourceBytes(
  bytes: Uint8Array,
  baseText: string,
  newText: string,
  shown = 'the file',
): PatchedSource {
  const match = matchSource(bytes, baseText);
  if (!match) throw conflict(shown);
  const bom = hasUtf8Bom(bytes);
  const lines = byteLines(Buffer.from(bom ? bytes.subarray(3) : bytes));
  if (splitLines(match.text).lines.length !== lines.length) throw conflict(shown);
  const oldTexts = lines.map((l) => match.decodeLine(l.content));
  const hunks = computeHunks(match.text, stripBom(newText));
  const fallbackEol = dominantEol(lines);
  // Reusing the bytes of an identical old line keeps characters a lossy read could not show.
  const byText = new Map<string, Buffer>();
  for (let i = lines.length - 1; i >= 0; i--)
    byText.set(oldTexts[i] ?? '', lines[i]?.content ?? Buffer.alloc(0));

  const out: ByteLine[] = [];
  let next = 0;
  for (const h of hunks) {
    for (; next < h.startLine; next++) out.push(lines[next] as ByteLine);
    const old = lines.slice(h.startLine, h.endLine);
    const neighbour = lines[h.startLine - 1]?.eol || old[old.length - 1]?.eol || fallbackEol;
    h.newLines.forEach((text, j) => {
      const reused = oldTexts.slice(h.startLine, h.endLine).indexOf(text);
      const content =
        reused >= 0
          ? (old[reused] as ByteLine).content
          : (byText.get(text) ??
            encodeLine(
              text,
              h.startLine + j,
              match,
              shown,
              old[j] && { bytes: old[j].content, text: oldTexts[h.startLine + j] ?? '' },
            ));
      out.push({ content, eol: old[j]?.eol || neighbour });
    });
    next = h.endLine;
  }
  for (; next < lines.length; next++) out.push(lines[next] as ByteLine);
  // Every line but the last ends with a line end; the last keeps the file's final-newline state.
  const finalNewline = (lines[lines.length - 1]?.eol ?? '') !== '';
  const parts: Buffer[] = bom ? [Buffer.from([0xef, 0xbb, 0xbf])] : [];
  out.forEach((l, i) => {
    const last = i === out.length - 1;
    const eol = last ? (finalNewline ? l.eol || fallbackEol : '') : l.eol || fallbackEol;
    parts.push(l.content, Buffer.from(eol, 'latin1'));
  });
  return { bytes: Buffer.concat(parts), encoding: match.encoding, hunks };
}

/** Lines longer than this are not aligned character by character (the search is quadratic). */
const MAX_SPLICE_LINE = 4000;

/**
 * Bytes of the changed line. A line the base text shows with U+FFFD (bytes it could not read) can
 * still be written when those characters lie in the part it shares with the old line at its place —
 * `return n * 2  # £` read as `… # \ufffd` and changed to `return n * 3  # \ufffd` — by copying the
 * old bytes of the shared start and end and encoding only the middle.
 */
function encodeLine(
  text: string,
  lineIndex: number,
  match: SourceMatch,
  shown: string,
  old?: { bytes: Buffer; text: string },
): Buffer {
  const unreadable = match.lossy && text.includes('\ufffd');
  let encoded = unreadable ? undefined : encodeAs(match.encoding, text);
  if (!encoded && unreadable && old) encoded = spliceLine(text, old, match);
  if (encoded) return encoded;
  throw new UserError(
    'bad-argument',
    unreadable
      ? `The fix rewrites line ${lineIndex + 1} of ${shown}, which holds bytes that are not valid ${describeEncoding(match.encoding)}; it was not applied.`
      : `The fix writes characters into line ${lineIndex + 1} of ${shown} that its encoding, ${describeEncoding(match.encoding)}, cannot hold; it was not applied.`,
    'Apply the change by hand, or convert the file to UTF-8 and run Explain & Fix again.',
  );
}

function spliceLine(
  text: string,
  old: { bytes: Buffer; text: string },
  match: SourceMatch,
): Buffer | undefined {
  if (old.bytes.length > MAX_SPLICE_LINE) return undefined;
  let p = 0;
  while (p < text.length && p < old.text.length && text[p] === old.text[p]) p++;
  let q = 0;
  while (
    q < text.length - p &&
    q < old.text.length - p &&
    text[text.length - 1 - q] === old.text[old.text.length - 1 - q]
  )
    q++;
  const middle = text.slice(p, text.length - q);
  if (middle.includes('\ufffd')) return undefined;
  const mid = encodeAs(match.encoding, middle);
  if (!mid) return undefined;
  // Byte offsets where the shared start ends and the shared end begins in the old line.
  const prefix = old.text.slice(0, p);
  const suffix = old.text.slice(old.text.length - q);
  let a = -1;
  for (let b = 0; b <= old.bytes.length && a < 0; b++)
    if (match.decodeLine(old.bytes.subarray(0, b)) === prefix) a = b;
  let z = -1;
  for (let b = old.bytes.length; b >= a && z < 0; b--)
    if (match.decodeLine(old.bytes.subarray(b)) === suffix) z = b;
  if (a < 0 || z < a) return undefined;
  const out = Buffer.concat([old.bytes.subarray(0, a), mid, old.bytes.subarray(z)]);
  return match.decodeLine(out) === text ? out : undefined;
}
