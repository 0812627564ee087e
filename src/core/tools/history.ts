// variable_history: every recorded change of one variable (bindings, deletions, changes inside a
// value too large to print, return values for `__return__`), optionally in one function, file or
// line range; paged by step. Says when the variable's lines also ran in the unrecorded gap.
import { deltaText } from '../trace/model';
import {
  BoundedList,
  cut,
  functionMatches,
  gapSentence,
  itemLimit,
  matchFiles,
  stepRef,
  whereAt,
} from './format';
import type { TraceView } from './traceView';
import { traceView } from './traceView';
import * as z from 'zod';
import { fileName, fromStep, functionName, limit, lineNumber } from './schema';
import { MAX_ITEMS, type ToolAnswerDraft, type ToolContext } from './types';

export const VARIABLE_HISTORY_INPUT = z.strictObject({
  name: z
    .string()
    .max(300)
    .describe(
      'Variable name, a path into a value as recorded (memo[3], self.count), or __return__.',
    ),
  function: functionName.optional(),
  file: fileName.optional(),
  line_from: lineNumber.describe('Only changes made on this line or later.').optional(),
  line_to: lineNumber.describe('Only changes made on this line or earlier.').optional(),
  from_step: fromStep.optional(),
  limit: limit.optional(),
});

interface Scope {
  files?: Set<string>;
  fn?: string;
  lineFrom?: number;
  lineTo?: number;
}

function inScope(view: TraceView, i: number, s: Scope): boolean {
  const f = view.frames.get(view.callIdAt(i));
  if (!f || !functionMatches(f.function, s.fn)) return false;
  if (s.files && !s.files.has(f.file)) return false;
  const line = view.lineAt(i);
  return (
    (s.lineFrom === undefined || line >= s.lineFrom) && (s.lineTo === undefined || line <= s.lineTo)
  );
}

function scopeText(s: Scope, fnGiven: string | undefined, fileGiven: string | undefined): string {
  const parts: string[] = [];
  if (fnGiven) parts.push(`in ${fnGiven}`);
  if (fileGiven) parts.push(`in ${fileGiven}`);
  if (s.lineFrom !== undefined || s.lineTo !== undefined)
    parts.push(`on lines ${s.lineFrom ?? 1}-${s.lineTo ?? '…'}`);
  return parts.length ? ` ${parts.join(' ')}` : '';
}

const PSEUDO: Record<string, 'return' | 'yield' | 'exception'> = {
  __return__: 'return',
  __yield__: 'yield',
  __exception__: 'exception',
};

/** Does event i change `name` (cheap: no value is redacted or formatted)? */
function changes(view: TraceView, i: number, name: string): boolean {
  const kind = PSEUDO[name];
  if (kind)
    return (
      view.kindAt(i) === kind &&
      (kind === 'exception' || view.frames.get(view.callIdAt(i))?.function !== '<module>')
    );
  let hit = false;
  view.eachChange(i, (n) => {
    if (n === name) hit = true;
  });
  if (hit) return true;
  return (view.event(i).deltas ?? []).some(
    (d) => d.path === name || d.path.startsWith(`${name}[`) || d.path.startsWith(`${name}.`),
  );
}

/** What event i did to `name` ('' when nothing), as `name=value` / `del name` / a delta. */
function changeOf(view: TraceView, ctx: ToolContext, i: number, name: string): string {
  const kind = PSEUDO[name];
  if (kind) {
    if (view.kindAt(i) !== kind) return '';
    const e = view.event(i);
    if (kind === 'exception')
      return `${name} = ${cut(ctx.values.text(e.exception?.repr ?? 'Exception()'), ctx.limits)}`;
    if (e.function === '<module>') return '';
    return `${name}=${cut(ctx.values.value(name, e.value ?? 'None'), ctx.limits)}`;
  }
  let out = '';
  view.eachChange(i, (n, v) => {
    if (n !== name) return;
    out = v === undefined ? `del ${name}` : `${name}=${cut(ctx.values.value(name, v), ctx.limits)}`;
  });
  if (out) return out;
  const e = view.stepAt(i) !== null ? view.event(i) : undefined;
  const deltas = (e?.deltas ?? []).filter(
    (d) => d.path === name || d.path.startsWith(`${name}[`) || d.path.startsWith(`${name}.`),
  );
  return deltas
    .map((d) =>
      d.value === undefined || d.op === 'more'
        ? deltaText(d)
        : deltaText({ ...d, value: cut(ctx.values.value(d.path, d.value), ctx.limits) }),
    )
    .join('; ');
}

export function variableHistory(
  ctx: ToolContext,
  args: z.output<typeof VARIABLE_HISTORY_INPUT>,
): ToolAnswerDraft {
  const view = traceView(ctx.trace);
  const name = args.name.trim();
  const fnGiven = args.function;
  const fileGiven = args.file;
  const scope: Scope = {
    files: matchFiles(view, fileGiven),
    fn: fnGiven,
    lineFrom: args.line_from,
    lineTo: args.line_to,
  };
  const from = view.indexFromStep(args.from_step);
  const list = new BoundedList(
    itemLimit(args.limit, ctx.limits, MAX_ITEMS),
    ctx.limits.maxChars - 600,
  );
  const changeLines = new Set<string>();
  const namesSeen = new Set<string>();
  let before = 0;
  for (let i = 0; i < view.length; i++) {
    ctx.budget.tick();
    if (view.stepAt(i) === null || !inScope(view, i, scope)) continue;
    if (!changes(view, i, name)) {
      if (namesSeen.size < 200) view.eachChange(i, (n) => namesSeen.add(n));
      continue;
    }
    changeLines.add(`${view.fileAt(i)}:${view.lineAt(i)}`);
    if (i < from) {
      before++;
      continue;
    }
    list.add(
      () => `${stepRef(view, i)} ${whereAt(view, i)} ${changeOf(view, ctx, i, name)}`,
      view.stepAt(i),
    );
  }
  const where = scopeText(scope, fnGiven, fileGiven);
  const total = list.count + before;
  const head =
    total === 0
      ? `No change of \`${name}\` was recorded${where}.`
      : `History of \`${name}\`${where}: ${total} change${total === 1 ? '' : 's'} recorded${before ? ` (${before} before the requested step not listed)` : ''}:`;
  const out = [head];
  if (list.items) out.push(list.text());
  const more = list.more('changes');
  if (more) out.push(more);
  if (total === 0 && namesSeen.size)
    out.push(`Names changed${where}: ${[...namesSeen].slice(0, 40).join(', ')}.`);
  const gap = gapNote(view, changeLines, scope);
  if (gap) out.push(gap);
  return { text: out.join('\n'), truncated: list.left > 0 };
}

/** What the unrecorded gap means for this variable: lines that change it ran there N times. */
function gapNote(view: TraceView, changeLines: Set<string>, scope: Scope): string | undefined {
  const sentence = gapSentence(view);
  const g = view.gap;
  if (!sentence || !g) return undefined;
  const hits: string[] = [];
  let runs = 0;
  for (const [file, lines] of g.lines) {
    if (scope.files && !scope.files.has(file)) continue;
    for (const [line, count] of lines) {
      if (!changeLines.has(`${file}:${line}`)) continue;
      hits.push(`${file}:${line} ×${count}`);
      runs += count;
    }
  }
  if (hits.length)
    return `Note: ${sentence}. Lines that change it ran ${runs} more times there (${hits.slice(0, 10).join(', ')}): its values in that stretch are unknown, not unchanged.`;
  return `Note: ${sentence}; none of the lines recorded changing it ran there.`;
}
