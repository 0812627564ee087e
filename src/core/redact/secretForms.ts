// The printed forms of a secret value that redaction searches for (secretMatch.ts projects each onto
// its letters and digits): the value, reversed, ROT13, URL-encoded, hex of its UTF-8 bytes and of
// its UTF-16 code units, its decimal bytes, and base64 and base32 — printed alone, and at every byte
// alignment (only the characters that depend on the value alone), so also inside a longer encoding.

function rot13(s: string): string {
  return s.replace(/[a-z]/gi, (ch) => {
    const base = ch <= 'Z' ? 65 : 97;
    return String.fromCharCode(((ch.charCodeAt(0) - base + 13) % 26) + base);
  });
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let acc = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += B32[(acc << (5 - bits)) & 31];
  return out;
}

/**
 * `encode` of the value after `k` bytes of anything, for every k below `group`: only the characters
 * that depend on the value alone (the first and last may mix with what precedes and follows).
 */
function aligned(
  bytes: Buffer,
  group: number,
  bitsPerChar: number,
  encode: (b: Buffer) => string,
): string[] {
  const out: string[] = [];
  for (let k = 0; k < group; k++) {
    const enc = encode(Buffer.concat([Buffer.alloc(k), bytes])).replace(/=+$/, '');
    const first = Math.ceil((8 * k) / bitsPerChar);
    const last = Math.floor((8 * (k + bytes.length)) / bitsPerChar);
    out.push(enc.slice(first, last));
  }
  return out;
}

/** The printed forms of a value that are searched for (see the top of this file). */
export function secretForms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const b64 = (b: Buffer) => b.toString('base64');
  const utf16 = [...value]
    .flatMap((ch) => {
      const cp = ch.codePointAt(0) ?? 0;
      return cp > 0xffff ? [...ch].map((u) => u.charCodeAt(0)) : [cp];
    })
    .map((u) => u.toString(16).padStart(4, '0'))
    .join('');
  return [
    value,
    [...value].reverse().join(''),
    rot13(value),
    encodeURIComponent(value),
    bytes.toString('hex'),
    utf16,
    [...bytes].join(','),
    // Printed alone, an encoding ends in characters fixed by the value and the padding.
    b64(bytes),
    base32(bytes),
    ...aligned(bytes, 3, 6, b64),
    ...aligned(bytes, 5, 5, (b) => base32(b)),
  ];
}
