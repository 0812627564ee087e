// The summary of a benchmark run from its task results: fix rates (pass@1 and per round), per bug
// type, trace success and sizes, prompt tokens, model latency and failures by cause.
import { armFields } from './types';
import type {
  ArmResult,
  ArmSummary,
  BenchArm,
  BenchSummary,
  DatasetName,
  FailureCause,
  Stat,
  TaskResult,
} from './types';

/** Nearest-rank percentile of the non-null values (null when there are none). */
export function percentile(values: (number | null | undefined)[], p: number): number | null {
  const v = values
    .filter((x): x is number => typeof x === 'number' && Number.isFinite(x))
    .sort((a, b) => a - b);
  if (v.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * v.length));
  return v[Math.min(v.length, rank) - 1] ?? null;
}

export function stat(values: (number | null | undefined)[]): Stat {
  return { median: percentile(values, 50), p95: percentile(values, 95) };
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

export function summarizeArm(
  tasks: TaskResult[],
  arm: (t: TaskResult) => ArmResult | undefined,
  maxRounds: number,
): ArmSummary {
  const results = tasks
    .map((t) => ({ t, a: arm(t) }))
    .filter((x): x is { t: TaskResult; a: ArmResult } => x.a !== undefined);
  const n = results.length;
  const fixed = results.filter((x) => x.a.fixed).length;
  const perRound: ArmSummary['perRound'] = [];
  let cumulative = 0;
  for (let round = 1; round <= maxRounds; round++) {
    const inRound = results.filter((x) => x.a.fixed && x.a.fixedRound === round).length;
    const before = ratio(cumulative, n);
    cumulative += inRound;
    perRound.push({
      round,
      fixed: inRound,
      cumulativeRate: ratio(cumulative, n),
      gain: ratio(cumulative, n) - before,
    });
  }
  const byBugType: ArmSummary['byBugType'] = {};
  for (const { t, a } of results) {
    const b = (byBugType[t.bugType] ??= { tasks: 0, fixed: 0, rate: 0 });
    b.tasks += 1;
    if (a.fixed) b.fixed += 1;
  }
  for (const b of Object.values(byBugType)) b.rate = ratio(b.fixed, b.tasks);
  const failures: Partial<Record<FailureCause, number>> = {};
  for (const { a } of results)
    if (!a.fixed && a.failureCause) failures[a.failureCause] = (failures[a.failureCause] ?? 0) + 1;
  return {
    tasks: n,
    fixed,
    passAt1: ratio(results.filter((x) => x.a.fixed && x.a.fixedRound === 1).length, n),
    fixRate: ratio(fixed, n),
    perRound,
    byBugType,
    promptTokens: stat(results.map((x) => x.a.promptTokens)),
    modelLatencyMs: stat(results.map((x) => x.a.modelLatencyMs)),
    toolCalls: stat(results.map((x) => x.a.toolCalls)),
    failures,
  };
}

/** The task's arm with the trace (main result unless the run was --no-trace only). */
const mainArm = (t: TaskResult): ArmResult => armFields(t);

/** The task's result in an arm that is not its main one. */
function otherArm(arm: BenchArm, t: TaskResult, armsRun: BenchArm[]): ArmResult | undefined {
  if (arm === 'noTrace') return armsRun.includes('trace') ? t.noTrace : mainArm(t);
  if (arm === 'tools') return t.tools;
  if (arm === 'divergence') return t.divergence;
  return mainArm(t);
}

export function summarize(
  dataset: DatasetName,
  model: string,
  tasks: TaskResult[],
  armsRun: BenchArm[],
  maxRounds: number,
  durationMs: number,
): BenchSummary {
  const traced = tasks.filter((t) => t.traced).length;
  const arms: BenchSummary['arms'] = {};
  if (armsRun.includes('trace')) arms.trace = summarizeArm(tasks, mainArm, maxRounds);
  if (armsRun.includes('noTrace'))
    arms.noTrace = summarizeArm(tasks, (t) => otherArm('noTrace', t, armsRun), maxRounds);
  if (armsRun.includes('tools'))
    arms.tools = summarizeArm(tasks, (t) => otherArm('tools', t, armsRun), maxRounds);
  if (armsRun.includes('divergence'))
    arms.divergence = summarizeArm(tasks, (t) => otherArm('divergence', t, armsRun), maxRounds);
  return {
    dataset,
    model,
    tasks: tasks.length,
    traced,
    traceSuccessRate: ratio(traced, tasks.length),
    traceMs: stat(tasks.map((t) => t.traceMs)),
    traceTokens: stat(tasks.map((t) => t.traceTokens)),
    arms,
    nextEffect: arms.trace && arms.noTrace ? arms.trace.passAt1 - arms.noTrace.passAt1 : null,
    toolsEffect: arms.tools && arms.trace ? arms.tools.passAt1 - arms.trace.passAt1 : null,
    ...(arms.divergence
      ? {
          divergenceEffect: arms.trace ? arms.divergence.passAt1 - arms.trace.passAt1 : null,
          baselines: {
            recorded: tasks.filter((t) => t.baseline?.passed).length,
            compareMs: stat(tasks.map((t) => t.baseline?.compareMs)),
          },
        }
      : {}),
    durationMs,
  };
}
