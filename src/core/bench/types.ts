// Types of `tracefix bench`: the tasks a dataset yields, what one task's run measured, and the report.

export type DatasetName = 'humanevalfix' | 'humanevalfix-plus' | 'mbpp';
export const DATASETS: readonly DatasetName[] = ['humanevalfix', 'humanevalfix-plus', 'mbpp'];

/** One benchmark task, materialized as a folder with `solution.py` and `test_solution.py`. */
export interface BenchTask {
  /** Dataset id, e.g. `Python/0` (HumanEvalFix) or `Mbpp/2`. */
  id: string;
  dataset: DatasetName;
  /** HumanEvalFix's bug type (`value misuse`, …); `stub` for MBPP (see datasets.ts). */
  bugType: string;
  /** HumanEvalFix's failure symptom (`incorrect output`, `infinite loop`, `stackoverflow`). */
  symptom: string;
  entryPoint: string;
  /** The program to fix (`solution.py`). */
  program: string;
  /** The dataset's correct program, the same file fixed (what the oracle answers with). */
  reference: string;
  /** `test_solution.py`: the failing test the pipeline traces and verifies against. */
  test: string;
  /** A stronger judging script, when the dataset judges with other tests than the visible ones (HumanEval+). */
  judge?: string;
}

export const PROGRAM_FILE = 'solution.py';
export const TEST_FILE = 'test_solution.py';

/** Why a task was not fixed (one cause per arm). */
export type FailureCause =
  | 'trace-failed' // no trace could be recorded
  | 'nothing-to-fix' // the program already passes its test
  | 'model-error' // the endpoint failed (auth, rate limit, timeout…)
  | 'no-usable-patch' // the answer gave no code that could be applied
  | 'tests-fail' // the patch was verified and the test still fails
  | 'verify-timeout' // the patched program ran past the verification timeout
  | 'judge-fail' // passed the visible test, failed the dataset's stronger tests (HumanEval+)
  | 'cancelled'
  | 'internal';

/** The fix attempt of one task in one arm (with or without the trace in the prompt). */
export interface ArmResult {
  /** Verified against the dataset's tests (for HumanEval+: its judging tests). */
  fixed: boolean;
  /** Model rounds used. */
  rounds: number;
  /** Round whose patch was verified (null when none). */
  fixedRound: number | null;
  /** Tokens of the round-1 prompt (system + user, counted with the cl100k-compatible tokenizer). */
  promptTokens: number | null;
  /** Tokens the endpoint reported for the round-1 prompt, when it reports usage. */
  promptTokensReported: number | null;
  /** Sum of the model calls' latencies over all rounds. */
  modelLatencyMs: number | null;
  failureCause: FailureCause | null;
  error: string | null;
  /** Trace tool calls the model made over all rounds (0 in arms without tools). */
  toolCalls?: number;
}

/**
 * The fields of an arm's result without its tool-call count: how a task's main arm is kept flat on its
 * TaskResult, and read back from it.
 */
export function armFields(a: Omit<ArmResult, 'toolCalls'>): ArmResult {
  const {
    fixed,
    rounds,
    fixedRound,
    promptTokens,
    promptTokensReported,
    modelLatencyMs,
    failureCause,
    error,
  } = a;
  return {
    fixed,
    rounds,
    fixedRound,
    promptTokens,
    promptTokensReported,
    modelLatencyMs,
    failureCause,
    error,
  };
}

/** The arms a bench run can have: the NExT prompt, the prompt without trace, the NExT prompt plus the
 * trace tools, the NExT prompt plus the first divergence from a passing run (the reference solution's). */
export type BenchArm = 'trace' | 'noTrace' | 'tools' | 'divergence';

/** The passing run of the divergence arm: the task's test run against the reference solution. */
export interface BaselineResult {
  /** Recorded, and the reference passed. */
  passed: boolean;
  /** Divergent places and steps found, and whether the first is a value or a control-flow one. */
  places: number;
  steps: number;
  first: 'value' | 'flow' | null;
  /** Time to align the two runs and find the divergences. */
  compareMs: number | null;
  error: string | null;
}

export interface TaskResult {
  id: string;
  bugType: string;
  symptom: string;
  /** A trace with at least one event was recorded (partial traces count). */
  traced: boolean;
  /** The recording's end: completed / exception / step-limit / timeout (null when none). */
  traceStatus: string | null;
  /** 'fast', or 'step' when the fast recording timed out before delivering any event. */
  traceEngine: 'fast' | 'step' | null;
  traceEvents: number;
  traceMs: number | null;
  /** Tokens of the NExT rendering given to the model (null without a trace). */
  traceTokens: number | null;
  /** The main arm: with the trace, unless the run is `--no-trace` only. */
  fixed: boolean;
  rounds: number;
  fixedRound: number | null;
  promptTokens: number | null;
  promptTokensReported: number | null;
  modelLatencyMs: number | null;
  failureCause: FailureCause | null;
  error: string | null;
  /** The ablation arm (prompt without the trace), when both arms ran. */
  noTrace?: ArmResult;
  /** The arm with the trace tools (`--tools`). */
  tools?: ArmResult;
  /** The arm with the first divergence from the reference solution's passing run (`--divergence`). */
  divergence?: ArmResult;
  /** That passing run and its comparison with the failing one. */
  baseline?: BaselineResult;
  /** Wall-clock time of the whole task. */
  totalMs: number;
}

export interface Stat {
  median: number | null;
  p95: number | null;
}

export interface ArmSummary {
  tasks: number;
  fixed: number;
  /** Fixed in round 1 / tasks. */
  passAt1: number;
  /** Fixed in any round / tasks. */
  fixRate: number;
  /** Per round: tasks fixed in that round, the cumulative fix rate, and its gain over the previous round. */
  perRound: { round: number; fixed: number; cumulativeRate: number; gain: number }[];
  byBugType: Record<string, { tasks: number; fixed: number; rate: number }>;
  promptTokens: Stat;
  modelLatencyMs: Stat;
  /** Trace tool calls per task (the tools arm). */
  toolCalls: Stat;
  failures: Partial<Record<FailureCause, number>>;
}

export interface BenchSummary {
  dataset: DatasetName;
  model: string;
  tasks: number;
  traced: number;
  traceSuccessRate: number;
  traceMs: Stat;
  traceTokens: Stat;
  /** 'trace' (NExT prompt), 'noTrace' (ablation), 'tools' (NExT prompt + trace tools),
   * 'divergence' (NExT prompt + the first divergence from a passing run). */
  arms: {
    trace?: ArmSummary;
    noTrace?: ArmSummary;
    tools?: ArmSummary;
    divergence?: ArmSummary;
  };
  /** passAt1(trace) − passAt1(noTrace), when both arms ran. */
  nextEffect: number | null;
  /** passAt1(tools) − passAt1(trace), when both arms ran. */
  toolsEffect: number | null;
  /** passAt1(divergence) − passAt1(trace), when both arms ran. */
  divergenceEffect?: number | null;
  /** Divergence arm: tasks whose reference run passed, and the median / p95 time to compare. */
  baselines?: { recorded: number; compareMs: Stat };
  durationMs: number;
}

export interface BenchReport {
  schema: 'tracefix.bench';
  version: 1;
  createdAt: string;
  dataset: DatasetName;
  data: string;
  model: { name: string; label: string; baseURL: string | null; testOnly: boolean };
  options: {
    limit: number | null;
    jobs: number;
    rounds: number;
    arms: BenchArm[];
    maxToolCalls?: number;
    budget: number;
    maxSteps: number;
    traceTimeoutMs: number;
    verifyTimeoutMs: number;
    judgeTimeoutMs: number;
  };
  interpreter: string | null;
  notes: string[];
  summary: BenchSummary;
  tasks: TaskResult[];
}
