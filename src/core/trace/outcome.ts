// How a recording ended, from what the helper said (its end record, the exceptions it saw, pytest's
// reports) and what debugpy said (the exit code).
import type { TraceAssembler } from './assemble';
import type { TargetKind, TraceLimits, TraceOutcome } from './model';
import { UNTRACED_MS, type RunResult } from './session';

const SIGNALS: Record<number, string> = {
  4: 'SIGILL',
  6: 'SIGABRT',
  7: 'SIGBUS',
  8: 'SIGFPE',
  9: 'SIGKILL',
  11: 'SIGSEGV',
  13: 'SIGPIPE',
  15: 'SIGTERM',
};

export function buildOutcome(
  asm: TraceAssembler,
  run: RunResult,
  ctx: { started: number; limits: TraceLimits; kind: TargetKind },
): TraceOutcome {
  const end = asm.end;
  const code = run.exitCode;
  // A signal death: negative, 128 + n (a shell's convention) or 256 - n (debugpy's launcher), and the
  // helper never sent its end record (a program may exit with any code on purpose).
  const signal = end
    ? undefined
    : code !== null && code < 0
      ? (SIGNALS[-code] ?? `signal ${-code}`)
      : code !== null && code > 128 && code - 128 in SIGNALS
        ? SIGNALS[code - 128]
        : code !== null && code > 192 && 256 - code in SIGNALS
          ? SIGNALS[256 - code]
          : undefined;
  const test = asm.test;
  const testFailed =
    test !== undefined &&
    (test.phases.setup === 'failed' ||
      test.phases.call === 'failed' ||
      test.phases.teardown === 'failed');
  const exception =
    ctx.kind === 'pytest'
      ? testFailed
        ? (asm.testException ?? asm.topException)
        : undefined
      : code !== 0 && asm.topException?.type !== 'SystemExit'
        ? asm.topException
        : undefined;
  let status: TraceOutcome['status'] = 'completed';
  if (run.timedOut) status = 'timeout';
  else if (end?.reason === 'os._exit') status = 'exited';
  else if (signal) status = 'crashed';
  else if (exception || (ctx.kind === 'pytest' && (testFailed || !!test?.collectError)))
    status = 'exception';
  const partial =
    run.timedOut ||
    run.recordingStoppedMs !== undefined ||
    status === 'crashed' ||
    end === undefined ||
    end.reason === 'cap' ||
    asm.tracerTakenOver !== undefined;
  const outcome: TraceOutcome = {
    status,
    exitCode: run.timedOut ? null : status === 'exited' ? (end?.code ?? code) : code,
    durationMs: Date.now() - ctx.started,
    startupMs: (asm.firstEventAt ?? Date.now()) - ctx.started,
    eventCount: asm.eventCount,
    partial,
  };
  if (signal && status === 'crashed') outcome.signal = signal;
  if (end && !run.timedOut) outcome.recordingMs = end.ms;
  if (exception && (status === 'exception' || status === 'timeout')) outcome.exception = exception;
  if (test) {
    outcome.test = test;
    if (!run.timedOut) outcome.testPassed = !testFailed && test.phases.call === 'passed';
  }
  if (asm.tracerTakenOver) outcome.tracerTakenOver = asm.tracerTakenOver;
  if (run.recordingStoppedMs !== undefined) {
    // Where it stopped: the last recorded event (what the NExT header and the summary both name).
    const events = asm.events;
    const last = events.at(events.length - 1);
    outcome.recordingStopped = {
      afterMs: run.recordingStoppedMs,
      untracedMs: UNTRACED_MS,
      ...(last ? { file: last.file, line: last.line, function: last.function } : {}),
      afterEvent: events.length,
    };
  }
  outcome.message = message(outcome, asm, ctx.limits);
  if (!outcome.message) delete outcome.message;
  return outcome;
}

function message(o: TraceOutcome, asm: TraceAssembler, limits: TraceLimits): string | undefined {
  const parts: string[] = [];
  if (o.recordingStopped) parts.push(recordingStoppedText(o));
  else if (o.status === 'timeout')
    parts.push(
      `Stopped after ${limits.timeoutMs / 1000} s (timeout): the program had not ended; the trace is partial.`,
    );
  else if (o.status === 'exited')
    parts.push(`The program ended itself with os._exit(${o.exitCode ?? '?'}).`);
  else if (o.status === 'crashed')
    parts.push(
      `The program was killed by ${o.signal ?? 'a signal'}; the trace holds what was recorded before.`,
    );
  else if (!asm.end)
    parts.push(
      'The program ended before its last records were delivered; the trace may be incomplete.',
    );
  else if (asm.end.reason === 'cap')
    parts.push(
      `Recording stopped after ${asm.end.events} events (the recorder's hard cap); the program went on unrecorded.`,
    );
  if (o.tracerTakenOver) {
    const where = o.tracerTakenOver.file
      ? ` at ${o.tracerTakenOver.file}:${o.tracerTakenOver.line ?? '?'}`
      : '';
    parts.push(
      `The program installed its own tracer (sys.settrace)${where}; calls that thread made after it were not recorded.`,
    );
  }
  const gap = asm.elided;
  if (gap)
    parts.push(
      `${gap.events} events in the middle of the run are not kept (limit ${limits.maxSteps}); the trace keeps the first and the last ones.`,
    );
  return parts.length ? parts.join(' ') : undefined;
}

/** One sentence on a recording the time limit stopped: where, and how the program went on untraced.
 * The NExT header (render/next.ts) says the same. */
export function recordingStoppedText(o: TraceOutcome): string {
  const r = o.recordingStopped;
  if (!r) return '';
  const where = r.file
    ? ` at ${r.file}:${r.line ?? '?'}${r.function && r.function !== '<module>' ? ` in ${r.function}` : ''}`
    : '';
  return `Recording stopped after ${r.afterMs / 1000} s (the time limit)${where}; the program went on untraced and ${untracedEnd(o)}.`;
}

/** How a program the time limit stopped recording went on, untraced: `pytest reported ... failed (...)`. */
export function untracedEnd(o: TraceOutcome): string {
  const r = o.recordingStopped;
  if (o.status === 'timeout')
    return `had not ended ${(r?.untracedMs ?? 0) / 1000} s later, when Tracefix stopped it`;
  if (o.status === 'crashed') return `was killed by ${o.signal ?? 'a signal'}`;
  if (o.status === 'exited') return `ended itself with os._exit(${o.exitCode ?? '?'})`;
  const test = o.test;
  if (test) {
    if (test.phases.call === 'failed' || test.phases.setup === 'failed') {
      const exc = o.exception;
      return `pytest reported ${test.nodeId} failed${exc ? ` (${exc.type}${exc.message ? `: ${exc.message.split('\n')[0]}` : ''})` : ''}`;
    }
    if (test.phases.call === 'passed') return `pytest reported ${test.nodeId} passed`;
  }
  if (o.status === 'exception' && o.exception)
    return `ended with ${o.exception.type}${o.exception.message ? `: ${o.exception.message.split('\n')[0]}` : ''}`;
  return `ended with exit code ${o.exitCode ?? '?'}`;
}
