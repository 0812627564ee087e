// compare_runs: where one recording parts from another (the failing run from a passing one) — the
// first divergence with both values and both call paths, the next ones at other places, and the
// lines changed between the code the two runs ran. Answers from the two recordings of the session;
// nothing is run. Values are redacted like every tool answer.
import * as z from 'zod';
import { compareRuns } from '../compare/compare';
import { comparisonText, DEFAULT_LABELS, type RunLabels } from '../compare/format';
import type { Trace } from '../trace/model';
import { defineTool, stepNumber } from './schema';
import { ToolInputError, type ToolAnswerDraft, type ToolContext, type ToolSpec } from './types';

/** Divergences one answer lists after the first, at most. */
export const MAX_COMPARE_LIMIT = 20;

export const COMPARE_RUNS_NAME = 'compare_runs';

export const COMPARE_RUNS_DESCRIPTION =
  'Where the failing run parts from a passing run (the same test at an earlier commit, or a passing sibling test): the two recordings aligned call by call and line by line, the first divergence — the earliest step where the values differ or only one run took it (another branch, an extra or missing call) — with both values and both call paths, the next divergences at other places, and the lines changed between the code the two runs ran. Object numbers (#n), addresses, clock readings and other values that differ between any two runs are not counted. Steps (k) are the failing run\'s; the passing run\'s are written "its step k". Page on with from_step.';

export const COMPARE_RUNS_INPUT = z.strictObject({
  against: z
    .string()
    .max(100)
    .describe('The recording to compare with (default "passing").')
    .optional(),
  from_step: stepNumber
    .describe('Only divergences at or after this step of the failing run (to page on).')
    .optional(),
  limit: z
    .int()
    .min(0)
    .max(MAX_COMPARE_LIMIT)
    .describe('Divergences listed after the first (default 5).')
    .optional(),
});

function labelsFor(a: string, b: string): RunLabels {
  if (a === 'failing' && b === 'passing') return DEFAULT_LABELS;
  return { a: `the run "${a}"`, b: `the run "${b}"`, aShort: a, bShort: b };
}

export function compareRunsTool(
  ctx: ToolContext,
  args: z.output<typeof COMPARE_RUNS_INPUT>,
): ToolAnswerDraft {
  const runs: ReadonlyMap<string, Trace> = ctx.runs ?? new Map<string, Trace>();
  const self = ctx.runName ?? 'failing';
  const others = [...runs.keys()].filter((n) => n !== self);
  const against =
    args.against ?? (runs.has('passing') && self !== 'passing' ? 'passing' : others[0]);
  if (against === undefined)
    throw new ToolInputError('there is no passing run to compare with: only one recording is open');
  const other = runs.get(against);
  if (!other || against === self)
    throw new ToolInputError(
      `no other recording named "${against}"; recordings: ${[...runs.keys()].join(', ')}`,
    );
  const fromStep = args.from_step;
  let cmp;
  try {
    cmp = compareRuns(ctx.trace, other, {
      next: Math.min(args.limit ?? 5, MAX_COMPARE_LIMIT),
      ...(fromStep !== undefined ? { fromStep } : {}),
      tick: () => ctx.budget.tick(),
    });
  } catch (e) {
    if (!(e instanceof ToolInputError)) throw e;
    // The call's time bound (QueryBudget): paging does not shorten an alignment.
    throw new ToolInputError(
      `stopped after ${ctx.budget.ms / 1000} s: these two recordings (${ctx.trace.events.length} and ${other.events.length} events) are too large to compare in one call; compare shorter runs (record them with a smaller --max-events)`,
    );
  }
  let text = comparisonText(cmp, {
    labels: labelsFor(self, against),
    valueWidth: Math.min(ctx.limits.valueWidth, 200),
    value: (name, v) => ctx.values.value(name, v),
  });
  let truncated = false;
  const last = cmp.divergences[cmp.divergences.length - 1];
  const listedAll = cmp.places <= cmp.divergences.length;
  if (!listedAll && last?.a?.step != null)
    text += `\nAsk again with from_step=${last.a.step + 1} for the divergences after step (${last.a.step}).`;
  if (text.length > ctx.limits.maxChars) {
    text = `${text.slice(0, ctx.limits.maxChars)}\n…(answer bounded; ask with a smaller limit or a later from_step)`;
    truncated = true;
  }
  return { text, truncated: truncated || !listedAll };
}

export const COMPARE_RUNS: ToolSpec = defineTool({
  name: COMPARE_RUNS_NAME,
  title: 'Compare Runs',
  summary:
    'Where the failing recording parts from the passing run it is compared with (Tracefix: Compare with…, or Explain & Fix).',
  description: COMPARE_RUNS_DESCRIPTION,
  input: COMPARE_RUNS_INPUT,
  run: compareRunsTool,
});
