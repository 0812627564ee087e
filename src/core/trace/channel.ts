// The record channel: a socket the debuggee connects to at install and streams record batches over
// (one JSON array per line), and through which Tracefix asks it to flush ('F') or stop ('S').
// A Unix-domain socket in a private temp folder (mode 0700), so nothing else on the machine can
// connect, and so it reaches into a network-less sandbox through a bind mount; loopback TCP on
// Windows.
import * as net from 'node:net';
import * as path from 'node:path';
import { InternalError } from '../errors';
import { isRecordBatch, type RawRecord } from './records';

export interface RecordChannel {
  /** Address for the helper: `unix:/path` or `tcp:127.0.0.1:port`. */
  readonly address: string;
  /** Resolves when the debuggee has connected. */
  readonly connected: Promise<void>;
  /** Resolves when the debuggee closed its end (after its last batch) or the channel was closed. */
  readonly ended: Promise<void>;
  bytes(): number;
  /** Ask the debuggee to flush ('F') or to stop recording and flush ('S'). */
  send(command: 'F' | 'S'): void;
  close(): void;
}

/** Listens in `dir` (a private folder of the recording, mode 0700). */
export async function openRecordChannel(
  dir: string,
  onBatch: (records: RawRecord[]) => void,
  onError: (e: Error) => void,
): Promise<RecordChannel> {
  const sockPath = process.platform !== 'win32' ? path.join(dir, 's') : undefined;
  let socket: net.Socket | undefined;
  let bytes = 0;
  let resolveConnected!: () => void;
  let resolveEnded!: () => void;
  const connected = new Promise<void>((r) => (resolveConnected = r));
  const ended = new Promise<void>((r) => (resolveEnded = r));
  const server = net.createServer((s) => {
    if (socket) {
      s.destroy(); // one debuggee per recording
      return;
    }
    socket = s;
    s.setNoDelay(true);
    resolveConnected();
    let pending: Buffer[] = [];
    s.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      let start = 0;
      let nl = chunk.indexOf(10);
      while (nl >= 0) {
        pending.push(chunk.subarray(start, nl));
        const line = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending);
        pending = [];
        deliver(line);
        start = nl + 1;
        nl = chunk.indexOf(10, start);
      }
      if (start < chunk.length) pending.push(chunk.subarray(start));
    });
    s.on('error', () => undefined);
    // 'end': the debuggee closed its side after its last batch (at exit); 'close' if it died.
    s.on('end', () => resolveEnded());
    s.on('close', () => resolveEnded());
  });
  const deliver = (line: Buffer): void => {
    if (line.length === 0) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line.toString('utf8'));
    } catch (e) {
      onError(
        new InternalError(
          `Corrupt record batch from the debuggee (${line.length} bytes): ${(e as Error).message}`,
        ),
      );
      return;
    }
    if (!isRecordBatch(parsed)) {
      onError(new InternalError('A record batch from the debuggee is not a list of records.'));
      return;
    }
    onBatch(parsed);
  };
  server.on('error', (e) => onError(new InternalError(`Record channel: ${e.message}`)));
  const address = await new Promise<string>((resolve, reject) => {
    server.once('error', reject);
    if (sockPath) server.listen(sockPath, () => resolve(`unix:${sockPath}`));
    else
      server.listen(0, '127.0.0.1', () =>
        resolve(`tcp:127.0.0.1:${(server.address() as net.AddressInfo).port}`),
      );
  });
  let closed = false;
  return {
    address,
    connected,
    ended,
    bytes: () => bytes,
    send(command) {
      if (socket && !socket.destroyed && socket.writable) socket.write(command);
    },
    close() {
      if (closed) return;
      closed = true;
      socket?.destroy();
      server.close();
      resolveEnded();
    },
  };
}
