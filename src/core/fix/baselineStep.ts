// Explain & Fix's comparison with a passing run: obtain the passing run (compare/baseline), align it
// with the failing one, and build the prompt's "First divergence" section from the comparison, its
// values redacted like the NExT text's. A baseline that was asked for explicitly and cannot be had
// stops the fix (a one-line error); the automatic one only leaves notes.
import { obtainBaseline, type Baseline, type BaselineSpec } from '../compare/baseline';
import { compareRuns, type RunComparison } from '../compare/compare';
import { divergenceSection } from '../compare/promptSection';
import { COMPARE_RUNS, QUERY_TOOLS, ToolSession } from '../tools';
import { ValueRedactor } from '../tools/redactValues';
import type { Trace } from '../trace/model';
import type { RecordOptions } from '../trace/options';
import type { FixResult } from './types';

export interface BaselineOutcome {
  baseline?: Baseline;
  comparison?: RunComparison;
  /** The prompt section (absent without a baseline). */
  section?: string;
  /** Why the automatic choice found no passing run. */
  notes: string[];
}

export function isBaseline(b: BaselineSpec | Baseline): b is Baseline {
  return 'trace' in b;
}

export async function compareWithBaseline(opts: {
  baseline: BaselineSpec | Baseline;
  rec: RecordOptions;
  failing: Trace;
  secrets: readonly string[];
  signal?: AbortSignal;
  log?: (line: string) => void;
}): Promise<BaselineOutcome> {
  const got = isBaseline(opts.baseline)
    ? { baseline: opts.baseline, notes: [] }
    : await obtainBaseline(opts.baseline, {
        rec: opts.rec,
        failing: opts.failing,
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.log ? { log: opts.log } : {}),
      });
  const baseline = got.baseline;
  if (!baseline) return { notes: got.notes };
  const comparison = compareRuns(opts.failing, baseline.trace);
  const values = new ValueRedactor(opts.secrets);
  const section = divergenceSection(comparison, {
    description: baseline.description,
    labels: baseline.labels,
    value: (name, v) => values.value(name, v),
    ...(baseline.codeHidden ? { codeHidden: true } : {}),
  });
  return { baseline, comparison, section, notes: got.notes };
}

/** The tool session of a fix: the failing run, and the passing run with compare_runs when there is one. */
export function toolSession(
  trace: Trace,
  compared: BaselineOutcome,
  secrets: string[],
): ToolSession {
  // A passing run whose code must stay hidden is not offered to the tools (compare_runs quotes code).
  const passing = compared.baseline?.codeHidden ? undefined : compared.baseline?.trace;
  return passing
    ? new ToolSession(
        { failing: trace, passing },
        { secrets, tools: [...QUERY_TOOLS, COMPARE_RUNS] },
      )
    : new ToolSession(trace, { secrets });
}

/** What FixResult says about the comparison, if there was one. */
export function comparisonOf(compared: BaselineOutcome): Pick<FixResult, 'comparison'> {
  const { baseline, comparison } = compared;
  return baseline && comparison
    ? {
        comparison: {
          description: baseline.description,
          labels: baseline.labels,
          result: comparison,
        },
      }
    : {};
}
