// The search for known secret values in any cheap form (src/core/redact/secretMatch.ts): what it
// catches at the edges of a chunked form, what it leaves alone, and the learned short passwords.
import { describe, expect, it } from 'vitest';
import { learnSecrets } from '../../../src/core/redact/learnSecrets';
import { redact } from '../../../src/core/redact/redact';
import { SecretMatcher } from '../../../src/core/redact/secretMatch';
import { TRACE_TOOLS, ToolSession } from '../../../src/core/tools';
import { TraceBuilder } from '../render/traceBuilder';

const KEY = 'sk-proj-Qx7Vb2Lm9Tz4Kp8Rw3Yn6Hd1Fs5Gc0Ja7Ue2Mi4O';
const r = (text: string, secrets = [KEY]): string => redact(text, { secrets }).text;
const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('known secrets in any cheap form', () => {
  it('a part of a value is caught as well as all of it', () => {
    expect(r(`key tail: ${KEY.slice(20)}`)).toBe('key tail: <redacted>');
    expect(r(`first ten: ${KEY.slice(0, 12)}!`)).toBe('first ten: <redacted>!');
    // Fewer than 10 of its letters and digits are not enough to tell.
    expect(r(`short: ${KEY.slice(9, 17)}`)).toBe(`short: ${KEY.slice(9, 17)}`);
  });

  it('chunks after labels: each chunk, and the short last one next to the rest', () => {
    const chunks = b64(KEY).match(/.{1,16}/g) ?? [];
    const text = chunks.map((c, i) => `part ${i}: ${c}`).join('\n');
    const out = r(text);
    for (const c of chunks) expect(out).not.toContain(c);
    expect(out).toContain('part 0: <redacted>');
    // A short piece with nothing secret before it stays (it could be anything).
    expect(r('part 9: bUtx')).toBe('part 9: bUtx');
  });

  it('a chunk per step: each value is redacted alone, the short last chunk is known by its neighbour <redacted>', () => {
    const aws = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ3vT8mKq';
    const chunks = b64(aws).match(/.{1,16}/g) ?? [];
    expect(chunks.at(-1)).toBe('bUtx');
    const b = new TraceBuilder().source('leak.py', 'for c in chunks:\n    print(c)\n');
    b.call('leak.py', '<module>', 1);
    for (const c of chunks) b.line(1, { c: `'${c}'` }).line(2);
    const session = new ToolSession(b.build(), { tools: TRACE_TOOLS, secrets: [aws] });
    const history = session.call('variable_history', { name: 'c' }).text;
    expect(history).toMatch(/c='<redacted>'/);
    for (const c of chunks) expect(history).not.toContain(c);
    // Without a redaction near it, four characters are no evidence.
    expect(r('bUtx and more', [aws])).toBe('bUtx and more');
  });

  it('XOR with a short key, printed as hex, whatever the key', () => {
    for (const key of [[0x5a], [1, 2, 3], [9, 8, 7, 6, 5, 4, 3, 2]]) {
      const hex = Buffer.from(
        [...Buffer.from(KEY)].map((x, i) => x ^ (key[i % key.length] as number)),
      ).toString('hex');
      expect(r(`blob=${hex};`), String(key)).toBe('blob=<redacted>;');
    }
  });

  it('spans of separators between two values stay readable; plain windows (0123456789) are no evidence', () => {
    const digits = 'abc-0123456789-xyzzy-Q';
    expect(r('counting 0123456789 and abcdefghij', [digits])).toBe(
      'counting 0123456789 and abcdefghij',
    );
    expect(r(`${KEY} and ${KEY}`)).toBe('<redacted> and <redacted>');
  });

  it('stays linear: a 2 MB text of separators, digits and near-misses', () => {
    const m = new SecretMatcher([KEY, 'Tr0ub4dor&3xx']);
    const near = `${KEY.slice(0, 9)}-`.repeat(100_000) + ' '.repeat(500_000) + '7'.repeat(500_000);
    const spans = m.spans(near);
    expect(spans).toEqual([]);
  });
});

describe('short passwords assigned to secret names', () => {
  it('are learned from the assignment and redacted wherever they are printed', () => {
    const code = 'PASSWORD = "hunter2"\ndb_password = "Pa5$w0"\nname = "letmein"\n';
    const learned = learnSecrets([code]);
    expect(learned.sort()).toEqual(['Pa5$w0', 'hunter2'].sort());
    expect(r('login with hunter2 then h u n t e r 2 and HUNTER2', learned)).toBe(
      'login with <redacted> then <redacted> and <redacted>',
    );
  });

  it('plain words and placeholders are not learned (they would vanish from every sentence)', () => {
    expect(learnSecrets(['PASSWORD = "changeme"\nsecret = "%s"\napi_key = "<your key>"'])).toEqual(
      [],
    );
  });

  it('a binding at the end of a line does not reach into the next one', () => {
    const code = "if M.state == 'AUTH':\n    test_seq1 = test_seq1[1:]\n";
    expect(redact(code).text).toBe(code);
  });
});
