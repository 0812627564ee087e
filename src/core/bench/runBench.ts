// `tracefix bench`: loads a dataset, runs every task (N at a time) through the pipeline and builds
// the report (summary + one entry per task).
import { findInterpreter } from '../dap/python';
import { CancelledError, UserError } from '../errors';
import { DEFAULT_PROMPT_BUDGET as DEFAULT_BUDGET } from '../fix/promptBudget';
import { DEFAULT_LIMITS } from '../trace/model';
import { loadDataset } from './datasets';
import { createOracleProvider, formatFor, ORACLE_LABEL, ORACLE_MODEL } from './oracle';
import { runTask } from './runTask';
import { summarize } from './summary';
import type { BenchArm, BenchReport, BenchTask, DatasetName, TaskResult } from './types';
import { DEFAULT_MAX_TOOL_CALLS } from '../fix/toolLoop';
import type { ModelProvider } from '../model/client/provider';

export interface BenchOptions {
  dataset: DatasetName;
  /** The benchmarks folder (holding humanevalfix/, humanevalplus/, mbpp/). */
  dataDir: string;
  /** A real endpoint's provider; undefined selects the test-only oracle. */
  provider?: ModelProvider;
  model: { name: string; baseURL: string | null };
  /** First N tasks only. */
  limit?: number;
  /** Only these task ids (e.g. `Python/10`), in dataset order. */
  ids?: string[];
  jobs?: number;
  rounds?: number;
  arms?: BenchArm[];
  /** Tool calls per round in the tools arm (default 8). */
  maxToolCalls?: number;
  budget?: number;
  maxSteps?: number;
  traceTimeoutMs?: number;
  verifyTimeoutMs?: number;
  judgeTimeoutMs?: number;
  python?: string;
  /** Run model-written code (verification, re-traces, HumanEval+'s judge) in the sandbox (default true). */
  sandbox?: boolean;
  workDir?: string;
  onStart?: (total: number) => void;
  onTaskDone?: (result: TaskResult, done: number, total: number) => void;
  signal?: AbortSignal;
}

export const BENCH_DEFAULTS = {
  jobs: 2,
  rounds: 1,
  maxSteps: DEFAULT_LIMITS.maxSteps,
  traceTimeoutMs: 10_000,
  verifyTimeoutMs: 20_000,
  judgeTimeoutMs: 60_000,
} as const;

export function notesFor(
  dataset: DatasetName,
  oracle: boolean,
  arms: readonly BenchArm[] = [],
): string[] {
  const notes: string[] = [];
  if (oracle)
    notes.push(
      `Model: ${ORACLE_LABEL}. It answers with the dataset's correct program, so its fix rate measures the pipeline (tracing, prompt, parsing, patching, verification), not a model.`,
    );
  if (dataset === 'humanevalfix-plus')
    notes.push(
      "HumanEvalFix-Plus: the trace and the repair loop use the HumanEvalFix test; a fix counts only when HumanEval+'s OriginFmt tests pass too (HumanEval/32's OriginFmt harness itself fails on the canonical solution).",
    );
  if (arms.includes('divergence'))
    notes.push(
      "Divergence arm: the passing run is the task's test run against the dataset's reference solution; the prompt gets where the failing run first parts from it and with which values, never the reference's code (no changed lines, none of its source).",
    );
  if (dataset === 'mbpp')
    notes.push(
      'MBPP holds no buggy programs: each task is the reference program with every function body replaced by its task statement and `raise NotImplementedError`; the traced failing run is the test_list assertions on that stub. Not comparable to repair benchmarks (MBPP-R).',
    );
  return notes;
}

function selectTasks(all: BenchTask[], opts: BenchOptions): BenchTask[] {
  let tasks = all;
  if (opts.ids?.length) {
    const want = new Set(opts.ids);
    tasks = tasks.filter((t) => want.has(t.id));
    const missing = opts.ids.filter((id) => !tasks.some((t) => t.id === id));
    if (missing.length)
      throw new UserError('bad-argument', `No such task in ${opts.dataset}: ${missing.join(', ')}`);
  }
  if (opts.limit !== undefined) tasks = tasks.slice(0, opts.limit);
  return tasks;
}

export async function runBench(opts: BenchOptions): Promise<BenchReport> {
  const started = Date.now();
  const { signal } = opts;
  const interp = await findInterpreter({ python: opts.python });
  const all = await loadDataset(opts.dataset, opts.dataDir, interp.python, signal);
  const tasks = selectTasks(all, opts);
  const position = new Map(all.map((t, i) => [t.id, i]));
  const jobs = Math.max(1, Math.floor(opts.jobs ?? BENCH_DEFAULTS.jobs));
  const rounds = opts.rounds ?? BENCH_DEFAULTS.rounds;
  const arms = opts.arms ?? ['trace'];
  const maxToolCalls = opts.maxToolCalls ?? DEFAULT_MAX_TOOL_CALLS;
  const budget = opts.budget ?? DEFAULT_BUDGET;
  const o = {
    maxSteps: opts.maxSteps ?? BENCH_DEFAULTS.maxSteps,
    traceTimeoutMs: opts.traceTimeoutMs ?? BENCH_DEFAULTS.traceTimeoutMs,
    verifyTimeoutMs: opts.verifyTimeoutMs ?? BENCH_DEFAULTS.verifyTimeoutMs,
    judgeTimeoutMs: opts.judgeTimeoutMs ?? BENCH_DEFAULTS.judgeTimeoutMs,
  };
  const oracle = !opts.provider;
  const shared = opts.provider;
  const providerFor = (t: BenchTask): ModelProvider =>
    shared ?? createOracleProvider(t, formatFor(position.get(t.id) ?? 0));
  const results: (TaskResult | undefined)[] = new Array<TaskResult | undefined>(tasks.length);
  opts.onStart?.(tasks.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      if (signal?.aborted) throw new CancelledError();
      const i = next++;
      const task = tasks[i];
      if (!task) return;
      const r = await runTask(task, {
        python: interp.python,
        arms,
        maxRounds: rounds,
        maxToolCalls,
        budget,
        ...o,
        providerFor,
        workDir: opts.workDir,
        signal,
        sandbox: opts.sandbox !== false,
      });
      results[i] = r;
      done += 1;
      opts.onTaskDone?.(r, done, tasks.length);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(jobs, Math.max(1, tasks.length)) }, () => worker()),
  );
  const finished = results.filter((r): r is TaskResult => r !== undefined);
  const modelName = oracle ? ORACLE_LABEL : opts.model.name;
  return {
    schema: 'tracefix.bench',
    version: 1,
    createdAt: new Date().toISOString(),
    dataset: opts.dataset,
    data: opts.dataDir,
    model: {
      name: oracle ? ORACLE_MODEL : opts.model.name,
      label: oracle ? ORACLE_LABEL : (opts.provider?.label ?? opts.model.name),
      baseURL: oracle ? null : opts.model.baseURL,
      testOnly: oracle,
    },
    options: {
      limit: opts.limit ?? null,
      jobs,
      rounds,
      arms,
      ...(arms.includes('tools') ? { maxToolCalls } : {}),
      budget,
      ...o,
    },
    interpreter: `${interp.python} (Python ${interp.version}, debugpy ${interp.debugpyVersion})`,
    notes: notesFor(opts.dataset, oracle, arms),
    summary: summarize(opts.dataset, modelName, finished, arms, rounds, Date.now() - started),
    tasks: finished,
  };
}
