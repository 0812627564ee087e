// find_first: the first step at which a condition on recorded values holds in the frame that ran it
// (see condition.ts for the language), optionally in one function / file and from a step on. The
// locals of every frame are followed through the run; the condition is tested after each step that
// changed a name it reads (and once per frame when the search starts), on redacted values only.
import * as z from 'zod';
import { localsAt } from '../trace/locals';
import { conditionNames, evaluate, parseCondition } from './condition';
import { cut, functionMatches, gapSentence, matchFiles, stepRef, whereAt } from './format';
import { fileName, fromStep, functionName } from './schema';
import { traceView } from './traceView';
import type { ToolAnswerDraft, ToolContext } from './types';

export const FIND_FIRST_INPUT = z.strictObject({
  condition: z.string().max(500).describe("e.g. low > 0 and v == 3, or total contains 'nan'"),
  function: functionName.optional(),
  file: fileName.optional(),
  from_step: fromStep.describe('Search from this step on (to find later occurrences).').optional(),
});

const PSEUDO = new Set(['__return__', '__yield__', '__exception__']);
/** Further matching steps named after the first. */
const ALSO = 5;

const norm = (path: string): string => path.replace(/\s+/g, '');

export function findFirst(
  ctx: ToolContext,
  args: z.output<typeof FIND_FIRST_INPUT>,
): ToolAnswerDraft {
  const view = traceView(ctx.trace);
  const source = args.condition;
  const cond = parseCondition(source);
  const names = conditionNames(cond);
  const wantsPaths = [...names].some((n) => /[.[]/.test(n));
  const fn = args.function;
  const files = matchFiles(view, args.file);
  const start = view.indexFromStep(args.from_step);
  const gap = view.gap;
  const baselines: Record<number, Record<string, string>> = ctx.trace.elided?.frames ?? {};
  const frames = new Map<number, Map<string, string>>();
  const started = new Set<number>();
  const found: number[] = [];
  let total = 0;
  for (let i = 0; i < view.length; i++) {
    ctx.budget.tick();
    const callId = view.callIdAt(i);
    if (gap && i === gap.at) {
      // Frames running across the gap continue from their state at the gap.
      for (const [id, locals] of Object.entries(baselines))
        frames.set(Number(id), new Map<string, string>(Object.entries(locals)));
    }
    let state = frames.get(callId);
    if (!state) frames.set(callId, (state = new Map<string, string>()));
    let touched = false;
    const s = state;
    view.eachChange(i, (n, v) => {
      if (v === undefined) s.delete(n);
      else s.set(n, v);
      if (names.has(n)) touched = true;
    });
    const kind = view.kindAt(i);
    const event =
      (wantsPaths && view.stepAt(i) !== null) || (kind !== 'line' && kind !== 'call')
        ? view.event(i)
        : undefined;
    for (const d of event?.deltas ?? []) {
      const key = norm(d.path);
      if (d.op === '=') s.set(key, d.value ?? '');
      else if (d.op === 'del') s.delete(key);
      if (names.has(key)) touched = true;
    }
    if (kind === 'return' || kind === 'yield' || kind === 'exception') {
      if (
        names.has(
          kind === 'return' ? '__return__' : kind === 'yield' ? '__yield__' : '__exception__',
        )
      )
        touched = true;
    }
    const f = view.frames.get(callId);
    const eligible =
      i >= start &&
      f !== undefined &&
      functionMatches(f.function, fn) &&
      (!files || files.has(f.file));
    if (eligible && (touched || names.size === 0 || !started.has(callId))) {
      started.add(callId);
      const lookup = (name: string): string | undefined => {
        if (PSEUDO.has(name)) {
          if (name === '__exception__')
            return kind === 'exception'
              ? ctx.values.text(event?.exception?.repr ?? 'Exception()')
              : undefined;
          if (
            (name === '__return__' && kind === 'return') ||
            (name === '__yield__' && kind === 'yield')
          )
            return ctx.values.value(name, event?.value ?? 'None');
          return undefined;
        }
        const raw = s.get(name) ?? s.get(norm(name));
        return raw === undefined ? undefined : ctx.values.value(name, raw);
      };
      if (evaluate(cond, lookup)) {
        total++;
        if (found.length <= ALSO) found.push(i);
      }
    }
    if (kind === 'return' || kind === 'exception') frames.delete(callId);
  }
  const out: string[] = [];
  const scope = `${fn ? ` in ${fn}` : ''}${files ? ` in ${[...files].join(', ')}` : ''}`;
  const searched = start > 0 ? ` (searching from step (${args.from_step ?? 0}) on)` : '';
  const first = found[0];
  if (first === undefined) {
    out.push(`\`${source}\` never holds${scope} in the recorded steps${searched}.`);
    const g = gapSentence(view);
    if (g) out.push(`Note: ${g}: it may hold in that stretch.`);
    return { text: out.join('\n') };
  }
  const e = view.event(first);
  out.push(
    `\`${source}\` first holds${scope} after step ${stepRef(view, first)}, at ${whereAt(view, first)}${searched}.`,
  );
  const src = view.sourceLine(e.file, e.line);
  if (src) out.push(`Line ${e.line}: ${cut(ctx.values.text(src), ctx.limits)}`);
  const read = [...names]
    .map((n) => {
      const v = PSEUDO.has(n) ? undefined : localsAt(ctx.trace, first)[n];
      return v === undefined ? undefined : `${n}=${cut(ctx.values.value(n, v), ctx.limits)}`;
    })
    .filter((x): x is string => x !== undefined);
  if (read.length) out.push(`Values then: ${read.join('; ')}`);
  if (found.length > 1) {
    const later = found
      .slice(1)
      .map((i) => stepRef(view, i))
      .join(', ');
    out.push(
      `It holds again after ${later}${total > found.length ? ` and ${total - found.length} more steps` : ''} (${total} in all; from_step=${(view.stepAtOrBefore(first) ?? 0) + 1} finds the next).`,
    );
  }
  if (gap && first >= gap.at)
    out.push(`Note: ${gapSentence(view) ?? ''}: it may already have held in that stretch.`);
  return { text: out.join('\n') };
}
