// The recorded trace: the contract between the recorder, the renderers, the model prompt, the
// replay adapter and the JSON written by `tracefix trace --format json` (docs/trace-format.md).
// Bump TRACE_SCHEMA_VERSION on any incompatible change.

export const TRACE_SCHEMA = 'tracefix.trace';
/** Version of the in-memory model and of the JSON written by `writeTraceJson` (json.ts reads 1 and 2). */
export const TRACE_SCHEMA_VERSION = 2;

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
  /** How the fast engine saw the program: 'monitoring' (sys.monitoring, Python >= 3.12) or 'settrace';
   * 'profile' for the stepping engine before 3.12. */
  backend?: string;
}

export type OutcomeStatus =
  | 'completed' // the program ran to its end (any exit code, sys.exit included)
  | 'exception' // an uncaught exception ended it (or failed the pytest test)
  | 'exited' // os._exit() ended it at once (exitCode holds the code)
  | 'crashed' // a signal killed it (segfault, abort…); `signal` says which
  | 'timeout'; // it outlived the time limit and the untraced time after it: Tracefix ended it; partial
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
  /** For 'crashed': the signal name, e.g. SIGSEGV. */
  signal?: string;
  exception?: ExceptionInfo;
  /** For pytest targets: did the selected test(s) pass. */
  testPassed?: boolean;
  /** For pytest targets: what pytest reported for the selected test(s). */
  test?: TestReport;
  /** The program installed its own tracer (sys.settrace) here; nothing was recorded in that thread after. */
  tracerTakenOver?: { file?: string; line?: number; afterEvent: number };
  /** The time limit stopped the recording here (the last recorded event): the program went on
   * untraced; `status`, `exitCode` and `test` say how it then ended (status 'timeout': it had not
   * ended when Tracefix stopped it, `untracedMs` later). */
  recordingStopped?: {
    afterMs: number;
    untracedMs: number;
    file?: string;
    line?: number;
    function?: string;
    afterEvent: number;
  };
  durationMs: number;
  /** Launch of the adapter to the first recorded event. */
  startupMs: number;
  /** Time the program ran under recording, measured inside the debuggee (absent when cut off by a timeout). */
  recordingMs?: number;
  /** Events recorded (kept + elided). */
  eventCount: number;
  /** True when the recording does not reach the program's end (timeout, a taken-over tracer, a lost channel). */
  partial: boolean;
  message?: string;
}

export interface TestReport {
  nodeId: string;
  /** Node ids pytest collected for the selection (at most 50). */
  collected: string[];
  /** Outcome per phase: 'passed' | 'failed' | 'skipped'. */
  phases: Partial<Record<'setup' | 'call' | 'teardown', string>>;
  /** pytest's own failure text (its long report), bounded. */
  failureText?: string;
  /** A collection error (e.g. the test module does not import). */
  collectError?: string;
  /** pytest's exit status. */
  exitStatus?: number;
}

/** Events left out between the head and the tail of a long run (limits.maxSteps). */
export interface Elision {
  /** Index in `events` of the first event after the gap. */
  at: number;
  /** How many recorded events are not kept. */
  events: number;
  /** How many of them changed state (NExT steps): step numbers after the gap continue past them. */
  steps: number;
  /** Executions of each line among the elided events. */
  lines: { file: string; line: number; count: number }[];
  /** callId → locals (bounded reprs) at the gap, for the frames that were running across it. */
  frames?: Record<number, Record<string, string>>;
  /** Index in `events` of the first event of the tail; events in [at, tail) are executions kept from
   * the middle of the run (the first and the last of every line that ran there with values). Absent:
   * the tail starts at `at`. */
  tail?: number;
  /** Event index (in [at, tail)) → all locals of its frame right after that event. */
  kept?: Record<number, Record<string, string>>;
}

/** A user module whose import was not line-recorded (the default; `recordImports` records it). */
export interface ImportSummary {
  file: string;
  /** Calls of user functions made while it was imported. */
  calls: number;
  ms: number;
}

export interface TraceLimits {
  /** Events kept: the first quarter of them and the last three quarters (a sliding tail window). */
  maxSteps: number;
  timeoutMs: number;
  /** Maximum characters of one value's repr. */
  reprLength: number;
}

/** timeoutMs: how long the program may run under recording (set-up: as long again, at least 30 s); long
 * enough for the failing test of a real library (test/support/realLibraries.ts: up to ~350,000 events). */
export const DEFAULT_LIMITS: TraceLimits = { maxSteps: 20_000, timeoutMs: 60_000, reprLength: 120 };

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
  /** Changes inside values whose repr is cut, as paths into them (docs/trace-format.md). */
  deltas?: Delta[];
  /** For return / yield events. */
  value?: string;
  /** For exception events: how the exception left this frame. */
  exception?: ExceptionInfo;
  /** callId of the calling user frame, if any. */
  parentCallId?: number;
  /** Object numbers of the mutable values of `changed` names (and `__return__` for a returned or
   * yielded one): the same number means the same object, across names and frames. A plain object's
   * number is the one its repr shows (`Node#3`); other objects have negative numbers. */
  ids?: Record<string, number>;
}

/** What a statement reads and writes and which branch decides whether it runs, from the source
 * (Python's `ast` in the recorder): `[first line, last line, reads, writes, controlling line]`. A
 * compound statement's row covers its header. Access paths: `x`, `x.attr`, `x[]` (an item),
 * `x.attr[]`, `x.m()` (a method called on what x holds). The controlling line is the first line of
 * the nearest enclosing `if` / `while` / `for` / `try` / `match` of the same function, 0 for none. */
export type UseRow = [number, number, string[], string[], number];

/** A change inside a value: `path=value`, `del path`, `path.add(value)`, `path.discard(value)`, or
 * `...(N more changes in path)` ('more' with a count), or `...(path: changes past 40 objects not
 * followed)` ('more' with a sentence: what the recorder's cost cap left unchecked). */
export interface Delta {
  path: string;
  op: '=' | 'del' | 'add' | 'discard' | 'more';
  /** The new value's repr ('=', 'add', 'discard'), or the count of further changes ('more'). */
  value?: string;
}

export function deltaText(d: Delta): string {
  switch (d.op) {
    case '=':
      return `${d.path}=${d.value ?? ''}`;
    case 'del':
      return `del ${d.path}`;
    case 'add':
      return `${d.path}.add(${d.value ?? ''})`;
    case 'discard':
      return `${d.path}.discard(${d.value ?? ''})`;
    case 'more':
      // A count of changes not listed, or what the recorder did not look at (its cost cap).
      return /^\d+$/.test(d.value ?? '')
        ? `...(${d.value ?? '?'} more changes in ${d.path})`
        : `...(${d.path}: ${d.value ?? 'changes not listed'})`;
  }
}

/**
 * The recorded events in order: an array for small hand-made traces, a compact column store
 * (store.ts) for recordings. Events are materialised on access: do not rely on object identity.
 */
export interface EventSeq extends Iterable<TraceEvent> {
  readonly length: number;
  at(index: number): TraceEvent | undefined;
  filter(pred: (e: TraceEvent, i: number) => unknown): TraceEvent[];
  find(pred: (e: TraceEvent, i: number) => unknown): TraceEvent | undefined;
  findIndex(pred: (e: TraceEvent, i: number) => unknown): number;
  some(pred: (e: TraceEvent, i: number) => unknown): boolean;
  map<U>(fn: (e: TraceEvent, i: number) => U): U[];
  forEach(fn: (e: TraceEvent, i: number) => void): void;
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
  /** 'fast': the in-process recorder; 'step': the stepping reference. */
  engine: 'fast' | 'step';
  createdAt: string;
  program: TraceProgram;
  interpreter: TraceInterpreter;
  limits: TraceLimits;
  outcome: TraceOutcome;
  /** Every user file that has at least one event. */
  sources: SourceFile[];
  events: EventSeq;
  output: OutputChunk[];
  /** Set when a long run kept only its head and tail. */
  elided?: Elision;
  /** User modules imported without line recording. */
  imports?: ImportSummary[];
  /** file → the rows of the statements of every recorded function (for the dynamic slice). */
  uses?: Record<string, UseRow[]>;
}

/** A Trace object in memory (any version's JSON is read with json.ts `parseTrace`). */
export function isTrace(value: unknown): value is Trace {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Trace>;
  return (
    v.schema === TRACE_SCHEMA &&
    typeof v.version === 'number' &&
    typeof v.events === 'object' &&
    v.events !== null &&
    typeof (v.events as Partial<EventSeq>).at === 'function' &&
    Array.isArray(v.sources)
  );
}
