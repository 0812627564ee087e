// "Tracefix: Why This Value?": the why-chain of a recorded value (core/render/whyChain) highlighted in
// the timeline and the code. From a hover's "why?" link it names the value (`{ eventIndex, name }`);
// from the palette it offers the values recorded on the cursor's line, latest first.
import * as vscode from 'vscode';
import { hoverRows } from '../../core/render/hover';
import { clip } from '../../core/render/valueHistory';
import { stepLabel, whyChain } from '../../core/render/whyChain';
import type { Ctx } from '../context';

const NO_TRACE = 'No trace yet: run "Tracefix: Trace Only" or "Tracefix: Explain & Fix" first.';
/** Values offered by the palette's pick at most (the latest executions of the line). */
const MAX_PICKS = 60;

interface WhyArg {
  eventIndex: number;
  name: string;
}

function whyArgOf(arg: unknown): WhyArg | undefined {
  const a = arg as Partial<WhyArg> | undefined;
  return a && Number.isInteger(a.eventIndex) && typeof a.name === 'string' && a.name.trim()
    ? { eventIndex: a.eventIndex as number, name: a.name.trim() }
    : undefined;
}

export async function whyCommand(ctx: Ctx, arg: unknown): Promise<void> {
  const trace = ctx.store.trace;
  if (!trace) {
    void ctx.notifier.show('info', NO_TRACE);
    return;
  }
  const q = whyArgOf(arg) ?? (await pickAtCursor(ctx));
  if (!q) return;
  const chain = whyChain(trace, q.name, q.eventIndex);
  if ('error' in chain) {
    void ctx.notifier.show('info', chain.error);
    return;
  }
  await ctx.timeline.showWhy(chain);
}

/** A value recorded on the active editor's line, picked by the user (undefined: none or cancelled). */
async function pickAtCursor(ctx: Ctx): Promise<WhyArg | undefined> {
  const trace = ctx.store.trace;
  const editor = vscode.window.activeTextEditor;
  const m = editor && ctx.store.lineMap(editor.document);
  const line = m && editor ? m.map.toOriginal(editor.selection.active.line + 1) : undefined;
  if (!trace || !m || line === undefined) {
    void ctx.notifier.show(
      'info',
      'Put the cursor on a traced line (or use the "why?" link of a value in its hover).',
    );
    return undefined;
  }
  const items: (vscode.QuickPickItem & WhyArg)[] = [];
  const rows = hoverRows(trace, m.file.rel, line);
  for (let r = rows.length - 1; r >= 0 && items.length < MAX_PICKS; r--) {
    const row = rows[r]!;
    for (const [name, value] of row.changed)
      items.push({
        label: `${name} = ${clip(value.replace(/\s*\n\s*/g, ' '), 80)}`,
        description: `${stepLabel(trace, row.eventIndex)} ${row.function} #${row.callIndex}`,
        eventIndex: row.eventIndex,
        name,
      });
  }
  if (items.length === 0) {
    void ctx.notifier.show('info', `No value was recorded on line ${line} of ${m.file.rel}.`);
    return undefined;
  }
  return vscode.window.showQuickPick(items, {
    title: 'Tracefix: why does this value have it?',
    placeHolder: 'A value recorded on this line (latest first)',
  });
}
