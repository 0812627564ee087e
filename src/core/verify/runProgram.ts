// Runs a Python process plainly (no debugger): its own process group so the whole tree can be
// killed at the end, stdin at EOF unless text is given, a wall-clock timeout, cancellation through
// an AbortSignal, and stdout+stderr interleaved into one bounded text.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Duplex, Readable } from 'node:stream';
import { CancelledError, UserError } from '../errors';
import type { SpawnWrapper } from '../trace/options';

export interface RunProgramOptions {
  python: string;
  /** Arguments after the interpreter, e.g. ['script.py', 'a'] or ['-m', 'pytest', …]. */
  argv: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Text written to stdin, then closed; without it stdin is at EOF from the start. */
  stdin?: string;
  timeoutMs: number;
  /** Characters of output kept (head and tail; the middle is elided). Default 64 000. */
  maxOutputChars?: number;
  signal?: AbortSignal;
  /** Wraps the command, e.g. in a bubblewrap sandbox (sandbox.ts). */
  wrap?: SpawnWrapper;
  /** An out-of-band result channel: the program's fd 4 delivers `key` (then end of file) and its
   * fd 3 is a stream read into ProgramRun.channel, at most `maxBytes` (default 8 MB). */
  channel?: { key: Buffer; maxBytes?: number };
}

export interface ProgramRun {
  /** null when a signal (or our kill) ended it. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  output: string;
  /** Characters dropped from the middle of the output. */
  elided: number;
  durationMs: number;
  /** What the program wrote to the result channel (when asked for one); `overflow`: more than maxBytes. */
  channel?: { data: Buffer; overflow: boolean };
}

const DEFAULT_MAX_OUTPUT = 64_000;
/** How long to wait for pipes to close after the process exits and its group was killed. */
const DRAIN_MS = 2000;

/** Head and tail of a text stream; the tail matters most (tracebacks and pytest summaries are there). */
export class BoundedText {
  private head = '';
  private tail = '';
  private dropped = 0;
  private readonly headMax: number;
  private readonly tailMax: number;

  constructor(max: number) {
    this.headMax = Math.floor(max / 3);
    this.tailMax = max - this.headMax;
  }

  push(text: string): void {
    if (this.head.length < this.headMax) {
      const room = this.headMax - this.head.length;
      this.head += text.slice(0, room);
      text = text.slice(room);
    }
    if (!text) return;
    this.tail += text;
    if (this.tail.length > this.tailMax * 2) this.trim();
  }

  private trim(): void {
    const over = this.tail.length - this.tailMax;
    if (over > 0) {
      this.tail = this.tail.slice(over);
      this.dropped += over;
    }
  }

  get elided(): number {
    this.trim();
    return this.dropped;
  }

  toString(): string {
    this.trim();
    return this.dropped > 0
      ? `${this.head}\n[… ${this.dropped} characters of output elided …]\n${this.tail}`
      : this.head + this.tail;
  }
}

function killGroup(pid: number | undefined, fallback: () => void): void {
  if (pid === undefined) return;
  if (process.platform === 'win32') {
    fallback();
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** Hands the key to fd 4 and collects fd 3 (bounded); returns what was read so far. */
function collectChannel(
  child: ChildProcess,
  o: { key: Buffer; maxBytes?: number },
): () => { data: Buffer; overflow: boolean } {
  const max = o.maxBytes ?? 8 * 1024 * 1024;
  const chunks: Buffer[] = [];
  let size = 0;
  let overflow = false;
  const results = child.stdio[3] as Readable | null;
  const keyPipe = child.stdio[4] as Duplex | null;
  keyPipe?.on('error', () => undefined);
  keyPipe?.end(o.key);
  keyPipe?.resume();
  results?.on('error', () => undefined);
  results?.on('data', (b: Buffer) => {
    if (overflow) return;
    if (size + b.length > max) {
      overflow = true;
      results.destroy();
      return;
    }
    chunks.push(b);
    size += b.length;
  });
  return () => {
    results?.destroy();
    return { data: Buffer.concat(chunks), overflow };
  };
}

export function runProgram(opts: RunProgramOptions): Promise<ProgramRun> {
  const { signal } = opts;
  if (signal?.aborted) return Promise.reject(new CancelledError());
  const started = Date.now();
  const out = new BoundedText(opts.maxOutputChars ?? DEFAULT_MAX_OUTPUT);
  return new Promise<ProgramRun>((resolve, reject) => {
    const cmd = opts.wrap
      ? opts.wrap(opts.python, opts.argv)
      : { command: opts.python, args: opts.argv };
    const stdinMode = opts.stdin === undefined ? 'ignore' : 'pipe';
    const child = spawn(cmd.command, cmd.args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: opts.channel
        ? [stdinMode, 'pipe', 'pipe', 'pipe', 'pipe']
        : [stdinMode, 'pipe', 'pipe'],
      // Own process group (POSIX), so children the program starts die with it.
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    let timedOut = false;
    let cancelled = false;
    let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let settled = false;
    let drainTimer: NodeJS.Timeout | undefined;
    const kill = (): void => killGroup(child.pid, () => child.kill('SIGKILL'));
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, opts.timeoutMs);
    const onAbort = (): void => {
      cancelled = true;
      kill();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(drainTimer);
      signal?.removeEventListener('abort', onAbort);
      kill();
      if (cancelled) return reject(new CancelledError());
      resolve({
        exitCode: timedOut ? null : (exited?.code ?? null),
        signal: exited?.signal ?? null,
        timedOut,
        output: out.toString(),
        elided: out.elided,
        durationMs: Date.now() - started,
        ...(channel ? { channel: channel() } : {}),
      });
    };
    const channel = opts.channel ? collectChannel(child, opts.channel) : undefined;
    child.stdout?.setEncoding('utf8').on('data', (t: string) => out.push(t));
    child.stderr?.setEncoding('utf8').on('data', (t: string) => out.push(t));
    if (opts.stdin !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined); // EPIPE when the program never reads
      child.stdin.end(opts.stdin);
    }
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      reject(
        e.code === 'ENOENT'
          ? new UserError(
              'no-python',
              cmd.command === opts.python
                ? `Python interpreter not found: ${opts.python}`
                : `${cmd.command} not found (needed to run ${opts.python})`,
            )
          : new UserError('no-python', `Could not run ${cmd.command}: ${e.message}`),
      );
    });
    child.on('exit', (code, sig) => {
      exited = { code, signal: sig };
      // Leftover children may hold the pipes open: end the group, then give the pipes a moment.
      kill();
      drainTimer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        (child.stdio[3] as Readable | null | undefined)?.destroy();
        finish();
      }, DRAIN_MS);
    });
    child.on('close', finish);
  });
}
