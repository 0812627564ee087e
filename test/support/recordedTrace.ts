// A whole Trace around helper-style raw records, for unit tests and benchmarks that build a
// recording by hand: the assembler turns the records into events exactly as a real recording does,
// and the rest (header, outcome, the one source file) is filled in here once.
import { TraceAssembler } from '../../src/core/trace/assemble';
import {
  DEFAULT_LIMITS,
  TRACE_SCHEMA,
  TRACE_SCHEMA_VERSION,
  type Trace,
  type TraceOutcome,
} from '../../src/core/trace/model';
import type { RawRecord } from '../../src/core/trace/records';

export interface RecordedTraceOptions {
  /** The program's one file (the records' 'F' row names it). */
  file: string;
  source: string;
  /** The assembler's event limit, also written as the trace's limit (default: DEFAULT_LIMITS). */
  maxEvents?: number;
  /** Replaces the default outcome's fields (a completed run, exit 0). */
  outcome?: Partial<TraceOutcome>;
  interpreter?: { version: string; debugpyVersion: string };
}

/** The trace of a finished assembler. */
export function traceOfAssembly(asm: TraceAssembler, opts: RecordedTraceOptions): Trace {
  return {
    schema: TRACE_SCHEMA,
    version: TRACE_SCHEMA_VERSION,
    engine: 'fast',
    createdAt: '',
    limits:
      opts.maxEvents === undefined
        ? DEFAULT_LIMITS
        : { ...DEFAULT_LIMITS, maxSteps: opts.maxEvents },
    program: { kind: 'script', target: opts.file, args: [], cwd: '/x', root: '/x' },
    interpreter: {
      path: 'python3',
      version: opts.interpreter?.version ?? '3.12',
      debugpyVersion: opts.interpreter?.debugpyVersion ?? '1.8',
      debugpyPath: '/',
    },
    outcome: {
      status: 'completed',
      exitCode: 0,
      durationMs: 1,
      startupMs: 1,
      eventCount: asm.eventCount,
      partial: false,
      ...opts.outcome,
    },
    sources: [{ path: opts.file, text: opts.source }],
    events: asm.events,
    output: asm.output,
    ...(asm.elided ? { elided: asm.elided } : {}),
    ...(Object.keys(asm.uses).length > 0 ? { uses: asm.uses } : {}),
  };
}

/** The trace of these records, assembled in one push. */
export function traceOfRecords(records: RawRecord[], opts: RecordedTraceOptions): Trace {
  const asm = new TraceAssembler(opts.maxEvents);
  asm.push(records);
  asm.finish();
  return traceOfAssembly(asm, opts);
}
