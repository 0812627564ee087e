// DAP base protocol: `Content-Length: N\r\n\r\n` followed by N bytes of UTF-8 JSON.
// Chunks from a pipe may split a header, a body or a multi-byte character anywhere.

const HEADER_END = Buffer.from('\r\n\r\n', 'ascii');

export function encodeMessage(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}

export class FramingError extends Error {
  override readonly name = 'FramingError';
}

/** Incremental decoder: feed raw chunks, get whole parsed messages back. */
export class MessageDecoder {
  private buffer: Buffer = Buffer.alloc(0);
  private bodyLength = -1;

  /** Returns the messages completed by this chunk, in order. Throws FramingError on a bad header. */
  push(chunk: Buffer): unknown[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const out: unknown[] = [];
    for (;;) {
      if (this.bodyLength < 0) {
        const end = this.buffer.indexOf(HEADER_END);
        if (end < 0) {
          if (this.buffer.length > 8192)
            throw new FramingError('DAP header too long or missing Content-Length');
          return out;
        }
        this.bodyLength = parseContentLength(this.buffer.subarray(0, end).toString('ascii'));
        this.buffer = this.buffer.subarray(end + HEADER_END.length);
      }
      if (this.buffer.length < this.bodyLength) return out;
      const body = this.buffer.subarray(0, this.bodyLength).toString('utf8');
      this.buffer = this.buffer.subarray(this.bodyLength);
      this.bodyLength = -1;
      try {
        out.push(JSON.parse(body));
      } catch (e) {
        throw new FramingError(`DAP body is not JSON: ${(e as Error).message}`);
      }
    }
  }
}

function parseContentLength(header: string): number {
  for (const line of header.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    if (line.slice(0, colon).trim().toLowerCase() === 'content-length') {
      const n = Number(line.slice(colon + 1).trim());
      if (Number.isInteger(n) && n >= 0) return n;
    }
  }
  throw new FramingError(`DAP header without a valid Content-Length: ${JSON.stringify(header)}`);
}
