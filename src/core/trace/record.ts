// Records a line-level trace of a Python program through a debugpy DAP session.
// Engines: 'logpoint' (default) puts a logpoint calling the injected helper on every executable user
// line — the program never suspends and records leave in batches; 'step' suspends on every line
// (stepIn) and asks the helper for the state — slow, used as the correctness reference.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DebugProtocol as DP } from '@vscode/debugprotocol';
import helperSource from './debuggee/pydevd_tracefix_helper.py';
import { startAdapter, type AdapterHandle } from '../dap/adapterProcess';
import { findInterpreter } from '../dap/python';
import { CancelledError, InternalError, UserError, errorMessage } from '../errors';
import { TraceAssembler, type RawRecord } from './assemble';
import { DEFAULT_LIMITS, TRACE_SCHEMA, TRACE_SCHEMA_VERSION, type ExceptionInfo, type Trace, type TraceLimits, type TraceOutcome } from './model';
import type { RecordOptions } from './options';
import { listUserFiles, preflight, resolveTarget, type ResolvedTarget } from './targets';

const MARK = '\u0001TFX';
const BATCH = 500;

export async function recordTrace(opts: RecordOptions): Promise<Trace> {
  const signal = opts.signal;
  if (signal?.aborted) throw new CancelledError();
  const limits: TraceLimits = { ...DEFAULT_LIMITS, ...definedOnly(opts.limits ?? {}) };
  validateLimits(limits);
  const env = opts.env ?? process.env;
  const target = resolveTarget(opts.target, opts.cwd, opts.args ?? [], opts.root);
  const interp = await findInterpreter(opts);
  await preflight(interp, target, env);
  if (signal?.aborted) throw new CancelledError();
  const engine = opts.engine ?? 'logpoint';
  const started = Date.now();
  const adapter = startAdapter(interp, env, opts.log, opts.spawnWrapper);
  const session = new Session(adapter, target, limits, engine, opts);
  try {
    const outcome = await session.run(started);
    const asm = session.asm;
    const sources = asm.files.filter(Boolean).map((rel) => ({ path: rel, text: readSource(path.join(target.root, rel)) }));
    return {
      schema: TRACE_SCHEMA,
      version: TRACE_SCHEMA_VERSION,
      engine,
      createdAt: new Date().toISOString(),
      program: { kind: target.kind, target: target.label, args: opts.args ?? [], cwd: target.cwd, root: target.root },
      interpreter: { path: interp.python, version: interp.version, debugpyVersion: interp.debugpyVersion, debugpyPath: interp.debugpyPath },
      limits,
      outcome,
      sources,
      events: asm.events,
      output: asm.output,
    };
  } finally {
    await session.close();
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function validateLimits(l: TraceLimits): void {
  for (const [k, v] of Object.entries(l)) {
    if (!Number.isFinite(v) || v <= 0) throw new UserError('bad-argument', `Limit ${k} must be a positive number (got ${String(v)}).`);
  }
}

function readSource(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

class Session {
  readonly asm = new TraceAssembler();
  private readonly client;
  private threadId = 0;
  private exitCode: number | null = null;
  private lastDapException: ExceptionInfo | undefined;
  private timedOut = false;
  private stepping = false;
  private done!: () => void;
  private fail!: (e: Error) => void;
  private readonly finished = new Promise<void>((res, rej) => {
    this.done = res;
    this.fail = rej;
  });

  constructor(
    private readonly adapter: AdapterHandle,
    private readonly target: ResolvedTarget,
    private readonly limits: TraceLimits,
    private readonly engine: 'logpoint' | 'step',
    private readonly opts: RecordOptions,
  ) {
    this.client = adapter.client;
  }

  async run(started: number): Promise<TraceOutcome> {
    const { client, target, limits, opts } = this;
    const signal = opts.signal;
    const timer = setTimeout(() => {
      this.timedOut = true;
      this.done();
    }, limits.timeoutMs);
    const onAbort = () => this.fail(new CancelledError());
    signal?.addEventListener('abort', onAbort, { once: true });
    client.on('output', (b) => this.onOutput(b));
    client.on('exited', (b) => (this.exitCode = b.exitCode));
    client.on('terminated', () => this.done());
    client.on('stopped', (b) => void this.onStopped(b).catch((e: Error) => this.fail(e)));
    try {
      await client.request('initialize', {
        clientID: 'tracefix', clientName: 'Tracefix', adapterID: 'python', pathFormat: 'path',
        linesStartAt1: true, columnsStartAt1: true, supportsRunInTerminalRequest: false, locale: 'en',
      }, { signal, timeoutMs: 15_000 });
      const initialized = client.waitFor('initialized', { signal, timeoutMs: 15_000 });
      const entry = client.waitFor('stopped', { signal, timeoutMs: 20_000 });
      const launched = client.request('launch', {
        type: 'python', request: 'launch', name: 'tracefix', ...target.launch, cwd: target.cwd,
        console: 'internalConsole', stopOnEntry: true, justMyCode: true, redirectOutput: true,
        showReturnValue: false, subProcess: false,
        env: { PYTHONHASHSEED: '0', PYTHONIOENCODING: 'utf-8', ...opts.programEnv },
      }, { signal, timeoutMs: 30_000 });
      launched.catch(() => undefined);
      await initialized;
      await client.request('setExceptionBreakpoints', { filters: ['uncaught', 'userUnhandled'] }, { signal });
      await client.request('configurationDone', undefined, { signal });
      await launched;
      const stop = await entry;
      this.threadId = stop.threadId ?? 0;
      const frameId = await this.topFrameId();
      const files = listUserFiles(target.root);
      const cfg = {
        root: target.root, repr: limits.reprLength, maxSteps: limits.maxSteps, batch: BATCH,
        stepping: this.engine === 'step', speedUp: true, files,
        stdin: opts.stdin ?? null,
      };
      const expr = `(exec(compile(${pyString(helperSource)}, 'pydevd_tracefix_helper.py', 'exec'), {'__name__': 'pydevd_tracefix_helper'}), __tfx_install(__import__('json').loads(${pyString(JSON.stringify(cfg))})))[1]`;
      const installed = await this.evaluate(expr, frameId);
      const info = JSON.parse(installed) as { lines: Record<string, number[]> };
      if (this.engine === 'logpoint') {
        // Sent together: one round trip for all files instead of one per file.
        await Promise.all(Object.entries(info.lines).filter(([, lines]) => lines.length > 0).map(([file, lines]) =>
          client.request('setBreakpoints', {
            source: { path: file }, lines, breakpoints: lines.map((line) => ({ line, logMessage: '{__tfx_hit()}' })),
          })));
        this.resume(client.request('continue', { threadId: this.threadId }, { timeoutMs: 0 }));
      } else {
        this.stepping = true;
        this.resume(client.request('stepIn', { threadId: this.threadId }, { timeoutMs: 0 }));
      }
      await this.finished;
    } catch (e) {
      if (e instanceof CancelledError || e instanceof UserError) throw e;
      if (!(this.asm.events.length > 0 && this.client.closed)) {
        const detail = this.adapter.stderr().trim().split('\n').slice(-3).join(' | ');
        throw new InternalError(`Tracing failed: ${errorMessage(e)}${detail ? ` (adapter: ${detail})` : ''}`, { cause: e });
      }
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
    if (signal?.aborted) throw new CancelledError();
    this.asm.finish();
    return this.outcome(started);
  }

  private outcome(started: number): TraceOutcome {
    const asm = this.asm;
    const partial = this.timedOut || asm.end === 'limit' || (asm.end === undefined);
    let status: TraceOutcome['status'] = 'completed';
    if (asm.end === 'limit') status = 'step-limit';
    else if (this.timedOut) status = 'timeout';
    else if (this.lastDapException && this.exitCode !== 0) status = 'exception';
    const outcome: TraceOutcome = {
      status,
      exitCode: this.timedOut || asm.end === 'limit' ? null : this.exitCode,
      durationMs: Date.now() - started,
      startupMs: (asm.firstEventAt ?? Date.now()) - started,
      eventCount: asm.events.length,
      partial,
    };
    if (asm.recordingMs !== undefined) outcome.recordingMs = asm.recordingMs;
    if (status === 'exception' && this.lastDapException) outcome.exception = this.lastDapException;
    if (this.target.kind === 'pytest' && !partial) outcome.testPassed = this.exitCode === 0;
    if (status === 'step-limit') outcome.message = `Stopped after ${this.limits.maxSteps} steps (limit); the trace is partial.`;
    else if (status === 'timeout') outcome.message = `Stopped after ${this.limits.timeoutMs / 1000} s (timeout); the trace is partial.`;
    else if (asm.end === undefined) outcome.message = 'The program ended before its last records were delivered; the trace may be incomplete.';
    return outcome;
  }

  private onOutput(body: DP.OutputEvent['body']): void {
    const text = body.output;
    let at = text.indexOf(MARK);
    while (at >= 0) {
      const next = text.indexOf(MARK, at + MARK.length);
      const chunk = text.slice(at + MARK.length, next < 0 ? undefined : next).trim();
      this.ingest(chunk);
      at = next;
    }
  }

  private ingest(json: string): void {
    if (!json) return;
    let records: RawRecord[];
    try {
      records = JSON.parse(json) as RawRecord[];
    } catch (e) {
      this.fail(new InternalError(`Corrupt record batch from the debuggee: ${errorMessage(e)}`));
      return;
    }
    this.asm.push(records);
    if (this.asm.end === 'limit') this.done();
  }

  private async onStopped(stop: DP.StoppedEvent['body']): Promise<void> {
    if (this.threadId === 0) return; // the entry stop, handled in run()
    const threadId = stop.threadId ?? this.threadId;
    if (stop.reason === 'exception') {
      const frameId = await this.topFrameId(threadId);
      const info = await this.client.request('exceptionInfo', { threadId }).catch(() => undefined);
      const before = this.asm.lastException;
      // pydevd exposes the exception as `__exception__` in the frame for some stops (uncaught), not all.
      const records = await this.evaluate("__tfx_exc(__exception__ if '__exception__' in locals() else None)", frameId).catch(() => '');
      this.ingestEvaluated(records);
      const where = await this.userFrame(threadId);
      const ex = this.asm.lastException !== before && this.asm.lastException ? this.asm.lastException : fromDap(info);
      this.lastDapException = { ...ex, ...where };
      this.asm.noteException(this.lastDapException);
    } else if (this.stepping) {
      const frameId = await this.topFrameId(threadId);
      // Pipelined: the step request is sent before the state comes back.
      const state = this.evaluate('__tfx_step()', frameId);
      const step = this.asm.end === 'limit' ? undefined : this.client.request('stepIn', { threadId });
      this.ingestEvaluated(await state);
      await step;
      return;
    }
    if (this.asm.end === 'limit') return;
    await (this.stepping ? this.client.request('stepIn', { threadId }) : this.client.request('continue', { threadId }));
  }

  /** The answer to a resume may never come: a program stuck in one long C call holds the GIL that
   * pydevd's threads need to reply. The wall-clock limit ends that case; only a refusal is an error. */
  private resume(request: Promise<unknown>): void {
    request.catch((e: unknown) => {
      if (!this.client.closed) this.fail(e instanceof Error ? e : new InternalError(String(e)));
    });
  }

  private ingestEvaluated(text: string): void {
    if (text.startsWith(MARK)) this.ingest(text.slice(MARK.length));
  }

  private async topFrameId(threadId = this.threadId): Promise<number> {
    const st = await this.client.request('stackTrace', { threadId, startFrame: 0, levels: 1 });
    const f = st.stackFrames[0];
    if (!f) throw new InternalError('The stopped thread has no stack frame.');
    return f.id;
  }

  private async userFrame(threadId: number): Promise<{ file?: string; line?: number }> {
    const st = await this.client.request('stackTrace', { threadId, startFrame: 0, levels: 20 }).catch(() => undefined);
    for (const f of st?.stackFrames ?? []) {
      const p = f.source?.path;
      if (p && !path.relative(this.target.root, p).startsWith('..')) {
        return { file: path.relative(this.target.root, p).split(path.sep).join('/'), line: f.line };
      }
    }
    return {};
  }

  private async evaluate(expression: string, frameId: number): Promise<string> {
    const r = await this.client.request('evaluate', { expression, frameId, context: 'clipboard', format: { rawString: true } }, { timeoutMs: 30_000 });
    return r.result;
  }

  async close(): Promise<void> {
    if (!this.client.closed) {
      await this.client.request('disconnect', { terminateDebuggee: true }, { timeoutMs: 1500 }).catch(() => undefined);
    }
    await this.adapter.dispose();
  }
}

function fromDap(info: DP.ExceptionInfoResponse['body'] | undefined): ExceptionInfo {
  // debugpy may append a note to the id ("AssertionError       (note: …)") and qualify it ("builtins.X").
  const id = (info?.exceptionId ?? 'Exception').trim().split(/\s/)[0] ?? 'Exception';
  const type = id.split('.').pop() || 'Exception';
  const message = info?.description ?? info?.details?.message ?? '';
  return { type, message, repr: `${type}(${message ? pyStrRepr(message) : ''})` };
}

/** Python's repr() of a str: single quotes unless the text has ' and no ". */
export function pyStrRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === q) out += `\\${q}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + q;
}

/** A Python string literal for any text (JSON string syntax is valid Python for these escapes). */
export function pyString(s: string): string {
  return JSON.stringify(s).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
