// Wires the model half of Explain & Fix into the extension: the model step in the explain pipeline,
// the Explanation panel, the fix / prompt virtual documents, the QuickFix code actions and the
// commands (apply / preview fix, show explanation / prompt). One call from extension.ts.
import * as vscode from 'vscode';
import { errorMessage, isUserError } from '../../core/errors';
import type { FixRound } from '../../core/fix';
import type { TracefixContext } from '../context';
import { applyRound, previewRound } from './applyFix';
import { APPLY_FIX, FixCodeActions, PREVIEW_FIX } from './codeActions';
import { FixDocuments, FIX_SCHEME, PROMPT_SCHEME, promptUri } from './documents';
import { ModelExplainStep } from './modelStep';
import { ExplainPanel, viewOf, type PanelAction, type PanelView, type RenderedRound } from './panel';
import { SandboxConsent } from './sandboxConsent';
import { fixSummary, type FixSession } from './session';

export const SHOW_EXPLANATION = 'tracefix.showExplanation';
export const SHOW_PROMPT = 'tracefix.showPrompt';

interface FixArg {
  session?: number;
  round?: number;
  path?: string;
}

/** What the test API reports about Explain & Fix. */
export interface ExplainSnapshot {
  view: PanelView | undefined;
  /** Rationale text streamed per round, in order. */
  streamed: { round: number; text: string }[];
  error: { code?: string; message: string } | undefined;
  panel: { open: boolean; rendered: readonly RenderedRound[] };
}

export class ExplainFeature implements vscode.Disposable {
  private session: FixSession | undefined;
  readonly panel: ExplainPanel;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: TracefixContext) {
    this.panel = new ExplainPanel(ctx.extension.extensionUri, (s, a) => this.onPanelAction(s, a));
    const consent = new SandboxConsent(ctx.extension.workspaceState, ctx.notifier, ctx.log);
    const current = () => this.session;
    const reg = (id: string, fn: (arg?: unknown) => unknown) => this.disposables.push(vscode.commands.registerCommand(id, fn));
    this.disposables.push(
      this.panel,
      consent,
      ctx.explainSteps.register(new ModelExplainStep({ notifier: ctx.notifier, log: ctx.log, begin: (s) => this.begin(s), showPanel: () => this.panel.show(this.session), consent })),
      vscode.workspace.registerTextDocumentContentProvider(FIX_SCHEME, new FixDocuments(current)),
      vscode.workspace.registerTextDocumentContentProvider(PROMPT_SCHEME, new FixDocuments(current)),
      vscode.languages.registerCodeActionsProvider({ language: 'python', scheme: 'file' }, new FixCodeActions(current), { providedCodeActionKinds: FixCodeActions.kinds }),
    );
    reg(APPLY_FIX, (arg) => this.guard(() => this.apply(arg as FixArg | undefined)));
    reg(PREVIEW_FIX, (arg) => this.guard(() => this.preview(arg as FixArg | undefined)));
    reg(SHOW_PROMPT, (arg) => this.guard(() => this.showPrompt(arg as FixArg | undefined)));
    reg(SHOW_EXPLANATION, () => {
      if (this.session) this.panel.show();
      else void ctx.notifier.show('info', 'No explanation yet: run "Tracefix: Explain & Fix" first.');
    });
  }

  get current(): FixSession | undefined {
    return this.session;
  }

  private begin(session: FixSession): void {
    this.session?.dispose();
    this.session = session;
    if (this.panel.isOpen) this.panel.show(session);
  }

  /** The session and round an argument names (default: the fix on offer); undefined after telling the user why. */
  private pick(arg: FixArg | undefined, anyRound = false): { session: FixSession; round: FixRound } | undefined {
    const s = this.session;
    if (!s || (arg?.session !== undefined && arg.session !== s.id)) {
      void this.ctx.notifier.show('info', s ? 'That fix belongs to an earlier Explain & Fix run; use the current one.' : 'No fix yet: run "Tracefix: Explain & Fix" first.');
      return undefined;
    }
    const last = s.rounds.map((r) => r.result).filter((r): r is FixRound => r !== undefined).pop();
    const round = arg?.round !== undefined ? s.round(arg.round) : (s.offeredRound() ?? (anyRound ? last : undefined));
    if (!round) {
      void this.ctx.notifier.show('info', s.status === 'running' ? 'The model has not answered yet.' : 'This Explain & Fix run has no fix to offer.');
      return undefined;
    }
    if (!anyRound && !s.canOffer(round)) {
      void this.ctx.notifier.show('info', round.changesTests.length
        ? `That fix changes the tests (${round.changesTests.join(', ')}), so it is not offered. To allow fixes that edit tests, turn on the tracefix.allowTestEdits setting.`
        : 'That round has no fix to offer.');
      return undefined;
    }
    return { session: s, round };
  }

  private async apply(arg: FixArg | undefined): Promise<void> {
    const p = this.pick(arg);
    if (!p) return;
    await applyRound(p.session, p.round);
    const verified = p.round.verification?.passed === true;
    vscode.window.setStatusBarMessage(`Tracefix: applied ${verified ? 'verified' : 'unverified'} fix — ${fixSummary(p.round)} (undo with Ctrl+Z; save to keep it)`, 8000);
    this.ctx.log.info(`applied the fix of round ${p.round.index} (${verified ? 'verified' : 'not verified'})`);
  }

  private async preview(arg: FixArg | undefined): Promise<void> {
    const p = this.pick(arg);
    if (p) await previewRound(p.session, p.round, arg?.path);
  }

  private async showPrompt(arg: FixArg | undefined): Promise<void> {
    const p = this.pick(arg, true);
    if (!p) return;
    const doc = await vscode.workspace.openTextDocument(promptUri(p.session, p.round.index));
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Active });
  }

  private async onPanelAction(session: FixSession, action: PanelAction): Promise<void> {
    if (action.type === 'step') return this.revealStep(session, action.step);
    const arg = { session: session.id, round: action.round };
    const command = { apply: APPLY_FIX, preview: PREVIEW_FIX, prompt: SHOW_PROMPT }[action.type];
    await vscode.commands.executeCommand(command, arg);
  }

  /** A `(k)` link: select that step in the timeline, which reveals and highlights its line. */
  private async revealStep(session: FixSession, step: number): Promise<void> {
    if (this.ctx.store.trace !== session.trace) {
      void this.ctx.notifier.show('info', 'The trace this explanation refers to has been replaced or cleared; run Explain & Fix again.');
      return;
    }
    const index = session.trace.events.findIndex((e) => e.step === step);
    if (index < 0) return;
    await this.ctx.timeline.show(index);
  }

  /** Commands end in one notification on failure (e.g. the file changed since the trace). */
  private async guard(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      if (isUserError(e)) {
        void this.ctx.notifier.show('error', e.hint ? `${e.message} ${e.hint}` : e.message);
      } else {
        this.ctx.log.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
        void this.ctx.notifier.show('error', `Tracefix failed: ${errorMessage(e)}`);
      }
    }
  }

  snapshot(): ExplainSnapshot {
    const s = this.session;
    return {
      view: s ? viewOf(s) : undefined,
      streamed: s?.rounds.map((r) => ({ round: r.index, text: r.streamed })) ?? [],
      error: s?.error,
      panel: { open: this.panel.isOpen, rendered: this.panel.rendered },
    };
  }

  dispose(): void {
    this.session?.dispose();
    for (const d of this.disposables.reverse()) d.dispose();
  }
}

const features = new WeakMap<TracefixContext, ExplainFeature>();

/** The feature registered for `ctx` (for the test API). */
export function explainFeatureOf(ctx: TracefixContext): ExplainFeature | undefined {
  return features.get(ctx);
}

export function registerExplainFeature(ctx: TracefixContext): vscode.Disposable {
  const feature = new ExplainFeature(ctx);
  features.set(ctx, feature);
  return feature;
}
