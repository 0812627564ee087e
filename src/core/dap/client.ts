// A typed DAP client over any pair of byte streams (the adapter's stdio here).
import type { Readable, Writable } from 'node:stream';
import type { DebugProtocol as DP } from '@vscode/debugprotocol';
import { CancelledError, InternalError } from '../errors';
import { encodeMessage, MessageDecoder } from './transport';
import type { DapLogger } from './types';

/** Request command → [arguments, response body]. Only the requests Tracefix sends. */
export interface DapRequests {
  initialize: [DP.InitializeRequestArguments, DP.InitializeResponse['body']];
  launch: [DP.LaunchRequestArguments & Record<string, unknown>, undefined];
  setBreakpoints: [DP.SetBreakpointsArguments, DP.SetBreakpointsResponse['body']];
  setExceptionBreakpoints: [
    DP.SetExceptionBreakpointsArguments,
    DP.SetExceptionBreakpointsResponse['body'],
  ];
  configurationDone: [DP.ConfigurationDoneArguments | undefined, undefined];
  threads: [undefined, DP.ThreadsResponse['body']];
  stackTrace: [DP.StackTraceArguments, DP.StackTraceResponse['body']];
  evaluate: [
    DP.EvaluateArguments & { format?: { rawString?: boolean } },
    DP.EvaluateResponse['body'],
  ];
  exceptionInfo: [DP.ExceptionInfoArguments, DP.ExceptionInfoResponse['body']];
  continue: [DP.ContinueArguments, DP.ContinueResponse['body']];
  stepIn: [DP.StepInArguments, undefined];
  next: [DP.NextArguments, undefined];
  pause: [DP.PauseArguments, undefined];
  disconnect: [DP.DisconnectArguments, undefined];
  terminate: [DP.TerminateArguments, undefined];
}

export interface DapEvents {
  initialized: undefined;
  stopped: DP.StoppedEvent['body'];
  output: DP.OutputEvent['body'];
  exited: DP.ExitedEvent['body'];
  terminated: DP.TerminatedEvent['body'];
  process: DP.ProcessEvent['body'];
  thread: DP.ThreadEvent['body'];
  continued: DP.ContinuedEvent['body'];
}

export class DapRequestError extends Error {
  override readonly name = 'DapRequestError';
  constructor(
    readonly command: string,
    message: string,
  ) {
    super(`${command} failed: ${message}`);
  }
}

interface Pending {
  command: string;
  resolve: (body: unknown) => void;
  reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
}

type Listener = (body: unknown) => void;

export class DapClient {
  private seq = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly decoder = new MessageDecoder();
  private closedError: Error | undefined;

  constructor(
    input: Readable,
    private readonly output: Writable,
    private readonly log?: DapLogger,
    private readonly defaultTimeoutMs = 10_000,
  ) {
    input.on('data', (chunk: Buffer) => this.onData(chunk));
    input.on('close', () =>
      this.close(new InternalError('The debug adapter closed its connection.')),
    );
    output.on('error', (e: Error) => this.close(e));
  }

  /** Sends a request; resolves with the response body, rejects on failure, timeout or abort. */
  request<C extends keyof DapRequests>(
    command: C,
    args: DapRequests[C][0],
    opts: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<DapRequests[C][1]> {
    if (this.closedError) return Promise.reject(this.closedError);
    const seq = this.seq++;
    const message = { seq, type: 'request', command, arguments: args };
    return new Promise<DapRequests[C][1]>((resolve, reject) => {
      const onAbort = () => {
        if (this.pending.delete(seq)) {
          clearTimeout(entry.timer);
          reject(new CancelledError());
        }
      };
      const settle = () => opts.signal?.removeEventListener('abort', onAbort);
      const entry: Pending = {
        command,
        resolve: (b) => {
          settle();
          (resolve as (b: unknown) => void)(b);
        },
        reject: (e) => {
          settle();
          reject(e);
        },
      };
      const timeoutMs = opts.timeoutMs ?? this.defaultTimeoutMs;
      if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
        entry.timer = setTimeout(() => {
          this.pending.delete(seq);
          entry.reject(
            new InternalError(`DAP request '${command}' timed out after ${timeoutMs} ms`),
          );
        }, timeoutMs);
      }
      if (opts.signal) {
        if (opts.signal.aborted) return reject(new CancelledError());
        opts.signal.addEventListener('abort', onAbort, { once: true });
      }
      this.pending.set(seq, entry);
      this.log?.('send', JSON.stringify(message));
      this.output.write(encodeMessage(message));
    });
  }

  on<E extends keyof DapEvents>(event: E, listener: (body: DapEvents[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  }

  /** Resolves with the first matching event after this call. */
  waitFor<E extends keyof DapEvents>(
    event: E,
    opts: { timeoutMs?: number; signal?: AbortSignal; when?: (body: DapEvents[E]) => boolean } = {},
  ): Promise<DapEvents[E]> {
    return new Promise((resolve, reject) => {
      if (this.closedError) return reject(this.closedError);
      const cleanup = () => {
        off();
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        this.closeWaiters.delete(onClose);
      };
      const off = this.on(event, (body) => {
        if (opts.when && !opts.when(body)) return;
        cleanup();
        resolve(body);
      });
      const timer = opts.timeoutMs
        ? setTimeout(() => {
            cleanup();
            reject(
              new InternalError(
                `Timed out after ${opts.timeoutMs} ms waiting for the '${event}' event`,
              ),
            );
          }, opts.timeoutMs)
        : undefined;
      const onAbort = () => {
        cleanup();
        reject(new CancelledError());
      };
      const onClose = (e: Error) => {
        cleanup();
        reject(e);
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.closeWaiters.add(onClose);
    });
  }

  private readonly closeWaiters = new Set<(e: Error) => void>();

  get closed(): boolean {
    return this.closedError !== undefined;
  }

  close(reason: Error = new InternalError('DAP connection closed.')): void {
    if (this.closedError) return;
    this.closedError = reason;
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(reason);
    }
    this.pending.clear();
    for (const w of [...this.closeWaiters]) w(reason);
  }

  private onData(chunk: Buffer): void {
    let messages: unknown[];
    try {
      messages = this.decoder.push(chunk);
    } catch (e) {
      this.close(e as Error);
      return;
    }
    for (const m of messages) this.dispatch(m as DP.ProtocolMessage);
  }

  private dispatch(message: DP.ProtocolMessage): void {
    if (this.log) this.log('recv', JSON.stringify(message));
    if (message.type === 'response') {
      const r = message as DP.Response;
      const p = this.pending.get(r.request_seq);
      if (!p) return;
      this.pending.delete(r.request_seq);
      clearTimeout(p.timer);
      if (r.success) p.resolve(r.body);
      else p.reject(new DapRequestError(p.command, r.message ?? 'unknown error'));
    } else if (message.type === 'event') {
      const ev = message as DP.Event;
      for (const l of [...(this.listeners.get(ev.event) ?? [])]) l(ev.body);
    }
    // Reverse requests (runInTerminal…) are not used: the debuggee runs with console=internalConsole.
  }
}
