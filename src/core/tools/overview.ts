// trace_overview: what a recording is — the program, how it ended and why, its size, the functions
// that ran, the unrecorded gap of a long run — and the NExT-annotated code within a token budget.
// The entry point for agents that did not get the NExT text in their prompt (VS Code tools, MCP).
import { traceFailure, tracePassed } from '../verify/traceOutcome';
import { renderNext } from '../render/next';
import { gapSentence } from './format';
import { traceView } from './traceView';
import * as z from 'zod';
import type { ToolAnswerDraft, ToolContext } from './types';

export const DEFAULT_OVERVIEW_BUDGET = 2500;
export const MAX_OVERVIEW_BUDGET = 12_000;

export const TRACE_OVERVIEW_INPUT = z.strictObject({
  next_budget: z
    .int()
    .min(0)
    .max(MAX_OVERVIEW_BUDGET)
    .describe('Tokens of NExT text to include (default 2500; 0: none).')
    .optional(),
});

export function traceOverview(
  ctx: ToolContext,
  args: z.output<typeof TRACE_OVERVIEW_INPUT>,
): ToolAnswerDraft {
  const trace = ctx.trace;
  const view = traceView(trace);
  const o = trace.outcome;
  const budget = Math.min(
    Math.max(args.next_budget ?? DEFAULT_OVERVIEW_BUDGET, 0),
    MAX_OVERVIEW_BUDGET,
  );
  const p = trace.program;
  const what =
    p.kind === 'pytest'
      ? `pytest ${p.target}`
      : p.kind === 'module'
        ? `python -m ${p.target}`
        : `python ${p.target}`;
  const out: string[] = [
    `Recording of \`${what}${p.args.length ? ` ${p.args.join(' ')}` : ''}\` (Python ${trace.interpreter.version}, root ${p.root}).`,
  ];
  const passed = tracePassed(trace);
  out.push(
    passed
      ? `Outcome: passed (${o.status}, exit code ${o.exitCode ?? '?'}).`
      : `Outcome: failed — ${ctx.values.text(traceFailure(trace))}.`,
  );
  if (o.exception)
    out.push(
      `Exception: ${ctx.values.text(o.exception.repr)} at ${o.exception.file ?? '?'}:${o.exception.line ?? '?'}.`,
    );
  if (o.partial)
    out.push(
      `The recording is partial (${o.status}${o.message ? `: ${ctx.values.text(o.message)}` : ''}).`,
    );
  out.push(
    `${o.eventCount} events, ${view.maxStep < 0 ? 'no steps' : `steps (${view.minStep})–(${view.maxStep})`}, ${view.frames.size} calls.`,
  );
  const counts = new Map<string, number>();
  for (const f of view.frames.values()) {
    const key = `${f.function === '<module>' ? '<module>' : f.function} (${f.file})`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const fns = [...counts].sort((a, b) => b[1] - a[1]);
  out.push(
    `Functions that ran: ${fns
      .slice(0, 25)
      .map(([k, n]) => (n > 1 ? `${k} ×${n}` : k))
      .join(', ')}${fns.length > 25 ? `, +${fns.length - 25} more` : ''}.`,
  );
  const g = gapSentence(view);
  if (g) out.push(`Long run: ${g}.`);
  if (budget > 0) {
    const next = renderNext(trace, { budget });
    out.push(
      `NExT text (${next.tokens} tokens; \`# (k) name=value;\` after each line that ran, k the step number):`,
    );
    out.push(ctx.values.text(next.text));
  }
  // The NExT text is bounded by its own budget, not by maxChars.
  return { text: out.join('\n') };
}
