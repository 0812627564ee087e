import { describe, expect, it } from 'vitest';
import { encodeMessage, FramingError, MessageDecoder } from '../../../src/core/dap/transport';

describe('DAP framing', () => {
  const messages = [
    { seq: 1, type: 'event', event: 'output', body: { output: 'héllo ✓ wörld\n' } },
    { seq: 2, type: 'response', request_seq: 1, success: true, command: 'initialize', body: {} },
    { seq: 3, type: 'event', event: 'stopped', body: { reason: 'entry', threadId: 1 } },
  ];
  const wire = Buffer.concat(messages.map((m) => encodeMessage(m)));

  it('decodes messages split at every possible byte boundary (headers, bodies, multi-byte characters)', () => {
    for (let cut = 1; cut < wire.length; cut++) {
      const d = new MessageDecoder();
      const out = [...d.push(wire.subarray(0, cut)), ...d.push(wire.subarray(cut))];
      expect(out).toEqual(messages);
    }
  });

  it('decodes one byte at a time and many messages in one chunk', () => {
    const d = new MessageDecoder();
    const out: unknown[] = [];
    for (const b of wire) out.push(...d.push(Buffer.from([b])));
    expect(out).toEqual(messages);
    expect(new MessageDecoder().push(wire)).toEqual(messages);
  });

  it('counts Content-Length in bytes, not characters', () => {
    const enc = encodeMessage({ text: '✓' });
    const header = enc.toString('utf8').split('\r\n')[0];
    expect(header).toBe(`Content-Length: ${Buffer.byteLength(JSON.stringify({ text: '✓' }))}`);
  });

  it('accepts extra headers in any case and rejects a header without Content-Length', () => {
    const body = JSON.stringify({ a: 1 });
    const d = new MessageDecoder();
    expect(
      d.push(Buffer.from(`content-type: x\r\ncontent-length: ${body.length}\r\n\r\n${body}`)),
    ).toEqual([{ a: 1 }]);
    expect(() => new MessageDecoder().push(Buffer.from('X-Other: 1\r\n\r\n{}'))).toThrow(
      FramingError,
    );
    expect(() => new MessageDecoder().push(Buffer.from('Content-Length: 2\r\n\r\n{x'))).toThrow(
      FramingError,
    );
  });
});
