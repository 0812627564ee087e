// line_executions: every recorded execution of one source line — its step (or the step before it,
// when it changed nothing), the call it ran in and what it changed — and how often it ran in the
// unrecorded gap of a long run.
import * as z from 'zod';
import { changesText } from '../render/changes';
import { BoundedList, cut, itemLimit, matchFiles, stepRef } from './format';
import { fileName, fromStep, limit, lineNumber } from './schema';
import { traceView } from './traceView';
import { MAX_ITEMS, ToolInputError, type ToolAnswerDraft, type ToolContext } from './types';

export const LINE_EXECUTIONS_INPUT = z.strictObject({
  line: lineNumber.describe('1-based line number.'),
  file: fileName
    .describe('The file (needed when several recorded files ran that line).')
    .optional(),
  from_step: fromStep.optional(),
  limit: limit.optional(),
});

export function lineExecutions(
  ctx: ToolContext,
  args: z.output<typeof LINE_EXECUTIONS_INPUT>,
): ToolAnswerDraft {
  const view = traceView(ctx.trace);
  const line = args.line;
  const fileGiven = args.file;
  let files = matchFiles(view, fileGiven);
  if (!files) {
    // Without a file: the files where this line ran; more than one is ambiguous.
    const ran = new Set<string>();
    for (const f of view.frames.values())
      for (const i of f.events)
        if (view.lineAt(i) === line && view.kindAt(i) !== 'call') ran.add(f.file);
    for (const [f, lines] of view.gap?.lines ?? []) if (lines.has(line)) ran.add(f);
    if (ran.size > 1)
      throw new ToolInputError(
        `line ${line} ran in several files (${[...ran].join(', ')}): give file`,
      );
    if (ran.size === 0) {
      // It never ran: the recorded files that have such a line.
      const having = ctx.trace.sources
        .filter((s) => s.text.split('\n').length >= line)
        .map((s) => s.path);
      if (having.length > 1)
        throw new ToolInputError(
          `line ${line} never ran in any recorded file; give file to ask about one (${having.slice(0, 20).join(', ')})`,
        );
      for (const f of having) ran.add(f);
    }
    files = ran;
  }
  if (files.size > 1)
    throw new ToolInputError(
      `"${fileGiven ?? ''}" matches several files (${[...files].join(', ')}): give the path as recorded`,
    );
  const file = [...files][0];
  const from = view.indexFromStep(args.from_step);
  const list = new BoundedList(
    itemLimit(args.limit, ctx.limits, MAX_ITEMS),
    ctx.limits.maxChars - 600,
  );
  let before = 0;
  let total = 0;
  for (let i = 0; i < view.length && file !== undefined; i++) {
    ctx.budget.tick();
    // The call event sits on the def line (its bindings); it is not an execution of a body line.
    if (view.lineAt(i) !== line || view.kindAt(i) === 'call' || view.fileAt(i) !== file) continue;
    total++;
    if (i < from) {
      before++;
      continue;
    }
    list.add(
      () => {
        const e = view.stepAt(i) !== null ? view.event(i) : undefined;
        const changed = e ? changesText(e, { width: ctx.limits.valueWidth }) : '';
        const kind = view.kindAt(i);
        const what = changed ? ctx.values.text(changed) : kind === 'line' ? 'no change' : kind;
        return `${stepRef(view, i)} ${view.frameLabel(view.callIdAt(i))}: ${what}`;
      },
      view.stepAt(i) ?? view.stepAtOrBefore(i),
    );
  }
  const gapRuns = file !== undefined ? (view.gap?.lines.get(file)?.get(line) ?? 0) : 0;
  const out: string[] = [];
  const src = file !== undefined ? view.sourceLine(file, line) : undefined;
  const label = `${file ?? fileGiven ?? '?'}:${line}`;
  if (total === 0 && gapRuns === 0) {
    out.push(
      `${label} never ran in the recording${src ? ` (${cut(ctx.values.text(src), ctx.limits)})` : ''}.`,
    );
  } else {
    out.push(
      `${label}${src ? ` \`${cut(ctx.values.text(src), ctx.limits)}\`` : ''}: ${total} execution${total === 1 ? '' : 's'} recorded${before ? ` (${before} before the requested step not listed)` : ''}:`,
    );
    if (list.items) out.push(list.text());
    const more = list.more('executions');
    if (more) out.push(more);
  }
  if (gapRuns > 0 && view.gap) {
    out.push(
      `It also ran ${gapRuns} times in the part of the long run that was not recorded, between step (${view.gap.before ?? '?'}) and step (${view.gap.after ?? '?'}): what it did then is unknown.`,
    );
  }
  return { text: out.join('\n'), truncated: list.left > 0 };
}
