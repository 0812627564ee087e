// How a Python source file's bytes become text and back, so a fix can be written byte for byte:
// a UTF-8 byte order mark, else a PEP 263 coding cookie on line 1 or 2 (`# -*- coding: latin-1 -*-`),
// else UTF-8. Decoding never changes the line structure (0x0A and 0x0D are never part of a character
// in the encodings Python accepts for source), so lines of bytes and lines of text correspond.
// Encoding is exact for UTF-8 and every single-byte code page; for multi-byte code pages (Shift-JIS,
// GBK, Big5, EUC) only ASCII can be encoded: other new text there is refused, never guessed.
import { TextDecoder } from 'node:util';

export interface SourceEncoding {
  /** Python's canonical name, for messages: 'utf-8', 'iso-8859-1', 'cp1252', 'shift_jis'… */
  name: string;
  /** The file starts with the UTF-8 byte order mark EF BB BF. */
  bom: boolean;
  /** Where the name came from. */
  from: 'bom' | 'cookie' | 'default';
  /** The cookie named an encoding Tracefix does not know: bytes are read as ISO-8859-1, which maps
   * every byte to one character and back, so unchanged bytes still survive a fix. */
  unknown?: string;
  /** VS Code's TextDocument.encoding id for it (undefined when VS Code has none). */
  vscode?: string;
}

interface Codec {
  name: string;
  /** WHATWG label for TextDecoder, or 'latin1' for Node's exact ISO-8859-1. */
  decoder: string;
  vscode?: string;
  singleByte: boolean;
  /** The 256 characters of a single-byte code page, where Node's decoder cannot be used. */
  table?: string;
}

/** Windows-1252: Node's TextDecoder reads it as ISO-8859-1 (0x80 → U+0080, not €), so it has its own
 * table. The five bytes cp1252 leaves undefined map to U+0081… as WHATWG does, keeping them readable. */
const CP1252 = ((): string => {
  const high =
    '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
    '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
  let t = '';
  for (let b = 0; b < 256; b++)
    t += b >= 0x80 && b < 0xa0 ? (high[b - 0x80] ?? '') : String.fromCharCode(b);
  return t;
})();

const UTF8: Codec = { name: 'utf-8', decoder: 'utf-8', vscode: 'utf8', singleByte: false };
const LATIN1: Codec = {
  name: 'iso-8859-1',
  decoder: 'latin1',
  vscode: 'iso88591',
  singleByte: true,
};

/** Python codec names (normalized: lower case, `_` → `-`) → codec. */
const CODECS = new Map<string, Codec>();
function add(codec: Codec, ...names: string[]): void {
  for (const n of [codec.name, ...names]) CODECS.set(n, codec);
}
add(UTF8, 'utf8', 'u8', 'utf', 'cp65001', 'utf-8-sig', 'utf8-sig');
// ASCII files are valid UTF-8; a fix that adds non-ASCII to one fails in Python, as written.
add({ ...UTF8, name: 'ascii' }, 'us-ascii', '646', 'us');
add(
  LATIN1,
  'latin-1',
  'latin1',
  'iso8859-1',
  'iso-latin-1',
  'l1',
  'latin',
  'cp819',
  'iso-ir-100',
  'ibm819',
  '8859',
);
const single = (
  name: string,
  decoder: string,
  vscode: string | undefined,
  ...aliases: string[]
): void => add({ name, decoder, vscode, singleByte: true }, ...aliases);
add(
  { name: 'cp1252', decoder: 'cp1252', vscode: 'windows1252', singleByte: true, table: CP1252 },
  'windows-1252',
  '1252',
);
single('cp1250', 'windows-1250', 'windows1250', 'windows-1250', '1250');
single('cp1251', 'windows-1251', 'windows1251', 'windows-1251', '1251');
single('cp1253', 'windows-1253', 'windows1253', 'windows-1253', '1253');
single('cp1254', 'windows-1254', 'windows1254', 'windows-1254', '1254');
single('cp1255', 'windows-1255', 'windows1255', 'windows-1255', '1255');
single('cp1256', 'windows-1256', 'windows1256', 'windows-1256', '1256');
single('cp1257', 'windows-1257', 'windows1257', 'windows-1257', '1257');
single('cp1258', 'windows-1258', 'windows1258', 'windows-1258', '1258');
single('iso-8859-2', 'iso-8859-2', 'iso88592', 'iso8859-2', 'latin-2', 'latin2', 'l2');
single('iso-8859-3', 'iso-8859-3', 'iso88593', 'iso8859-3', 'latin-3', 'latin3', 'l3');
single('iso-8859-4', 'iso-8859-4', 'iso88594', 'iso8859-4', 'latin-4', 'latin4', 'l4');
single('iso-8859-5', 'iso-8859-5', 'iso88595', 'iso8859-5', 'cyrillic');
single('iso-8859-6', 'iso-8859-6', 'iso88596', 'iso8859-6', 'arabic');
single('iso-8859-7', 'iso-8859-7', 'iso88597', 'iso8859-7', 'greek');
single('iso-8859-8', 'iso-8859-8', 'iso88598', 'iso8859-8', 'hebrew');
single('iso-8859-10', 'iso-8859-10', 'iso885910', 'iso8859-10', 'latin-6', 'latin6', 'l6');
single('iso-8859-13', 'iso-8859-13', 'iso885913', 'iso8859-13', 'latin-7', 'latin7', 'l7');
single('iso-8859-14', 'iso-8859-14', 'iso885914', 'iso8859-14', 'latin-8', 'latin8', 'l8');
single('iso-8859-15', 'iso-8859-15', 'iso885915', 'iso8859-15', 'latin-9', 'latin9', 'l9');
single('iso-8859-16', 'iso-8859-16', 'iso885916', 'iso8859-16', 'latin-10', 'latin10', 'l10');
single('koi8-r', 'koi8-r', 'koi8r');
single('koi8-u', 'koi8-u', 'koi8u');
single('cp866', 'ibm866', 'cp866', 'ibm866', '866');
single('mac-roman', 'macintosh', 'macroman', 'macroman', 'macintosh');
single('cp874', 'windows-874', 'windows874', 'windows-874', 'tis-620', 'tis620');
const multi = (
  name: string,
  decoder: string,
  vscode: string | undefined,
  ...aliases: string[]
): void => add({ name, decoder, vscode, singleByte: false }, ...aliases);
multi(
  'shift_jis',
  'shift_jis',
  'shiftjis',
  'shift-jis',
  'sjis',
  's-jis',
  'shiftjis',
  'cp932',
  'ms932',
  'mskanji',
  'ms-kanji',
);
multi('euc_jp', 'euc-jp', 'eucjp', 'euc-jp', 'eucjp', 'ujis', 'u-jis');
multi('gbk', 'gbk', 'gbk', 'cp936', 'ms936', '936');
multi('gb2312', 'gbk', 'gb2312', 'chinese', 'euc-cn', 'euccn', 'eucgb2312-cn');
multi('gb18030', 'gb18030', 'gb18030', 'gb18030-2000');
multi('big5', 'big5', 'cp950', 'big5-tw', 'csbig5', 'cp950');
multi('big5hkscs', 'big5', 'big5hkscs', 'big5-hkscs', 'hkscs');
multi(
  'euc_kr',
  'euc-kr',
  'euckr',
  'euc-kr',
  'euckr',
  'korean',
  'ksc5601',
  'ks-c-5601',
  'cp949',
  'uhc',
);

/** Python's coding-cookie pattern (PEP 263), applied to one line. */
const COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

function line(bytes: Uint8Array, start: number): { text: string; next: number } {
  let end = start;
  while (end < bytes.length && bytes[end] !== 0x0a) end++;
  // The cookie itself is ASCII; latin1 keeps every byte in place for the pattern.
  return { text: Buffer.from(bytes.subarray(start, end)).toString('latin1'), next: end + 1 };
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/_/g, '-');
}

function codecFor(name: string): Codec | undefined {
  const n = normalize(name);
  // Python's tokenizer maps "utf-8-*" and "latin-1-*" / "iso-8859-1-*" variants to the base codec.
  if (/^utf-8-/.test(n) && !CODECS.has(n)) return UTF8;
  if (/^(latin-1|iso-8859-1|iso-latin-1)-/.test(n)) return LATIN1;
  return CODECS.get(n);
}

/** The coding cookie of the first two lines (the second only when the first is blank or a comment). */
export function codingCookie(bytes: Uint8Array): string | undefined {
  const start = hasUtf8Bom(bytes) ? 3 : 0;
  const first = line(bytes, start);
  const m1 = COOKIE.exec(first.text);
  if (m1) return m1[1];
  if (!/^[ \t\f]*(?:#.*)?\r?$/.test(first.text) || first.next > bytes.length) return undefined;
  return COOKIE.exec(line(bytes, first.next).text)?.[1];
}

export function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

function resolve(bytes: Uint8Array): { enc: SourceEncoding; codec: Codec } {
  if (hasUtf8Bom(bytes))
    return { enc: { name: 'utf-8', bom: true, from: 'bom', vscode: 'utf8bom' }, codec: UTF8 };
  const cookie = codingCookie(bytes);
  if (cookie !== undefined) {
    const codec = codecFor(cookie);
    if (codec)
      return { enc: { name: codec.name, bom: false, from: 'cookie', vscode: codec.vscode }, codec };
    return {
      enc: { name: LATIN1.name, bom: false, from: 'cookie', unknown: cookie },
      codec: LATIN1,
    };
  }
  return { enc: { name: 'utf-8', bom: false, from: 'default', vscode: 'utf8' }, codec: UTF8 };
}

export function detectSourceEncoding(bytes: Uint8Array): SourceEncoding {
  return resolve(bytes).enc;
}

const decoders = new Map<string, TextDecoder>();
function decodeWith(codec: Codec, bytes: Uint8Array): string {
  if (codec.decoder === 'latin1') return Buffer.from(bytes).toString('latin1');
  if (codec.table !== undefined) {
    let out = '';
    for (const b of bytes) out += codec.table[b] ?? '';
    return out;
  }
  let d = decoders.get(codec.decoder);
  if (!d) {
    d = new TextDecoder(codec.decoder, { ignoreBOM: true });
    decoders.set(codec.decoder, d);
  }
  return d.decode(bytes);
}

/** Character → byte of a single-byte code page (built on first use from the decoder itself). */
const encodeTables = new Map<string, Map<string, number>>();
function tableOf(codec: Codec): Map<string, number> {
  let t = encodeTables.get(codec.decoder);
  if (!t) {
    t = new Map();
    for (let b = 255; b >= 0; b--) {
      const ch = decodeWith(codec, Uint8Array.of(b));
      if (ch !== '\ufffd') t.set(ch, b);
    }
    encodeTables.set(codec.decoder, t);
  }
  return t;
}

export interface DecodedSource {
  /** The text without the byte order mark. */
  text: string;
  encoding: SourceEncoding;
  /** Re-encoding the text gives back exactly these bytes (false e.g. for invalid UTF-8, whose bad
   * bytes decode to U+FFFD). */
  lossless: boolean;
}

export function decodeSource(bytes: Uint8Array): DecodedSource {
  const { enc, codec } = resolve(bytes);
  const body = enc.bom ? bytes.subarray(3) : bytes;
  const text = decodeWith(codec, body);
  const again = encodeWith(codec, text);
  return {
    text,
    encoding: enc,
    lossless: again !== undefined && Buffer.compare(again, Buffer.from(body)) === 0,
  };
}

/** Decodes bytes (a whole file or one line) as `encoding` says; no BOM handling. */
export function decodeAs(encoding: SourceEncoding, bytes: Uint8Array): string {
  return decodeWith(codecOf(encoding), bytes);
}

function codecOf(encoding: SourceEncoding): Codec {
  if (encoding.unknown !== undefined) return LATIN1;
  return codecFor(encoding.name) ?? UTF8;
}

function encodeWith(codec: Codec, text: string): Buffer | undefined {
  if (codec === UTF8 || codec.decoder === 'utf-8') return Buffer.from(text, 'utf8');
  if (codec.decoder === 'latin1') {
    // eslint-disable-next-line no-control-regex
    return /^[\u0000-\u00ff]*$/.test(text) ? Buffer.from(text, 'latin1') : undefined;
  }
  if (codec.singleByte) {
    const t = tableOf(codec);
    const out = Buffer.alloc(text.length);
    for (let i = 0; i < text.length; i++) {
      const b = t.get(text[i] ?? '');
      if (b === undefined) return undefined;
      out[i] = b;
    }
    return out;
  }
  // Multi-byte code pages: ASCII is itself in all of them.
  // eslint-disable-next-line no-control-regex
  return /^[\u0000-\u007f]*$/.test(text) ? Buffer.from(text, 'latin1') : undefined;
}

/** `text` in the file's encoding (no BOM), or undefined when the encoding cannot hold some character. */
export function encodeAs(encoding: SourceEncoding, text: string): Buffer | undefined {
  return encodeWith(codecOf(encoding), text);
}

/** The encoding behind a VS Code TextDocument.encoding id ('utf8bom', 'iso88591'…), if Tracefix knows it. */
export function encodingFromVscode(id: string): SourceEncoding | undefined {
  if (id === 'utf8bom') return { name: 'utf-8', bom: true, from: 'bom', vscode: id };
  for (const c of CODECS.values())
    if (c.vscode === id) return { name: c.name, bom: false, from: 'cookie', vscode: id };
  return undefined;
}

/** "iso-8859-1 (from its coding cookie)" and the like, for messages. */
export function describeEncoding(e: SourceEncoding): string {
  if (e.unknown !== undefined)
    return `"${e.unknown}" (an encoding Tracefix does not know, read byte for byte)`;
  if (e.from === 'bom') return 'utf-8 with a byte order mark';
  if (e.from === 'cookie') return `${e.name} (from its coding cookie)`;
  return e.name;
}
