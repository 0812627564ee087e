// state_at_step: all locals of the frame a step ran in, after that step, and the call stack with
// each caller's line and locals at the time. Rebuilt from the recorded changes (trace/locals.ts).
import { changesText } from '../render/changes';
import { localsAt } from '../trace/locals';
import { cut, gapSentence, stepRef } from './format';
import type { TraceView } from './traceView';
import { traceView } from './traceView';
import * as z from 'zod';
import { stepNumber } from './schema';
import { ToolInputError, type ToolAnswerDraft, type ToolContext } from './types';

export const STATE_AT_STEP_INPUT = z.strictObject({
  step: stepNumber.describe('Step number k, as written (k) in the NExT text and in tool answers.'),
});

/** Stack depth shown (innermost first); deeper callers are counted. */
const MAX_STACK = 12;
/** Locals listed per caller frame (the frame of the step lists all that fit). */
const CALLER_LOCALS = 12;

/** The event index of step `step`, or a ToolInputError saying why there is none. */
export function eventOfStep(view: TraceView, step: number): number {
  const i = view.indexOfStep(step);
  if (i !== undefined) return i;
  if (view.stepInGap(step))
    throw new ToolInputError(
      `step (${step}) is in the part of the long run that was not recorded: ${gapSentence(view) ?? ''}. Ask about a step before or after it.`,
    );
  if (view.maxStep < 0) throw new ToolInputError('the recording has no steps');
  throw new ToolInputError(
    `there is no step (${step}); recorded steps run from (${view.minStep}) to (${view.maxStep})`,
  );
}

export function localsText(
  ctx: ToolContext,
  locals: Record<string, string>,
  max = Infinity,
): string {
  const names = Object.keys(locals);
  const shown = names
    .slice(0, max)
    .map((n) => `${n}=${cut(ctx.values.value(n, locals[n] ?? ''), ctx.limits)}`);
  if (names.length > max) shown.push(`…(${names.length - max} more)`);
  return shown.length ? shown.join('; ') : '(none)';
}

export function stateAtStep(
  ctx: ToolContext,
  args: z.output<typeof STATE_AT_STEP_INPUT>,
): ToolAnswerDraft {
  const view = traceView(ctx.trace);
  const step = args.step;
  const i = eventOfStep(view, step);
  const e = view.event(i);
  const out: string[] = [];
  const changed = changesText(e, { width: ctx.limits.valueWidth });
  out.push(
    `After step ${stepRef(view, i)}: ${e.kind} event at ${e.file}:${e.line} in ${view.frameLabel(e.callId)}${changed ? ` — it changed ${ctx.values.text(changed)}` : ''}.`,
  );
  const src = view.sourceLine(e.file, e.line);
  if (src) out.push(`Line ${e.line}: ${cut(ctx.values.text(src), ctx.limits)}`);
  out.push(`Locals of ${view.frameLabel(e.callId)}: ${localsText(ctx, localsAt(ctx.trace, i))}`);
  const stack: string[] = [];
  let callId = e.callId;
  let depth = 0;
  // A chain longer than the number of frames is a cycle (files are checked on load; traces built
  // in memory are not): stop there rather than loop.
  for (;;) {
    const site = depth <= view.frames.size ? view.callSite(callId) : undefined;
    if (!site) break;
    depth++;
    if (stack.length < MAX_STACK) {
      // The caller's locals as they were when it made the call.
      const first = view.frames.get(callId)?.events[0] ?? i;
      const at = view.frameEventAtOrBefore(site.callId, first);
      const locals = at >= 0 ? localsAt(ctx.trace, at) : {};
      const f = view.frames.get(site.callId);
      stack.push(
        `  ${view.frameLabel(site.callId)} at ${f?.file ?? '?'}:${site.line} (calling ${view.frameLabel(callId)}); locals: ${localsText(ctx, locals, CALLER_LOCALS)}`,
      );
    }
    callId = site.callId;
  }
  if (stack.length) {
    out.push('Callers (innermost first):');
    out.push(...stack);
    if (depth > stack.length) out.push(`  …(${depth - stack.length} outer callers)`);
  } else {
    out.push('No caller in your code (the outermost frame).');
  }
  const text = out.join('\n');
  if (text.length <= ctx.limits.maxChars) return { text };
  return {
    text: `${text.slice(0, ctx.limits.maxChars - 80)}\n…(answer cut at ${ctx.limits.maxChars} characters)`,
    truncated: true,
  };
}
