// The command table: what every command declared in contributes/commands.ts does (the type makes
// every declared command have a handler).
// Handlers are small; the work is done by the parts Ctx owns.
import * as vscode from 'vscode';
import { callerEvent } from '../core/render/hover';
import { COMMANDS, type CommandName } from './contributes/commands';
import type { CommandHandler, Ctx } from './context';
import type { FixArg } from './explain/fixActions';
import { askAndStoreApiKey } from './explain/providers';
import type { RunPlan } from './run/runPlan';
import { readSettings } from './settings';
import { whyCommand } from './editor/whyCommand';

const NO_TRACE_YET = 'No trace yet: run "Tracefix: Trace Only" or "Tracefix: Explain & Fix" first.';

/** Command id → handler, for `ctx.registerCommands`. Every command has one (the type says so). */
export function createCommands(ctx: Ctx): Record<string, CommandHandler> {
  const fix =
    (action: 'apply' | 'preview' | 'undo' | 'showPrompt') =>
    (arg: unknown): Promise<void> =>
      ctx.explain.guard((fixes) => fixes[action](arg as FixArg | undefined));
  const table: Record<CommandName, CommandHandler> = {
    explainAndFix: (arg) => ctx.runner.run('explain', arg),
    traceOnly: (arg) => ctx.runner.run('trace', arg),
    rerun: (arg) => ctx.runner.rerun((arg as { plan?: RunPlan } | undefined)?.plan),
    clearTrace: () => ctx.store.clear(),
    chooseTarget: () => ctx.targets.choose(),
    showTimeline: (arg) => showTimeline(ctx, eventIndexOf(arg)),
    setApiKey: () => setApiKey(ctx),
    showLog: () => ctx.log.show(),
    goToCaller: (arg) => goToCaller(ctx, eventIndexOf(arg)),
    replayTrace: (arg) => ctx.replay.replayTraceCommand(arg),
    saveTrace: (arg) => ctx.replay.saveTraceCommand(arg),
    replayFromStep: (arg) => ctx.replay.replayFromStep(eventIndexOf(arg)),
    applyFix: fix('apply'),
    previewFix: fix('preview'),
    undoFix: fix('undo'),
    showPrompt: fix('showPrompt'),
    showExplanation: () => ctx.explain.showExplanation(),
    sandboxChoice: (choice) =>
      ctx.explain.consent.set(choice === 'allow' || choice === 'deny' ? choice : undefined),
    compareWith: (arg) => ctx.compare.compareWith(arg),
    stopComparing: () => ctx.compare.stop(),
    why: (arg) => whyCommand(ctx, arg),
    clearWhy: () => ctx.timeline.clearWhy(),
  };
  return Object.fromEntries(
    Object.entries(table).map(([name, handler]) => [COMMANDS[name as CommandName], handler]),
  );
}

async function showTimeline(ctx: Ctx, index: number | undefined): Promise<void> {
  if (!ctx.store.trace) {
    void ctx.notifier.show('info', NO_TRACE_YET);
    return;
  }
  await ctx.timeline.show(index);
}

async function goToCaller(ctx: Ctx, index: number | undefined): Promise<void> {
  const trace = ctx.store.trace;
  const e = index === undefined ? undefined : trace?.events.at(index);
  const caller = trace && e ? callerEvent(trace, e) : undefined;
  if (!caller) {
    void ctx.notifier.show('info', 'That step has no caller in user code.');
    return;
  }
  if (ctx.timeline.isOpen) await ctx.timeline.select(caller.index);
  const file = ctx.store.fileByRel(caller.file);
  if (!file) return;
  const editor = await vscode.window.showTextDocument(file.uri, { preview: true });
  const line = ctx.store.lineMap(editor.document)?.map.toCurrent(caller.line);
  if (line === undefined) return;
  const pos = new vscode.Position(
    line - 1,
    editor.document.lineAt(line - 1).firstNonWhitespaceCharacterIndex,
  );
  editor.selection = new vscode.Selection(pos, pos);
  editor.revealRange(
    new vscode.Range(pos, pos),
    vscode.TextEditorRevealType.InCenterIfOutsideViewport,
  );
}

/** The key belongs to the configured endpoint (stored per base URL): never sent elsewhere. */
async function setApiKey(ctx: Ctx): Promise<void> {
  await askAndStoreApiKey(
    ctx.extension.secrets,
    readSettings().baseUrl || undefined,
    (m) => void ctx.notifier.show('info', m),
  );
}

/** The step a hover link, a timeline button or a test names: `{ eventIndex }` or a number. */
function eventIndexOf(arg: unknown): number | undefined {
  if (typeof arg === 'number') return arg;
  const v = (arg as { eventIndex?: unknown } | undefined)?.eventIndex;
  return typeof v === 'number' ? v : undefined;
}
