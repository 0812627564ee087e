// Builds hand-written traces for render tests: events get index, step, call ids and locals the way
// the recorder fills them, so each test only states what ran.
import type { Delta, ExceptionInfo, Trace, TraceEvent } from '../../../src/core/trace/model';

interface Frame {
  callId: number;
  callIndex: number;
  fn: string;
  file: string;
  locals: Record<string, string>;
}

export class TraceBuilder {
  readonly events: TraceEvent[] = [];
  private readonly frames: Frame[] = [];
  private readonly callCounts = new Map<string, number>();
  private nextCallId = 1;
  private nextStep = 1;
  readonly sources: { path: string; text: string }[] = [];

  source(path: string, text: string): this {
    this.sources.push({ path, text });
    return this;
  }

  call(file: string, fn: string, line: number, args: Record<string, string> = {}): this {
    const callIndex = (this.callCounts.get(fn) ?? 0) + 1;
    this.callCounts.set(fn, callIndex);
    const parent = this.frames[this.frames.length - 1];
    const frame: Frame = { callId: this.nextCallId++, callIndex, fn, file, locals: { ...args } };
    this.frames.push(frame);
    this.push('call', line, args, parent?.callId);
    return this;
  }

  line(line: number, changed: Record<string, string> = {}): this {
    Object.assign(this.top().locals, changed);
    this.push('line', line, changed);
    return this;
  }

  /** A line whose changes the recorder sent as deltas into cut values (and deletions). */
  change(
    line: number,
    changed: Record<string, string>,
    extra: { deltas?: Delta[]; deleted?: string[] },
  ): this {
    Object.assign(this.top().locals, changed);
    this.push('line', line, changed, undefined, extra);
    return this;
  }

  ret(line: number, value: string): this {
    this.push('return', line, {}, undefined, { value });
    this.frames.pop();
    return this;
  }

  raise(line: number, exception: Omit<ExceptionInfo, 'repr'> & { repr?: string }): this {
    const info: ExceptionInfo = {
      repr: `${exception.type}(${JSON.stringify(exception.message)})`,
      ...exception,
    };
    this.push('exception', line, {}, undefined, { exception: info });
    this.frames.pop();
    return this;
  }

  private top(): Frame {
    const f = this.frames[this.frames.length - 1];
    if (!f) throw new Error('no frame: call() first');
    return f;
  }

  private push(
    kind: TraceEvent['kind'],
    line: number,
    changed: Record<string, string>,
    parent?: number,
    extra: Partial<TraceEvent> = {},
  ): void {
    const f = this.top();
    const parentCallId = kind === 'call' ? parent : this.frames[this.frames.length - 2]?.callId;
    const e: TraceEvent = {
      index: this.events.length,
      step:
        Object.keys(changed).length > 0 ||
        extra.value !== undefined ||
        extra.exception ||
        extra.deltas?.length ||
        extra.deleted?.length
          ? this.nextStep++
          : null,
      kind,
      file: f.file,
      line,
      function: f.fn,
      depth: this.frames.length - 1,
      callId: f.callId,
      callIndex: f.callIndex,
      changed: { ...changed },
      ...extra,
    };
    if (parentCallId !== undefined) e.parentCallId = parentCallId;
    this.events.push(e);
  }

  build(outcome: Partial<Trace['outcome']> = {}): Trace {
    return {
      schema: 'tracefix.trace',
      version: 2,
      engine: 'fast',
      createdAt: '2025-01-01T00:00:00.000Z',
      program: { kind: 'script', target: 'main.py', args: [], cwd: '/ws', root: '/ws' },
      interpreter: {
        path: '/usr/bin/python3',
        version: '3.11.2',
        debugpyVersion: '1.6.3',
        debugpyPath: '/usr/lib/python3/dist-packages/debugpy',
      },
      limits: { maxSteps: 20000, timeoutMs: 20000, reprLength: 120 },
      outcome: {
        status: 'completed',
        exitCode: 0,
        durationMs: 10,
        startupMs: 5,
        eventCount: this.events.length,
        partial: false,
        ...outcome,
      },
      sources: this.sources,
      events: this.events,
      output: [],
    };
  }
}
