// Runs a Python process plainly (no debugger): its own process group so the whole tree can be
// killed at the end, stdin at EOF unless text is given, a wall-clock timeout, cancellation through
// an AbortSignal, and stdout+stderr interleaved into one bounded text.
import { spawn } from 'node:child_process';
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

export function runProgram(opts: RunProgramOptions): Promise<ProgramRun> {
  const { signal } = opts;
  if (signal?.aborted) return Promise.reject(new CancelledError());
  const started = Date.now();
  const out = new BoundedText(opts.maxOutputChars ?? DEFAULT_MAX_OUTPUT);
  return new Promise<ProgramRun>((resolve, reject) => {
    const cmd = opts.wrap
      ? opts.wrap(opts.python, opts.argv)
      : { command: opts.python, args: opts.argv };
    const child = spawn(cmd.command, cmd.args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
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
      });
    };
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
        finish();
      }, DRAIN_MS);
    });
    child.on('close', finish);
  });
}
