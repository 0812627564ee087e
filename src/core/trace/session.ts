// Drives one debugpy session for a recording: launch stopped at entry, inject the helper, resume,
// and wait for the program's end (or the deadline, or cancellation). The records themselves arrive
// on the record channel; this only carries the DAP side.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DebugProtocol as DP } from '@vscode/debugprotocol';
import type { AdapterHandle } from '../dap/adapterProcess';
import { DapRequestError } from '../dap/client';
import { CancelledError, InternalError, UserError, errorMessage } from '../errors';
import type { RecordChannel } from './channel';
import type { RecordOptions } from './options';
import type { ResolvedTarget } from './targets';

export interface RunResult {
  exitCode: number | null;
  /** Tracefix ended the program: it outlived the time limit and the untraced time after it. */
  timedOut: boolean;
  /** ms from the program's start to the time limit, when the limit stopped the recording (the fast
   * engine's program then goes on untraced, for up to UNTRACED_MS, to its own end). */
  recordingStoppedMs?: number;
  /** The program had started running user code when the deadline passed (else set-up was too slow). */
  started: boolean;
  /** ms from the start of the recording to the program's resume after the helper was installed. */
  resumedAt: number;
}

/** How the helper gets in: the fast engine launches a bootstrap program that installs it before the
 * target's first line; the stepping engine stops at entry and injects it with `evaluate`. */
export type HelperLaunch =
  | { kind: 'boot'; program: string; dir: string }
  | { kind: 'inject'; expression: string; dir: string };

const DRAIN_MS = 1500; // after the program ended: time for the last batches to arrive
const STOP_GRACE_MS = 500; // at the deadline: time for the helper to flush after 'S'
/** After the time limit stopped the recording: how long the program may go on, untraced, to its own end
 * (so that the trace holds the outcome pytest reported); then it is ended. */
export const UNTRACED_MS = 10_000;
/** Set-up (debugpy's launch, the helper's install) may take as long as the limit, and at least this:
 * a short limit on the program must not fail a start-up slowed by a loaded machine. */
const MIN_SETUP_MS = 30_000;

export class RecorderSession {
  private readonly client;
  private threadId = 0;
  private exitCode: number | null = null;
  private timedOut = false;
  private recordingStoppedMs: number | undefined;
  /** Set-up's deadline, then (once the program runs) the recording's. */
  private deadline: number;
  private started = false;
  private resumedAt = 0;
  private terminated = false;
  private finish!: () => void;
  private fail!: (e: Error) => void;
  private readonly finished = new Promise<void>((res, rej) => {
    this.finish = res;
    this.fail = rej;
  });

  constructor(
    private readonly adapter: AdapterHandle,
    private readonly channel: RecordChannel,
    private readonly target: ResolvedTarget,
    private readonly engine: 'fast' | 'step',
    private readonly opts: RecordOptions,
    /** How long the program may run under recording (limits.timeoutMs); set-up has as long again (at least MIN_SETUP_MS). */
    private readonly limitMs: number,
    private readonly pythonVersion: string,
    /** The helper's end record, once it arrived (its exit code lets a run end before debugpy reports it). */
    private readonly endRecord: () => { reason: string; code: number | null } | undefined = () =>
      undefined,
  ) {
    this.client = adapter.client;
    // Cancel and the deadline reject `finished` at any moment, also during set-up, before run()
    // awaits it; run() reports set-up's own failure then, and this rejection must not surface as an
    // unhandled one (it did, under load: an abort 0.5–2.5 s into a recording).
    this.finished.catch(() => undefined);
    this.deadline = Date.now() + this.setupMs();
  }

  private setupMs(): number {
    return Math.max(this.limitMs, MIN_SETUP_MS);
  }

  private remaining(): number {
    return Math.max(this.deadline - Date.now(), 1);
  }

  /** `launch` may still be in the making (the target's checks): the adapter is initialised meanwhile. */
  async run(launch: HelperLaunch | Promise<HelperLaunch>): Promise<RunResult> {
    const { client, target, opts } = this;
    const signal = opts.signal;
    const t0 = Date.now();
    let timer = setTimeout(() => void this.onDeadline(), this.remaining());
    const onAbort = () => this.fail(new CancelledError());
    signal?.addEventListener('abort', onAbort, { once: true });
    client.on('exited', (b) => (this.exitCode = b.exitCode));
    client.on('terminated', () => void this.onTerminated());
    client.on(
      'stopped',
      (b) =>
        void this.onStopped(b).catch((e: Error) => {
          // Past the deadline the stepping engine's requests fail by design: the deadline ends the run.
          if (!this.timedOut && Date.now() < this.deadline) this.fail(e);
        }),
    );
    void this.channel.ended.then(() => this.onChannelEnded());
    try {
      await this.setUp(launch);
      this.started = true;
      this.resumedAt = Date.now() - t0;
      // The limit is the program's time under recording: it starts now.
      clearTimeout(timer);
      this.deadline = Date.now() + this.limitMs;
      timer = setTimeout(() => void this.onDeadline(), this.remaining());
      await this.finished;
    } catch (e) {
      if (e instanceof CancelledError || signal?.aborted) throw new CancelledError();
      // A set-up request timing out at the deadline is the deadline (whichever timer fired first).
      if (!this.started && (this.timedOut || Date.now() >= this.deadline - 100)) {
        throw new UserError(
          'timeout',
          `Tracing did not start within ${this.setupMs() / 1000} s: debugpy was still launching ${target.label}.`,
          'Raise the limit (--timeout / tracefix.timeoutSeconds), or check that the interpreter starts quickly (`python -c pass`).',
        );
      }
      if (e instanceof UserError) throw e;
      if (!this.started) throw this.startFailure(e);
      if (!this.client.closed)
        throw new InternalError(`Tracing failed: ${errorMessage(e)}`, { cause: e });
    } finally {
      clearTimeout(timer);
      clearTimeout(this.untracedTimer);
      signal?.removeEventListener('abort', onAbort);
    }
    if (signal?.aborted) throw new CancelledError();
    return {
      exitCode: this.timedOut ? null : this.exitCode,
      timedOut: this.timedOut,
      ...(this.recordingStoppedMs !== undefined
        ? { recordingStoppedMs: this.recordingStoppedMs }
        : {}),
      started: this.started,
      resumedAt: this.resumedAt,
    };
  }

  private async setUp(launchReady: HelperLaunch | Promise<HelperLaunch>): Promise<void> {
    const { client, target, opts } = this;
    const signal = opts.signal;
    const within = () => ({ signal, timeoutMs: Math.min(this.remaining(), 30_000) });
    await client.request(
      'initialize',
      {
        clientID: 'tracefix',
        clientName: 'Tracefix',
        adapterID: 'python',
        pathFormat: 'path',
        linesStartAt1: true,
        columnsStartAt1: true,
        supportsRunInTerminalRequest: false,
        locale: 'en',
      },
      within(),
    );
    const launch = await launchReady;
    const initialized = client.waitFor('initialized', within());
    const boot = launch.kind === 'boot';
    const entry = boot ? undefined : client.waitFor('stopped', within());
    // The bootstrap ignores its arguments; they name what it runs for whoever looks at `ps`.
    const program = boot
      ? {
          program: launch.program,
          args: [target.launch.program ?? target.launch.module ?? '', ...target.launch.args],
        }
      : target.launch;
    const launched = client.request(
      'launch',
      {
        type: 'python',
        request: 'launch',
        name: 'tracefix',
        ...program,
        cwd: target.cwd,
        console: 'internalConsole',
        stopOnEntry: !boot,
        justMyCode: true,
        redirectOutput: true,
        showReturnValue: false,
        subProcess: false,
        // The helper's own files are never user code to pydevd (no stepping into them, no stops); for
        // the stepping engine nothing outside the root is either (pydevd's own idea of user code would
        // step through a pytest installed outside site-packages, e.g. on PYTHONPATH).
        rules: boot
          ? [{ path: launch.dir, include: false }]
          : [
              { path: launch.dir, include: false },
              { path: target.root, include: true },
              { path: path.parse(target.root).root, include: false },
            ],
        env: {
          PYTHONHASHSEED: '0',
          PYTHONIOENCODING: 'utf-8',
          ...opts.programEnv,
          ...(boot
            ? {}
            : {
                PYTHONPATH: withPath(
                  launch.dir,
                  opts.programEnv?.PYTHONPATH ?? opts.env?.PYTHONPATH ?? process.env.PYTHONPATH,
                ),
              }),
        },
      },
      within(),
    );
    launched.catch(() => undefined);
    entry?.catch(() => undefined);
    // The interpreter starts in its own process for the next half second or so: a caller's own
    // synchronous set-up (the CLI loads the token tables) costs no time then.
    if (this.opts.whileStarting) setTimeout(this.opts.whileStarting, 0);
    await initialized;
    // The stepping engine on Python < 3.12 learns exceptions from pydevd's 'raised' stops (its
    // profile hook cannot see them); the fast engine's tracer sees them itself.
    const filters = this.engine === 'step' && !atLeast312(this.pythonVersion) ? ['raised'] : [];
    await client.request('setExceptionBreakpoints', { filters }, within());
    await client.request('configurationDone', undefined, within());
    await launched;
    if (launch.kind === 'boot') {
      // The bootstrap connects as it installs the recorder, then runs the target: nothing to resume.
      await raceTimeout(
        this.remaining(),
        Promise.race([this.channel.connected, this.finished]),
        'The recorder helper did not connect.',
      );
      return;
    }
    const stop = await (entry as Promise<DP.StoppedEvent['body']>);
    this.threadId = stop.threadId ?? 0;
    const frameId = await this.topFrameId();
    const installed = await this.evaluate(launch.expression, frameId);
    if (!installed.includes('"backend"'))
      throw new InternalError(`The recorder helper did not install: ${installed.slice(0, 500)}`);
    await raceTimeout(5000, this.channel.connected, 'The recorder helper did not connect.');
    const resume =
      this.engine === 'step'
        ? client.request('stepIn', { threadId: this.threadId }, { timeoutMs: 0 })
        : client.request('continue', { threadId: this.threadId }, { timeoutMs: 0 });
    // The answer may never come: a program stuck in one long C call holds the GIL pydevd needs to
    // reply. The deadline ends that case; only a refusal is an error.
    resume.catch((e: unknown) => {
      if (!this.client.closed) this.fail(e instanceof Error ? e : new InternalError(String(e)));
    });
  }

  private startFailure(e: unknown): Error {
    const detail = this.adapter.stderr().trim().split('\n').slice(-3).join(' | ');
    const what =
      e instanceof DapRequestError && e.command === 'launch'
        ? `debugpy could not launch ${this.target.label}: ${e.message.replace(/^launch failed: /, '')}`
        : `debugpy did not start the program: ${errorMessage(e)}${detail ? ` (adapter: ${detail})` : ''}`;
    return new UserError(
      'recorder-failed',
      what,
      'Check that `python -m debugpy --version` works for this interpreter; run with --verbose (CLI) or see Tracefix: Show Log for the DAP conversation.',
    );
  }

  private async onTerminated(): Promise<void> {
    if (this.terminated) return;
    this.terminated = true;
    // The helper's last batch leaves at exit; the channel closes right after. Wait for it, bounded.
    await raceTimeout(DRAIN_MS, this.channel.ended).catch(() => undefined);
    this.finish();
  }

  /** The helper sent its last records at exit, with the exit code: the run is over as soon as the
   * program's process is gone (debugpy's own report comes a few hundred ms later). A process still
   * running (its atexit handlers) is waited for through debugpy as usual. */
  private async onChannelEnded(): Promise<void> {
    const end = this.endRecord();
    const pid = this.adapter.debuggeePid;
    if (!this.started || !end || end.reason !== 'exit' || end.code === null || !pid) return;
    const until = Date.now() + DRAIN_MS;
    while (processAlive(pid) && Date.now() < until && !this.terminated)
      await new Promise((r) => setTimeout(r, 10));
    if (this.terminated || this.timedOut || processAlive(pid)) return;
    this.exitCode ??= end.code;
    this.finish();
  }

  private untracedTimer: NodeJS.Timeout | undefined;

  private async onDeadline(): Promise<void> {
    if (!this.started) {
      this.timedOut = true;
      this.fail(new InternalError('deadline before start'));
      return;
    }
    this.channel.send('S');
    if (this.engine === 'fast') {
      this.recordingStoppedMs = this.limitMs;
      // The helper stops recording and removes its tracer: the program goes on at full speed. If it
      // ends within UNTRACED_MS its outcome (pytest's report, the exit code) completes the trace.
      this.untracedTimer = setTimeout(() => {
        this.timedOut = true;
        this.finish();
      }, UNTRACED_MS);
      return;
    }
    // The stepping engine suspends the program at every line: it ends here.
    this.timedOut = true;
    await raceTimeout(STOP_GRACE_MS, this.channel.ended).catch(() => undefined);
    this.finish();
  }

  private async onStopped(stop: DP.StoppedEvent['body']): Promise<void> {
    const threadId = stop.threadId ?? this.threadId;
    if (this.engine === 'fast') {
      // No breakpoints are set; a stop comes from the program (breakpoint(), debugpy API): go on.
      await this.client.request('continue', { threadId });
      return;
    }
    if (this.threadId === 0) return; // the entry stop, handled in setUp()
    let frameId: number;
    try {
      frameId = await this.topFrameId(threadId);
    } catch (e) {
      // pydevd may refuse the stack of a stop (seen on 3.13 inside pytest's own frames): that stop
      // records nothing, stepping goes on.
      this.opts.log?.('info', `stepping: no stack at a stop (${errorMessage(e)}); stepping on`);
      await this.client.request('stepIn', { threadId });
      return;
    }
    if (stop.reason === 'exception') {
      await this.evaluate(
        "__tfx_exc(__exception__ if '__exception__' in locals() else None)",
        frameId,
      ).catch(() => '');
      await this.client.request('stepIn', { threadId });
      return;
    }
    // Pipelined: the next step is requested before the state comes back.
    const state = this.evaluate('__tfx_step()', frameId);
    const next = this.client.request('stepIn', { threadId });
    await state;
    await next;
  }

  private async topFrameId(threadId = this.threadId): Promise<number> {
    const st = await this.client.request(
      'stackTrace',
      { threadId, startFrame: 0, levels: 1 },
      { timeoutMs: Math.min(this.remaining(), 30_000) },
    );
    const f = st.stackFrames[0];
    if (!f) throw new InternalError('The stopped thread has no stack frame.');
    return f.id;
  }

  private async evaluate(expression: string, frameId: number): Promise<string> {
    const r = await this.client.request(
      'evaluate',
      { expression, frameId, context: 'clipboard', format: { rawString: true } },
      { timeoutMs: Math.min(this.remaining(), 30_000) },
    );
    return r.result;
  }

  async close(): Promise<void> {
    if (!this.client.closed) {
      await this.client
        .request('disconnect', { terminateDebuggee: true }, { timeoutMs: 1500 })
        .catch(() => undefined);
    }
    await this.adapter.dispose();
  }
}

/** Whether a process still runs (a zombie, exited and not yet reaped, does not). */
function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    if (process.platform === 'linux') return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

/** `p`, or a rejection after `ms` (the timer never outlives the race: it would keep a CLI alive). */
function raceTimeout<T>(ms: number, p: Promise<T>, message = 'timed out'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>(
    (_r, rej) => (timer = setTimeout(() => rej(new InternalError(message)), ms)),
  );
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

function withPath(dir: string, existing: string | undefined): string {
  return existing ? `${dir}${path.delimiter}${existing}` : dir;
}

function atLeast312(version: string): boolean {
  const [major, minor] = version.split('.').map(Number);
  return (major ?? 0) > 3 || ((major ?? 0) === 3 && (minor ?? 0) >= 12);
}
