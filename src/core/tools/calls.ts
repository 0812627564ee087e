// calls: the call tree of a recording — the callers of a step and the calls its frame made, every
// call of one function (arguments, result, caller), or the tree from the top, depth-limited.
import * as z from 'zod';
import {
  BoundedList,
  cut,
  functionMatches,
  functionNames,
  gapSentence,
  itemLimit,
  stepRef,
} from './format';
import { fromStep, functionName, limit, stepNumber } from './schema';
import { eventOfStep } from './state';
import type { TraceView } from './traceView';
import { traceView } from './traceView';
import { MAX_ITEMS, ToolInputError, type ToolAnswerDraft, type ToolContext } from './types';

export const CALLS_INPUT = z.strictObject({
  step: stepNumber
    .describe('A step number: show the call it ran in, its callers and the calls it made.')
    .optional(),
  function: functionName.describe('List every call of this function.').optional(),
  depth: z
    .int()
    .min(1)
    .max(12)
    .describe('Levels of the tree from the top (default 3; without step and function).')
    .optional(),
  from_step: fromStep.optional(),
  limit: limit.optional(),
});

/** Consecutive calls of one function listed before the rest of the run is counted. */
const RUN_HEAD = 4;

/** `spread#1(values=[3, 5, 8]) → 8, steps (1)–(9)`: one call, as far as it was recorded. */
export function callSummary(view: TraceView, ctx: ToolContext, callId: number): string {
  const f = view.frames.get(callId);
  if (!f) return '?';
  const first = f.events[0] ?? 0;
  const last = f.events[f.events.length - 1] ?? first;
  let args = '';
  if (view.kindAt(first) === 'call') {
    const bound: string[] = [];
    view.eachChange(first, (n, v) => {
      if (v !== undefined)
        bound.push(
          `${n}=${cut(ctx.values.value(n, v), { ...ctx.limits, valueWidth: Math.min(ctx.limits.valueWidth, 80) })}`,
        );
    });
    args = bound.join(', ');
  }
  const kind = view.kindAt(last);
  let result: string;
  if (kind === 'return' && f.function !== '<module>')
    result = ` → ${cut(ctx.values.value('__return__', view.event(last).value ?? 'None'), ctx.limits)}`;
  else if (kind === 'return') result = '';
  else if (kind === 'exception')
    result = ` raised ${view.event(last).exception?.type ?? 'an exception'}`;
  else if (kind === 'yield')
    result = ` yielded ${cut(ctx.values.value('__yield__', view.event(last).value ?? 'None'), ctx.limits)} (last recorded)`;
  else result = ' (still running when the recording ended)';
  const label = view.frameLabel(callId);
  const head = f.function === '<module>' ? label : `${label}(${args})`;
  return `${head}${result}, steps ${stepRef(view, first)}–${stepRef(view, last)}`;
}

function siteText(view: TraceView, callId: number): string {
  const site = view.callSite(callId);
  if (!site) return 'no caller in your code';
  return `called from ${view.frames.get(site.callId)?.file ?? '?'}:${site.line} in ${view.frameLabel(site.callId)}`;
}

export function calls(ctx: ToolContext, args: z.output<typeof CALLS_INPUT>): ToolAnswerDraft {
  const view = traceView(ctx.trace);
  const step = args.step;
  const fn = args.function;
  if (step !== undefined && fn !== undefined)
    throw new ToolInputError('give step or function, not both');
  const list = new BoundedList(
    itemLimit(args.limit, ctx.limits, MAX_ITEMS),
    ctx.limits.maxChars - 600,
  );
  const out: string[] = [];
  if (step !== undefined) {
    const i = eventOfStep(view, step);
    const callId = view.callIdAt(i);
    const chain: string[] = [];
    for (let c = view.callSite(callId); c && chain.length < 30; c = view.callSite(c.callId))
      chain.push(
        `${view.frameLabel(c.callId)} (${view.frames.get(c.callId)?.file ?? '?'}:${c.line})`,
      );
    out.push(`Step ${stepRef(view, i)} ran in ${callSummary(view, ctx, callId)}.`);
    out.push(
      chain.length
        ? `Callers, innermost first: ${chain.join(' ← ')}.`
        : 'It has no caller in your code.',
    );
    const children = view.frames.get(callId)?.children ?? [];
    out.push(
      children.length ? `Calls it made (${children.length}):` : 'It made no calls into your code.',
    );
    listCalls(view, ctx, children, list, 0, 1, view.indexFromStep(args.from_step));
  } else if (fn !== undefined) {
    const from = view.indexFromStep(args.from_step);
    const matching = [...view.frames.values()].filter((f) => functionMatches(f.function, fn));
    if (!matching.length)
      throw new ToolInputError(
        `no call of ${fn} was recorded; functions that ran: ${functionNames(view).slice(0, 40).join(', ')}`,
      );
    out.push(`Calls of ${fn}: ${matching.length} recorded.`);
    for (const f of matching) {
      ctx.budget.tick();
      const last = f.events[f.events.length - 1] ?? 0;
      if (last < from) continue;
      list.add(
        () => `${callSummary(view, ctx, f.callId)}; ${siteText(view, f.callId)}`,
        view.stepAt(f.events[0] ?? 0) ?? view.stepAtOrBefore(f.events[0] ?? 0),
      );
    }
  } else {
    const depth = Math.min(Math.max(args.depth ?? 3, 1), 12);
    out.push(
      `Call tree (${view.frames.size} calls recorded; ${depth} level${depth === 1 ? '' : 's'} shown):`,
    );
    listCalls(view, ctx, view.roots, list, 0, depth, view.indexFromStep(args.from_step));
  }
  if (list.items) out.push(list.text());
  const more = list.more('calls');
  if (more) out.push(more);
  const gap = gapSentence(view);
  if (gap) out.push(`Note: ${gap}; calls made then are not in this list.`);
  return { text: out.join('\n'), truncated: list.left > 0 };
}

/** Lists `ids` (and their calls, to `maxDepth`) indented; long runs of one function are counted. */
function listCalls(
  view: TraceView,
  ctx: ToolContext,
  ids: readonly number[],
  list: BoundedList,
  depth: number,
  maxDepth: number,
  from: number,
): void {
  const pad = '  '.repeat(depth + 1);
  let k = 0;
  while (k < ids.length) {
    const id = ids[k] as number;
    const fn = view.frames.get(id)?.function;
    let end = k + 1;
    while (end < ids.length && view.frames.get(ids[end] as number)?.function === fn) end++;
    // A run of calls of one function: the first few, the last, and a count for the rest.
    const run = ids.slice(k, end);
    const shown =
      run.length > RUN_HEAD + 1 ? [...run.slice(0, RUN_HEAD), run[run.length - 1] as number] : run;
    for (const c of shown) {
      if (c === run[run.length - 1] && run.length > RUN_HEAD + 1)
        list.add(`${pad}…(${run.length - RUN_HEAD - 1} more calls of ${fn ?? '?'})`, null);
      const f = view.frames.get(c);
      const last = f?.events[f.events.length - 1] ?? 0;
      if (last < from) continue;
      list.add(() => `${pad}${callSummary(view, ctx, c)}`, view.stepAtOrBefore(f?.events[0] ?? 0));
      if (depth + 1 < maxDepth && f?.children.length)
        listCalls(view, ctx, f.children, list, depth + 1, maxDepth, from);
    }
    k = end;
  }
}
