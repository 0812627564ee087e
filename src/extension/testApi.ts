// What activate() returns under `_test` when the extension runs under its own tests (ExtensionMode.Test:
// the in-host suites and the benchmark), and only then: read-only views of what the extension did.
// Not a public API; nothing in it changes behaviour except the "as the user would" entry points
// (cancelRunning ≙ the Cancel button, selectStep ≙ a timeline click, explanationAction ≙ a click in
// the Explanation view).
import * as vscode from 'vscode';
import { errorMessage } from '../core/errors';
import type { Trace } from '../core/trace/model';
import type { Ctx } from './context';
import type { AppliedDecorations } from './editor/decorations';
import type { ExplainRequest, ExplainSnapshot } from './explain/feature';
import type { PanelAction } from './explain/protocol';
import type { ShownNotification } from './notify';
import type { RunPlan } from './run/runPlan';
import type { TimelineState } from './timeline/timelineView';
import type { LastRun } from './run/runs';

export interface TracefixTestApi {
  lastTrace(): Trace | undefined;
  lastRun(): LastRun | undefined;
  onDidFinishRun: vscode.Event<LastRun>;
  onDidStartRecording: vscode.Event<RunPlan>;
  isRecording(): boolean;
  /** Same path as the progress notification's Cancel button. */
  cancelRunning(): Promise<boolean>;
  lastDecorations(uri: vscode.Uri): AppliedDecorations | undefined;
  onDidApplyDecorations: vscode.Event<AppliedDecorations>;
  /** The hover Markdown the provider gives for 1-based `line`. */
  hoverMarkdown(uri: vscode.Uri, line: number): Promise<string | undefined>;
  diagnostics(
    uri: vscode.Uri,
  ): { line: number; message: string; severity: 'error' | 'warning' | 'information' | 'hint' }[];
  notifications(): readonly ShownNotification[];
  clearNotifications(): void;
  timeline(): TimelineState;
  /** Same path as picking a recording in the timeline's header. */
  showRecording(id: number): boolean;
  /** Same path as clicking a row of the timeline. */
  selectStep(index: number): Promise<void>;
  stepHighlight(): { uri: string; line: number } | undefined;
  /** The why-chain's lines as painted: document uri → current 1-based lines. */
  whyHighlight(): Record<string, number[]>;
  /** Each Explain & Fix the editor starts (trace, plan and settings), before the model is asked. */
  onWillExplain: vscode.Event<ExplainRequest>;
  /** Explain & Fix: the session's view, streamed rationale, error and what the panel rendered. */
  explanation(): ExplainSnapshot | undefined;
  /** Same path as clicking a step link or a button in the Explanation view. */
  explanationAction(action: PanelAction): Promise<void>;
  /** What VS Code shows before a Tracefix language-model tool runs (its progress text and the
   * confirmation the user answers), and the same invoke VS Code makes once the user confirmed. */
  lmToolPrepare(
    name: string,
    input: object,
  ): { invocationMessage: string; title?: string; message?: string };
  lmToolInvoke(name: string, input: object): Promise<{ text?: string; error?: string }>;
}

const SEVERITY = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'information',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
} as const;

export function createTestApi(ctx: Ctx): TracefixTestApi {
  return {
    lastTrace: () => ctx.store.trace,
    lastRun: () => ctx.runs.lastRun,
    onDidFinishRun: ctx.runs.onDidFinishRun,
    onDidStartRecording: ctx.runs.onDidStartRecording,
    isRecording: () => ctx.runs.isRecording,
    cancelRunning: () => ctx.runs.cancelRunning(),
    lastDecorations: (uri) => ctx.decorations.lastApplied(uri),
    onDidApplyDecorations: ctx.decorations.onDidApply,
    hoverMarkdown: async (uri, line) =>
      ctx.hover.markdown(await vscode.workspace.openTextDocument(uri), line),
    diagnostics: (uri) =>
      ctx.decorations.diagnostics.get(uri)?.map((d) => ({
        line: d.range.start.line + 1,
        message: d.message,
        severity: SEVERITY[d.severity],
      })) ?? [],
    notifications: () => ctx.notifier.history,
    clearNotifications: () => ctx.notifier.clear(),
    timeline: () => ctx.timeline.state(),
    showRecording: (id) => ctx.store.showById(id),
    selectStep: (index) => ctx.timeline.select(index),
    stepHighlight: () => ctx.decorations.stepHighlight(),
    whyHighlight: () => ctx.decorations.whyHighlight(),
    onWillExplain: ctx.explain.onWillExplain,
    explanation: () => ctx.explain.snapshot(),
    explanationAction: (action) => ctx.explain.view.act(action),
    lmToolPrepare: (name, input) => {
      const p = ctx.lmTools.prepare(name, input as Record<string, unknown>);
      const str = (v: string | vscode.MarkdownString | undefined) =>
        typeof v === 'string' ? v : v?.value;
      return {
        invocationMessage: str(p.invocationMessage) ?? '',
        title: p.confirmationMessages?.title,
        message: str(p.confirmationMessages?.message),
      };
    },
    lmToolInvoke: async (name, input) => {
      const tools = ctx.lmTools;
      const cts = new vscode.CancellationTokenSource();
      try {
        const r = await tools.invoke(name, input as Record<string, unknown>, cts.token);
        return {
          text: r.content
            .map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : ''))
            .join(''),
        };
      } catch (e) {
        return { error: errorMessage(e) };
      } finally {
        cts.dispose();
      }
    },
  };
}
