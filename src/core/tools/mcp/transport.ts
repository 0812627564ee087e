// The MCP stdio transport of `tracefix mcp`: newline-delimited JSON-RPC on stdin/stdout, like the
// SDK's StdioServerTransport, except for what a client may get wrong. The SDK's transport closes the
// connection when 10 MB pile up without a newline (the server just ended); here a message over the
// limit is skipped as it streams (never buffered whole) and answered with a JSON-RPC error carrying
// its id when it can be found, and a line that is not JSON or not JSON-RPC is answered likewise. The
// connection stays open.
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** Longest message read (tool arguments are a few KB; 4 MB leaves room for any client's extras). */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
/** Bytes kept of each end of an oversized message, to find its id. */
const KEEP = 4096;

type Id = string | number | null;

/** The id of a request whose text was cut: `…,"id":7}` at its end (the SDK writes it last) or `{"jsonrpc":"2.0","id":7,` at its start. */
function idOf(head: string, tail: string): Id {
  const end = /"id"\s*:\s*(-?\d{1,15}|"(?:[^"\\]|\\.){0,200}")\s*\}\s*$/.exec(tail);
  const start =
    /^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*(-?\d{1,15}|"(?:[^"\\]|\\.){0,200}")/.exec(
      head,
    );
  const raw = end?.[1] ?? start?.[1];
  if (raw === undefined) return null;
  try {
    return JSON.parse(raw) as string | number;
  } catch {
    return null;
  }
}

export class BoundedStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private chunks: Buffer[] = [];
  private size = 0;
  /** Inside an oversized message: its first and last bytes, and its length so far. */
  private skipping: { head: Buffer; tail: Buffer; bytes: number } | undefined;
  private closed = false;

  constructor(
    private readonly validate: (value: unknown) => JSONRPCMessage,
    private readonly stdin: NodeJS.ReadableStream = process.stdin,
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly maxBytes = MAX_MESSAGE_BYTES,
  ) {}

  private readonly onData = (chunk: Buffer): void => {
    let from = 0;
    while (from < chunk.length) {
      const nl = chunk.indexOf(10, from);
      const piece = chunk.subarray(from, nl < 0 ? chunk.length : nl);
      this.take(piece);
      if (nl < 0) break;
      this.endOfLine();
      from = nl + 1;
    }
  };

  private readonly onEnd = (): void => void this.close();
  private readonly onError = (e: Error): void => this.onerror?.(e);

  private take(piece: Buffer): void {
    if (!piece.length) return;
    if (this.skipping) {
      const s = this.skipping;
      s.bytes += piece.length;
      s.tail = Buffer.concat([s.tail, piece]).subarray(-KEEP);
      return;
    }
    if (this.size + piece.length <= this.maxBytes) {
      this.chunks.push(piece);
      this.size += piece.length;
      return;
    }
    const all = Buffer.concat([...this.chunks, piece]);
    this.skipping = { head: all.subarray(0, KEEP), tail: all.subarray(-KEEP), bytes: all.length };
    this.chunks = [];
    this.size = 0;
  }

  private endOfLine(): void {
    if (this.skipping) {
      const { head, tail, bytes } = this.skipping;
      this.skipping = undefined;
      const id = idOf(head.toString('utf8'), tail.toString('utf8'));
      void this.reply(
        id,
        -32600,
        `Invalid Request: the message is ${bytes} bytes; tracefix mcp reads messages of at most ${this.maxBytes} bytes.`,
      );
      return;
    }
    const line = Buffer.concat(this.chunks).toString('utf8').replace(/\r$/, '');
    this.chunks = [];
    this.size = 0;
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      void this.reply(null, -32700, `Parse error: ${(e as Error).message.slice(0, 200)}`);
      return;
    }
    let message: JSONRPCMessage;
    try {
      message = this.validate(value);
    } catch {
      const v = value as { id?: unknown; method?: unknown } | null;
      const id = typeof v?.id === 'string' || typeof v?.id === 'number' ? v.id : null;
      // A malformed notification gets no answer (JSON-RPC); anything else is told what is wrong.
      if (id !== null || typeof v?.method !== 'string')
        void this.reply(id, -32600, 'Invalid Request: not a JSON-RPC 2.0 message.');
      return;
    }
    this.onmessage?.(message);
  }

  private reply(id: Id, code: number, message: string): Promise<void> {
    this.onerror?.(new Error(message));
    return this.write({ jsonrpc: '2.0', id, error: { code, message } });
  }

  private write(value: unknown): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      if (this.stdout.write(`${JSON.stringify(value)}\n`)) resolve();
      else this.stdout.once('drain', resolve);
    });
  }

  start(): Promise<void> {
    this.stdin.on('data', this.onData);
    this.stdin.on('end', this.onEnd);
    this.stdin.on('error', this.onError);
    return Promise.resolve();
  }

  send(message: JSONRPCMessage): Promise<void> {
    return this.write(message);
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.stdin.off('data', this.onData);
    this.stdin.off('end', this.onEnd);
    this.stdin.off('error', this.onError);
    this.stdin.pause();
    this.chunks = [];
    this.onclose?.();
    return Promise.resolve();
  }
}
