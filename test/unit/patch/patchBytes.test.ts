// Byte-faithful fixes: only changed lines are re-encoded; encoding (PEP 263 cookie, BOM), each line's
// own line end, a missing final newline and undecodable bytes elsewhere survive.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors';
import { splitLines } from '../../../src/core/patch/hunks';
import { patchSourceBytes, textMatchesBase } from '../../../src/core/patch/patchBytes';
import {
  codingCookie,
  decodeSource,
  detectSourceEncoding,
} from '../../../src/core/source/encoding';

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');
const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function userError(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('expected a UserError');
}

describe('detectSourceEncoding / decodeSource', () => {
  it.each([
    ['# -*- coding: latin-1 -*-\n', 'iso-8859-1', 'iso88591'],
    ['#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-15 :\n', 'iso-8859-15', 'iso885915'],
    ['# coding=cp1252\n', 'cp1252', 'windows1252'],
    ['# -*- coding: utf-8 -*-\n', 'utf-8', 'utf8'],
    ['# coding: Latin_1\n', 'iso-8859-1', 'iso88591'],
    ['# coding: shift_jis\n', 'shift_jis', 'shiftjis'],
    ['x = 1\n', 'utf-8', 'utf8'],
  ])('%j → %s', (head, name, vscode) => {
    const e = detectSourceEncoding(latin1(head));
    expect(e.name).toBe(name);
    expect(e.vscode).toBe(vscode);
  });

  it('reads the cookie on line 2 only after a comment or blank line 1 (PEP 263)', () => {
    expect(codingCookie(latin1('import os\n# coding: latin-1\n'))).toBeUndefined();
    expect(codingCookie(latin1('\n# coding: latin-1\n'))).toBe('latin-1');
    expect(codingCookie(latin1('x = 1\n\n# coding: latin-1\n'))).toBeUndefined();
  });

  it('a BOM means UTF-8 and is not part of the text', () => {
    const d = decodeSource(Buffer.concat([BOM, utf8('x = "é"\r\n')]));
    expect(d.encoding).toMatchObject({ name: 'utf-8', bom: true, from: 'bom', vscode: 'utf8bom' });
    expect(d.text).toBe('x = "é"\r\n');
    expect(d.lossless).toBe(true);
  });

  it('an unknown cookie reads byte for byte (ISO-8859-1) and says so', () => {
    const bytes = latin1('# coding: cp437\nx = "\x82\x8a"\n');
    const d = decodeSource(bytes);
    expect(d.encoding.unknown).toBe('cp437');
    expect(d.lossless).toBe(true);
  });

  it('invalid UTF-8 is read with U+FFFD and marked lossy', () => {
    const d = decodeSource(Buffer.concat([utf8('x = "'), Buffer.from([0xff]), utf8('"\n')]));
    expect(d.text).toBe('x = "\ufffd"\n');
    expect(d.lossless).toBe(false);
  });
});

describe('patchSourceBytes', () => {
  const LATIN1_FILE =
    '# -*- coding: latin-1 -*-\ncafe = "caf\xe9"\n\ndef price(n):\n    return n * 2  # \xa3\n\ndef name():\n    return cafe + " cr\xe8me"\n';

  it('latin-1: bytes outside the changed line stay, whether the trace read it as UTF-8 (U+FFFD) or as latin-1', () => {
    const bytes = latin1(LATIN1_FILE);
    for (const base of [bytes.toString('utf8'), bytes.toString('latin1')]) {
      const next = base.replace('return n * 2', 'return n * 3');
      const out = patchSourceBytes(bytes, base, next, 'shop.py');
      expect(out.bytes.equals(latin1(LATIN1_FILE.replace('return n * 2', 'return n * 3')))).toBe(
        true,
      );
      expect(out.encoding.name).toBe('iso-8859-1');
    }
  });

  it('latin-1: a new line with non-ASCII characters is written in latin-1, not UTF-8', () => {
    const bytes = latin1(LATIN1_FILE);
    const base = bytes.toString('latin1');
    const out = patchSourceBytes(bytes, base, base.replace('" cr\xe8me"', '" br\xfbl\xe9e"'));
    expect(out.bytes.equals(latin1(LATIN1_FILE.replace('" cr\xe8me"', '" br\xfbl\xe9e"')))).toBe(
      true,
    );
  });

  it('latin-1 read as UTF-8: a changed line keeps the unreadable bytes of the part it shares with the old line', () => {
    const bytes = latin1(LATIN1_FILE);
    const base = bytes.toString('utf8');
    const next = base.replace('return cafe + " cr\ufffdme"', 'return cafe.upper() + " cr\ufffdme"');
    expect(next).not.toBe(base);
    expect(
      patchSourceBytes(bytes, base, next).bytes.equals(
        latin1(LATIN1_FILE.replace('cafe + " cr', 'cafe.upper() + " cr')),
      ),
    ).toBe(true);
  });

  it('latin-1 read as UTF-8: an unreadable character the model moved or wrote anew is refused, not guessed', () => {
    const bytes = latin1(LATIN1_FILE);
    const base = bytes.toString('utf8');
    const next = base.replace('return cafe + " cr\ufffdme"', 'return "\ufffd" + cafe');
    const e = userError(() => patchSourceBytes(bytes, base, next, 'shop.py'));
    expect(e.message).toMatch(
      /line 8 of shop\.py, which holds bytes that are not valid iso-8859-1 \(from its coding cookie\)/,
    );
  });

  it('a character the encoding cannot hold is refused with the encoding named', () => {
    const bytes = latin1(LATIN1_FILE);
    const base = bytes.toString('latin1');
    const e = userError(() =>
      patchSourceBytes(bytes, base, base.replace('return n * 2', 'return n * 2  # €'), 'shop.py'),
    );
    expect(e.code).toBe('bad-argument');
    expect(e.message).toMatch(
      /line 5 of shop\.py that its encoding, iso-8859-1 \(from its coding cookie\), cannot hold/,
    );
  });

  it('BOM + CRLF: the BOM and every CRLF stay; the changed line keeps CRLF', () => {
    const text = 'def f(x):\r\n    """Déjà vu."""\r\n    return x + 1\r\n';
    const bytes = Buffer.concat([BOM, utf8(text)]);
    // Older traces kept the BOM as U+FEFF in the text; models drop it and answer in LF.
    for (const base of [`\ufeff${text}`, text]) {
      const out = patchSourceBytes(
        bytes,
        base,
        'def f(x):\n    """Déjà vu."""\n    return x - 1\n',
      );
      expect(out.bytes.equals(Buffer.concat([BOM, utf8(text.replace('x + 1', 'x - 1'))]))).toBe(
        true,
      );
    }
  });

  it('mixed line ends: each unchanged line keeps its own; a changed line keeps its old one; inserted lines take their neighbours', () => {
    const text = 'a = 1\r\nb = 2\nc = 3\r\nd = 4\n';
    const out = patchSourceBytes(utf8(text), text, 'a = 1\nb = 20\nc = 30\nc2 = 31\nd = 4\n');
    expect(out.bytes.toString('utf8')).toBe('a = 1\r\nb = 20\nc = 30\r\nc2 = 31\r\nd = 4\n');
  });

  it('keeps a missing final newline, also when lines are added or removed at the end', () => {
    const text = 'x = 1\r\ny = 2';
    expect(patchSourceBytes(utf8(text), text, 'x = 1\ny = 3').bytes.toString()).toBe(
      'x = 1\r\ny = 3',
    );
    expect(patchSourceBytes(utf8(text), text, 'x = 1\ny = 2\nz = 3').bytes.toString()).toBe(
      'x = 1\r\ny = 2\r\nz = 3',
    );
    expect(patchSourceBytes(utf8(text), text, 'x = 1').bytes.toString()).toBe('x = 1');
    expect(patchSourceBytes(utf8('a\nb\n'), 'a\nb\n', 'a\nb\nc\n').bytes.toString()).toBe(
      'a\nb\nc\n',
    );
  });

  it('invalid UTF-8 bytes in an unchanged line survive', () => {
    const bytes = Buffer.concat([utf8('s = b"'), Buffer.from([0xff, 0xfe]), utf8('"\nx = 1\n')]);
    const base = bytes.toString('utf8');
    const out = patchSourceBytes(bytes, base, base.replace('x = 1', 'x = 2'));
    expect(
      out.bytes.equals(
        Buffer.concat([utf8('s = b"'), Buffer.from([0xff, 0xfe]), utf8('"\nx = 2\n')]),
      ),
    ).toBe(true);
  });

  it('cp1252: € is written as 0x80; Shift-JIS: unchanged multi-byte lines survive, new non-ASCII text is refused', () => {
    const cp = Buffer.concat([
      latin1('# coding: cp1252\nprice = "'),
      Buffer.from([0x80]),
      latin1('5"\nx = 1\n'),
    ]);
    const base = decodeSource(cp).text;
    const out = patchSourceBytes(cp, base, base.replace('x = 1', 'x = "€"'));
    expect(
      out.bytes.equals(
        Buffer.concat([
          latin1('# coding: cp1252\nprice = "'),
          Buffer.from([0x80]),
          latin1('5"\nx = "'),
          Buffer.from([0x80]),
          latin1('"\n'),
        ]),
      ),
    ).toBe(true);

    const sjis = Buffer.concat([
      latin1('# coding: shift_jis\nname = "'),
      Buffer.from([0x93, 0xfa, 0x96, 0x7b]),
      latin1('"\nx = 1\n'),
    ]);
    const sBase = decodeSource(sjis).text;
    expect(sBase).toContain('日本');
    const sOut = patchSourceBytes(sjis, sBase, sBase.replace('x = 1', 'x = 2'));
    expect(
      sOut.bytes.equals(
        Buffer.concat([
          latin1('# coding: shift_jis\nname = "'),
          Buffer.from([0x93, 0xfa, 0x96, 0x7b]),
          latin1('"\nx = 2\n'),
        ]),
      ),
    ).toBe(true);
    // A new line equal to an old one reuses its bytes; new non-ASCII text cannot be encoded here.
    const moved = patchSourceBytes(sjis, sBase, sBase.replace('x = 1\n', 'x = 1\nname = "日本"\n'));
    expect(
      moved.bytes
        .subarray(-14)
        .equals(
          Buffer.concat([latin1('name = "'), Buffer.from([0x93, 0xfa, 0x96, 0x7b]), latin1('"\n')]),
        ),
    ).toBe(true);
    expect(
      userError(() => patchSourceBytes(sjis, sBase, sBase.replace('x = 1', 'x = "語"'))).message,
    ).toMatch(/shift_jis/);
  });

  it('a file that no longer holds the base text is a patch-conflict', () => {
    const e = userError(() => patchSourceBytes(utf8('x = 2\n'), 'x = 1\n', 'x = 3\n', 'm.py'));
    expect(e.code).toBe('patch-conflict');
    expect(e.message).toMatch(/^m\.py has changed since the trace/);
  });

  it('random edits on files with mixed line ends: the result has the new lines, and every unchanged line keeps its bytes', () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const n = 1 + rand(12);
      const lines = Array.from({ length: n }, (_, i) => `l${i} = ${rand(5)}  # \xe9`);
      const eols = lines.map(() => (rand(2) ? '\r\n' : '\n'));
      const final = rand(3) > 0;
      const raw = lines.map((l, i) => l + (i < n - 1 || final ? eols[i] : '')).join('');
      const bytes = latin1(`# coding: latin-1\n${raw}`);
      const base = bytes.toString('latin1');
      const origin: (number | null)[] = [];
      const next = splitLines(base).lines.flatMap((l, i) => {
        const r = i === 0 ? 9 : rand(6);
        const pick =
          r === 0 ? [] : r === 1 ? [`${l} + 1`] : r === 2 ? [l, `new${i} = "\xfc"`] : [l];
        pick.forEach((x) => origin.push(x === l ? i : null));
        return pick;
      });
      const newText = next.join('\n') + (final ? '\n' : '');
      const got = patchSourceBytes(bytes, base, newText).bytes.toString('latin1');
      expect(splitLines(got).lines).toEqual(next);
      expect(got.endsWith('\n')).toBe(final);
      // Unchanged lines keep their own line end (line 0 is the cookie, ending in LF).
      const allEols = ['\n', ...eols];
      const gotEols = Array.from(got.matchAll(/\r?\n/g), (m) => m[0]);
      origin.forEach((k, i) => {
        if (k !== null && i < gotEols.length && k < allEols.length - (final ? 0 : 1))
          expect(gotEols[i]).toBe(allEols[k]);
      });
    }
  });
});

describe('textMatchesBase (the editor\'s "unchanged since the trace")', () => {
  const file = latin1('# coding: latin-1\r\nx = "\xe9"\r\n');
  it('matches across line-end normalisation, a BOM, and either side read as UTF-8 from a latin-1 file', () => {
    const latinEnc = decodeSource(file).encoding;
    const asLatin = file.toString('latin1');
    const asUtf8 = file.toString('utf8');
    expect(textMatchesBase(asLatin.replace(/\r\n/g, '\n'), latinEnc, asLatin)).toBe(true);
    expect(textMatchesBase(asLatin, latinEnc, asUtf8)).toBe(true);
    expect(textMatchesBase(asUtf8, undefined, asLatin)).toBe(true);
    expect(textMatchesBase('\ufeffx = 1\n', undefined, 'x = 1\r\n')).toBe(true);
    expect(textMatchesBase(asLatin.replace('\xe9', 'e'), latinEnc, asLatin)).toBe(false);
    expect(textMatchesBase(asUtf8.replace('x', 'y'), undefined, asLatin)).toBe(false);
  });
});
