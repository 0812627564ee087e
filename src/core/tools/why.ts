// why: "why does `name` have this value at step k?" — the chain of steps and values that produced it
// (the recording's backward slice from where the value was made), nearest first, each with what it
// changed or returned, its source line, and which later step it feeds and how. Bounded in steps and
// depth; nothing is re-run.
import { changeParts } from '../render/changes';
import { failingEvent, sliceIndexOf } from '../slice/slice';
import { why, type WhyLink } from '../slice/why';
import { cut, stepRef, whereAt } from './format';
import { eventOfStep } from './state';
import { traceView, type TraceView } from './traceView';
import * as z from 'zod';
import { stepNumber } from './schema';
import { ToolInputError, type ToolAnswerDraft, type ToolContext } from './types';

export const WHY_MAX_STEPS = 60;
export const WHY_MAX_DEPTH = 40;

export const WHY_INPUT = z.strictObject({
  name: z
    .string()
    .max(300)
    .describe(
      'Variable name, a path into what it holds (self.count, rows[0]), or __return__ at a return step.',
    ),
  step: stepNumber
    .describe('The step (k) at which the value is asked about (default: the failing point).')
    .optional(),
  depth: z
    .int()
    .min(1)
    .max(WHY_MAX_DEPTH)
    .describe('Links to follow back at most (default 12).')
    .optional(),
  limit: z.int().min(1).max(WHY_MAX_STEPS).describe('Most steps to list (default 20).').optional(),
});

function linkText(view: TraceView, l: WhyLink): string {
  const link = l.link;
  if (!link) return 'the value asked about';
  const to = stepRef(view, link.from);
  switch (link.kind) {
    case 'data':
      return link.via === '__return__'
        ? `the line whose value ${to} returned`
        : `bound \`${link.via}\`, read by ${to}`;
    case 'object':
      return `wrote \`${link.via}\` (the same object), read by ${to}`;
    case 'receiver':
      return `last changed the object \`${link.via}\` is called on, at ${to}`;
    case 'return':
      return `${link.via}() returned it to ${to}`;
    case 'argument':
      return `read as an argument of ${link.via}() (its call ${to})`;
    case 'control':
      return `the branch (line ${link.via}) that made ${to} run`;
    case 'call':
      return `the call of ${link.via}() that ran ${to}`;
    case 'text':
      return `first made the text "${link.via}" that ${to} read`;
  }
}

/** What event i did, as the NExT text writes it (bounded), or its source line when it changed nothing. */
function didText(view: TraceView, ctx: ToolContext, i: number): string {
  const e = view.event(i);
  const changes = changeParts(e)
    .map((p) =>
      p.value === undefined
        ? p.head + p.tail
        : p.head + cut(ctx.values.value(p.name, p.value), ctx.limits) + p.tail,
    )
    .join('; ');
  const src = view.sourceLine(e.file, e.line)?.trim();
  const code = src ? `\`${src.length > 100 ? `${src.slice(0, 97)}...` : src}\`` : '';
  if (e.kind === 'call') return `call ${e.function}(${changes})`;
  return [code, changes].filter(Boolean).join('  ') || '(no change)';
}

export function whyValue(ctx: ToolContext, args: z.output<typeof WHY_INPUT>): ToolAnswerDraft {
  const view = traceView(ctx.trace);
  const name = args.name.trim();
  const stepArg = args.step;
  const idx = sliceIndexOf(ctx.trace);
  if (!idx.hasUses)
    throw new ToolInputError(
      'this recording has no statement data (recorded by an older Tracefix): record it again to ask why',
    );
  const event = stepArg === undefined ? failingEvent(ctx.trace, idx) : eventOfStep(view, stepArg);
  if (event < 0) throw new ToolInputError('the recording has no events');
  const maxSteps = Math.min(args.limit ?? 20, WHY_MAX_STEPS);
  const maxDepth = Math.min(args.depth ?? 12, WHY_MAX_DEPTH);
  const answer = why(ctx.trace, { name, event, maxSteps, maxDepth });
  const at = `${stepRef(view, event)} ${whereAt(view, event)}`;
  if (answer.origin < 0) {
    const names = new Set<string>();
    const e = view.event(event);
    for (const n of Object.keys(e.changed)) names.add(n);
    return {
      text: `\`${name}\` has no recorded value at ${at}: it is not a name bound in that call (nor in its callers or module) at that point.${names.size ? ` Names changed there: ${[...names].join(', ')}.` : ''} Ask about a name of the frame, a path into what it holds (self.count, rows[]), or __return__ at a return step.`,
      error: true,
    };
  }
  const out = [
    `Why \`${name}\` has its value at ${at} — the steps that produced it, nearest first:`,
  ];
  for (const l of answer.links) {
    const indent = '  '.repeat(Math.min(l.depth, 6));
    out.push(
      `${indent}${stepRef(view, l.event)} ${whereAt(view, l.event)} ${didText(view, ctx, l.event)} — ${linkText(view, l)}`,
    );
  }
  if (answer.more || answer.deeper) {
    const parts: string[] = [];
    if (answer.more) parts.push(`${answer.more} more steps within depth ${maxDepth} not listed`);
    if (answer.deeper) parts.push('the chain goes on further back');
    out.push(`(${parts.join('; ')}: ask why about one of the values above, or raise limit/depth.)`);
  }
  const g = view.gap;
  if (g)
    out.push(
      'Note: part of this long run was not recorded; links through that stretch may be missing.',
    );
  return { text: out.join('\n'), truncated: answer.more > 0 || answer.deeper };
}
