// Runs the real pipeline on one benchmark task: write the task's folder (solution.py and
// test_solution.py) in a temp dir, trace the failing test (bounded by a step limit and a timeout,
// so non-terminating programs end with a partial trace), then per arm (with / without the trace in
// the prompt) ask the model, patch, and verify in a sandboxed copy; HumanEval+ tasks are then
// judged by their stronger tests. The folder is removed afterwards.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Baseline } from '../compare/baseline';
import { compareRuns } from '../compare/compare';
import { countTokens } from '../render/tokens';
import { CancelledError, InternalError, UserError, errorMessage } from '../errors';
import { explainAndFix, type FixResult } from '../fix';
import type { ModelProvider } from '../model/client/provider';
import type { Trace } from '../trace/model';
import { recordOptionsFor, type RecordOptions } from '../trace/options';
import { recordTrace } from '../trace/record';
import { runProgram } from '../verify/runProgram';
import { buildRunEnv } from '../verify/runEnv';
import type { Sandbox } from '../verify/sandbox';
import { tracePassed } from '../verify/traceOutcome';
import { runFolders, sandboxForCopy } from '../verify/verify';
import { summarizeFailure } from '../verify/failureSummary';
import { copyWorkspace } from '../verify/workspaceCopy';
import {
  armFields,
  PROGRAM_FILE,
  TEST_FILE,
  type ArmResult,
  type BaselineResult,
  type BenchArm,
  type BenchTask,
  type FailureCause,
  type TaskResult,
} from './types';

export const JUDGE_FILE = '_judge_solution.py';
const FATAL_MODEL_ERRORS = new Set<string>(['model-auth', 'model-not-found']);

export interface TaskRunOptions {
  /** Interpreter with debugpy (resolved once for the run). */
  python: string;
  arms: BenchArm[];
  maxRounds: number;
  /** Tool calls per round in the tools arm. */
  maxToolCalls: number;
  budget: number;
  maxSteps: number;
  traceTimeoutMs: number;
  verifyTimeoutMs: number;
  judgeTimeoutMs: number;
  /** The model for one task (the oracle answers per task; a real endpoint is shared). */
  providerFor: (task: BenchTask) => ModelProvider;
  /** Parent of the task folders (default: the OS temp dir). */
  workDir?: string;
  /** Run model-written code in the sandbox (verification, re-traces, the HumanEval+ judge). */
  sandbox: boolean;
  signal?: AbortSignal;
}

/** Writes the task's folder: `<tmp>/<name>/solution.py` and `test_solution.py` (the reference
 * solution instead of the program with `reference`). */
export function materializeTask(
  task: BenchTask,
  workDir = os.tmpdir(),
  reference = false,
): { dir: string; dispose: () => void } {
  mkdirSync(workDir, { recursive: true });
  const tmp = mkdtempSync(path.join(workDir, 'tracefix-bench-'));
  const dir = path.join(tmp, task.id.replace(/[^\w.-]+/g, '_'));
  mkdirSync(dir);
  writeFileSync(path.join(dir, PROGRAM_FILE), reference ? task.reference : task.program);
  writeFileSync(path.join(dir, TEST_FILE), task.test);
  return { dir, dispose: () => rmSync(tmp, { recursive: true, force: true, maxRetries: 3 }) };
}

function emptyArm(cause: FailureCause, error: string): ArmResult {
  return {
    fixed: false,
    rounds: 0,
    fixedRound: null,
    promptTokens: null,
    promptTokensReported: null,
    modelLatencyMs: null,
    failureCause: cause,
    error,
  };
}

function causeOfError(e: unknown): FailureCause {
  if (e instanceof CancelledError) return 'cancelled';
  if (e instanceof UserError) {
    if (e.code.startsWith('model-')) return 'model-error';
    if (e.message.startsWith('Nothing to fix')) return 'nothing-to-fix';
    if (e.code === 'no-trace') return 'trace-failed';
  }
  return 'internal';
}

/** Runs HumanEval+'s judging script against the patched program in a throw-away copy. */
async function judge(
  task: BenchTask,
  dir: string,
  res: FixResult,
  opts: TaskRunOptions,
): Promise<{ passed: boolean; failure: string }> {
  const files = (res.patch?.files ?? []).map((f) => ({ path: f.path, text: f.newText }));
  const copy = await copyWorkspace(dir, [...files, { path: JUDGE_FILE, text: task.judge ?? '' }]);
  let sandbox: Sandbox | undefined;
  try {
    const folders = await runFolders(copy, opts.sandbox);
    // The patched program is model-written: judged in the same sandbox as its verification.
    sandbox = await sandboxForCopy(copy, {
      sandbox: opts.sandbox,
      python: opts.python,
      env: process.env,
      cwd: copy.root,
      originalCwd: dir,
    });
    const run = await runProgram({
      python: opts.python,
      argv: [JUDGE_FILE],
      cwd: copy.root,
      timeoutMs: opts.judgeTimeoutMs,
      signal: opts.signal,
      wrap: sandbox?.wrap,
      env: buildRunEnv(process.env, {
        ...folders,
        set: { PYTHONHASHSEED: '0', PYTHONIOENCODING: 'utf-8', PYTHONDONTWRITEBYTECODE: '1' },
      }),
      maxOutputChars: 8000,
    });
    const passed = !run.timedOut && run.exitCode === 0;
    const failure = passed
      ? ''
      : summarizeFailure({
          kind: 'script',
          exitCode: run.exitCode,
          signal: run.signal,
          timedOut: run.timedOut,
          timeoutMs: opts.judgeTimeoutMs,
          output: run.output,
        });
    return { passed, failure };
  } finally {
    await sandbox?.dispose();
    copy.dispose();
  }
}

async function runArm(
  task: BenchTask,
  dir: string,
  rec: RecordOptions,
  trace: Trace,
  which: BenchArm,
  opts: TaskRunOptions,
  onNextTokens: (n: number) => void,
  baseline?: Baseline,
): Promise<ArmResult> {
  let res: FixResult;
  let promptTokens: number | null = null;
  const useTrace = which !== 'noTrace';
  try {
    res = await explainAndFix({
      recordOptions: rec,
      trace,
      provider: opts.providerFor(task),
      budget: opts.budget,
      maxRounds: opts.maxRounds,
      useTrace,
      verifyTimeoutMs: opts.verifyTimeoutMs,
      signal: opts.signal,
      sandbox: opts.sandbox,
      // Only the tools arm gets the trace tools: the other arms measure the prompt alone.
      maxToolCalls: which === 'tools' ? opts.maxToolCalls : 0,
      ...(which === 'divergence' && baseline ? { baseline } : {}),
      onEvent: (e) => {
        if (e.type === 'trace-done' && !e.patched && useTrace) onNextTokens(e.nextTokens);
        if (e.type === 'model-start' && e.round === 1)
          promptTokens = e.messages.reduce((n, m) => n + countTokens(m.content), 0);
      },
    });
  } catch (e) {
    if (e instanceof CancelledError) throw e;
    // A wrong key or model fails every task alike: end the run instead of reporting it N times.
    if (e instanceof UserError && FATAL_MODEL_ERRORS.has(e.code)) throw e;
    return { ...emptyArm(causeOfError(e), errorMessage(e)), promptTokens };
  }
  const rounds = res.rounds;
  const fixedRound = res.fixed ? rounds.findIndex((r) => r.verification?.passed) + 1 : null;
  const arm: ArmResult = {
    fixed: res.fixed,
    rounds: rounds.length,
    fixedRound,
    promptTokens,
    promptTokensReported: rounds[0]?.answer.usage?.promptTokens ?? null,
    modelLatencyMs: rounds.reduce((n, r) => n + r.answer.latencyMs, 0),
    failureCause: null,
    error: null,
    toolCalls: rounds.reduce((n, r) => n + (r.toolCalls?.length ?? 0), 0),
  };
  const last = rounds[rounds.length - 1];
  if (!res.fixed) {
    arm.failureCause = !last?.patch
      ? 'no-usable-patch'
      : last.verification?.timedOut
        ? 'verify-timeout'
        : 'tests-fail';
    arm.error = last?.failure || null;
    return arm;
  }
  if (task.judge) {
    const j = await judge(task, dir, res, opts);
    if (!j.passed) {
      arm.fixed = false;
      arm.fixedRound = null;
      arm.failureCause = 'judge-fail';
      arm.error = j.failure;
    }
  }
  return arm;
}

/**
 * The fast engine sends records in batches; a program stuck inside one line (a huge `eval`,
 * HumanEvalFix Python/160) times out before the first batch leaves, or its adapter stops answering.
 * The stepping engine delivers each step as it happens, so it keeps the partial trace.
 */
async function recordWithFallback(
  rec: RecordOptions,
  useStep: (r: RecordOptions) => void,
): Promise<Trace> {
  try {
    const trace = await recordTrace(rec);
    if (trace.events.length > 0 || trace.outcome.status !== 'timeout') return trace;
  } catch (e) {
    if (!(e instanceof InternalError)) throw e;
  }
  const step: RecordOptions = { ...rec, engine: 'step' };
  useStep(step);
  return recordTrace(step);
}

/**
 * The divergence arm's passing run: the task's test against the dataset's reference solution, in a
 * folder of its own, compared with the failing run. Its code is never shown to the model (it is the
 * answer): only where the two runs part and with which values.
 */
async function referenceRun(
  task: BenchTask,
  failing: Trace,
  opts: TaskRunOptions,
): Promise<{ result: BaselineResult; baseline?: Baseline }> {
  const empty = { passed: false, places: 0, steps: 0, first: null, compareMs: null };
  const { dir, dispose } = materializeTask(task, opts.workDir, true);
  try {
    const trace = await recordTrace(
      recordOptionsFor(
        { target: { kind: 'script', path: TEST_FILE }, cwd: dir, root: dir },
        {
          python: opts.python,
          limits: { maxSteps: opts.maxSteps, timeoutMs: opts.traceTimeoutMs },
        },
        { signal: opts.signal },
      ),
    );
    if (!tracePassed(trace))
      return { result: { ...empty, error: 'the reference solution does not pass the test' } };
    const started = performance.now();
    const cmp = compareRuns(failing, trace);
    const compareMs = Math.round(performance.now() - started);
    return {
      result: {
        passed: true,
        places: cmp.places,
        steps: cmp.steps,
        first: cmp.divergences[0]?.kind ?? null,
        compareMs,
        error: null,
      },
      baseline: {
        trace,
        description: "the same test run against a correct program (the task's reference solution)",
        labels: {
          a: 'the failing run',
          aShort: 'failing',
          b: 'the correct run',
          bShort: 'correct',
        },
        codeHidden: true,
      },
    };
  } catch (e) {
    if (e instanceof CancelledError) throw e;
    return { result: { ...empty, error: errorMessage(e) } };
  } finally {
    dispose();
  }
}

export async function runTask(task: BenchTask, opts: TaskRunOptions): Promise<TaskResult> {
  const started = Date.now();
  const { dir, dispose } = materializeTask(task, opts.workDir);
  const result: TaskResult = {
    id: task.id,
    bugType: task.bugType,
    symptom: task.symptom,
    traced: false,
    traceStatus: null,
    traceEngine: null,
    traceEvents: 0,
    traceMs: null,
    traceTokens: null,
    fixed: false,
    rounds: 0,
    fixedRound: null,
    promptTokens: null,
    promptTokensReported: null,
    modelLatencyMs: null,
    failureCause: null,
    error: null,
    totalMs: 0,
  };
  try {
    let rec = recordOptionsFor(
      { target: { kind: 'script', path: TEST_FILE }, cwd: dir, root: dir },
      { python: opts.python, limits: { maxSteps: opts.maxSteps, timeoutMs: opts.traceTimeoutMs } },
      { signal: opts.signal },
    );
    let trace: Trace;
    try {
      trace = await recordWithFallback(rec, (r) => (rec = r));
    } catch (e) {
      if (e instanceof CancelledError) throw e;
      const arm = emptyArm('trace-failed', errorMessage(e));
      Object.assign(result, arm);
      if (opts.arms.includes('noTrace') && opts.arms.includes('trace')) result.noTrace = arm;
      if (opts.arms.includes('tools')) result.tools = arm;
      return result;
    }
    result.traced = trace.events.length > 0;
    result.traceStatus = trace.outcome.status;
    result.traceEngine = trace.engine;
    result.traceEvents = trace.outcome.eventCount;
    result.traceMs = trace.outcome.durationMs;
    let baseline: Baseline | undefined;
    if (opts.arms.includes('divergence')) {
      const b = await referenceRun(task, trace, opts);
      result.baseline = b.result;
      baseline = b.baseline;
    }
    const arms: Partial<Record<BenchArm, ArmResult>> = {};
    for (const arm of opts.arms) {
      // The NExT text's size as the prompt carried it.
      arms[arm] = await runArm(
        task,
        dir,
        rec,
        trace,
        arm,
        opts,
        (n) => (result.traceTokens ??= n),
        baseline,
      );
    }
    const main = arms.trace ?? arms.noTrace;
    if (main) Object.assign(result, armFields(main));
    if (arms.trace && arms.noTrace) result.noTrace = arms.noTrace;
    if (arms.tools) result.tools = arms.tools;
    if (arms.divergence) result.divergence = arms.divergence;
    return result;
  } finally {
    result.totalMs = Date.now() - started;
    dispose();
  }
}
