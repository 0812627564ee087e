// The recorded trace: the contract between the recorder, the renderers, the model prompt, the
// replay adapter and the JSON written by `tracefix trace --format json` (docs/trace-format.md).
// Bump TRACE_SCHEMA_VERSION on any incompatible change.

export const TRACE_SCHEMA = 'tracefix.trace';
export const TRACE_SCHEMA_VERSION = 1;

export type TargetKind = 'script' | 'module' | 'pytest';

export interface TraceProgram {
  kind: TargetKind;
  /** Script path, module name or pytest node id, as given. */
  target: string;
  args: string[];
  /** Working directory of the traced process (absolute). */
  cwd: string;
  /** Folder whose Python files count as user code (absolute). */
  root: string;
}

export interface TraceInterpreter {
  path: string;
  version: string;
  debugpyVersion: string;
  debugpyPath: string;
}

export type OutcomeStatus =
  | 'completed' // the program ran to its end (any exit code)
  | 'exception' // an uncaught exception ended it (or failed the pytest test)
  | 'step-limit' // recording stopped at limits.maxSteps; the program was terminated
  | 'timeout'; // the wall-clock limit ended it; the trace is partial
// A cancelled recording (AbortSignal) rejects with CancelledError instead of returning a trace.

export interface ExceptionInfo {
  type: string;
  message: string;
  /** Python-style repr, e.g. `ZeroDivisionError('division by zero')`. */
  repr: string;
  /** Relative to root, where it surfaced in user code (innermost user frame). */
  file?: string;
  line?: number;
}

export interface TraceOutcome {
  status: OutcomeStatus;
  exitCode: number | null;
  exception?: ExceptionInfo;
  /** For pytest targets: did the selected test(s) pass. */
  testPassed?: boolean;
  durationMs: number;
  /** Launch of the adapter to the first recorded event. */
  startupMs: number;
  /** Time the program ran under recording, measured inside the debuggee (absent when cut off by a timeout). */
  recordingMs?: number;
  eventCount: number;
  /** True when limits cut the recording short. */
  partial: boolean;
  message?: string;
}

export interface TraceLimits {
  maxSteps: number;
  timeoutMs: number;
  /** Maximum characters of one value's repr. */
  reprLength: number;
}

export const DEFAULT_LIMITS: TraceLimits = { maxSteps: 20_000, timeoutMs: 20_000, reprLength: 120 };

export type EventKind = 'call' | 'line' | 'return' | 'yield' | 'exception';

/**
 * One recorded event, in execution order. A `line` event describes one execution of a source line
 * and the state change it caused (`changed`, computed from the frame's next recorded state), so it is
 * placed in `events` where that change became visible: after any calls the line made.
 */
export interface TraceEvent {
  /** Position in `events` (0-based, every event). */
  index: number;
  /** The NExT step number `k` when this event changed state (shown in the NExT text), else null. */
  step: number | null;
  kind: EventKind;
  /** Relative to program.root, with forward slashes. */
  file: string;
  line: number;
  /** Function name (`<module>` for module code). */
  function: string;
  /** Call depth counted over user-code frames only (the outermost user frame is 0). */
  depth: number;
  /** Global call number (1-based) of the frame this event belongs to. */
  callId: number;
  /** 1-based count of calls of this function so far (distinguishes recursion levels / repeated calls). */
  callIndex: number;
  /** Variables whose repr is new or different after this event. For `call`: the argument bindings. */
  changed: Record<string, string>;
  /** Variables removed by this event (e.g. `del x`). */
  deleted?: string[];
  /** All locals after this event (bounded reprs). */
  locals: Record<string, string>;
  /** For return / yield events. */
  value?: string;
  /** For exception events: how the exception left this frame. */
  exception?: ExceptionInfo;
  /** callId of the calling user frame, if any. */
  parentCallId?: number;
}

export interface OutputChunk {
  stream: 'stdout' | 'stderr';
  text: string;
  /** Number of events recorded before this output was written. */
  afterEvent: number;
}

export interface SourceFile {
  /** Relative to root. */
  path: string;
  text: string;
}

export interface Trace {
  schema: typeof TRACE_SCHEMA;
  version: typeof TRACE_SCHEMA_VERSION;
  engine: 'logpoint' | 'step';
  createdAt: string;
  program: TraceProgram;
  interpreter: TraceInterpreter;
  limits: TraceLimits;
  outcome: TraceOutcome;
  /** Every user file that has at least one event. */
  sources: SourceFile[];
  events: TraceEvent[];
  output: OutputChunk[];
}

export function isTrace(value: unknown): value is Trace {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Trace>;
  return v.schema === TRACE_SCHEMA && typeof v.version === 'number' && Array.isArray(v.events) && Array.isArray(v.sources);
}
