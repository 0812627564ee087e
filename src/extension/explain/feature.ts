// Wires the model half of Explain & Fix into the extension: the model step in the explain pipeline,
// the Explanation view, the fix / prompt virtual documents, the QuickFix code actions and the
// commands (apply / preview / undo fix, show explanation / prompt). It keeps the recordings each
// round read (step links open the run they cite) and follows what happens after: a fix applied,
// undone, the test run again. One call from extension.ts.
import * as vscode from 'vscode';
import { errorMessage, isUserError } from '../../core/errors';
import type { FixRound } from '../../core/fix';
import { textMatchesBase } from '../../core/patch/sourceBytes';
import { encodingFromVscode } from '../../core/patch/sourceEncoding';
import type { Trace } from '../../core/trace/model';
import type { TracefixContext } from '../context';
import type { RunPlan } from '../runPlan';
import type { LastRun } from '../traceCommand';
import { keyOf } from '../traceStore';
import { applyRound, fileUriOf, previewRound } from './applyFix';
import { undoApplied } from './afterApply';
import { APPLY_FIX, FixCodeActions, PREVIEW_FIX } from './codeActions';
import { FixDocuments, FIX_SCHEME, fixUri, PROMPT_SCHEME, promptUri } from './documents';
import { ExplanationView, type PanelAction, type RenderedView } from './explanationView';
import { fixSummary, targetName } from './labels';
import { ModelExplainStep } from './modelStep';
import { SandboxConsent } from './sandboxConsent';
import type { FixSession } from './session';
import { eventOfStep, type StepSource } from './stepLinks';
import type { PanelView, ViewContext } from './viewModel';

export const SHOW_EXPLANATION = 'tracefix.showExplanation';
export const SHOW_PROMPT = 'tracefix.showPrompt';
export const UNDO_FIX = 'tracefix.undoFix';
const APPLY_UNVERIFIED = 'Apply Unverified Fix';

interface FixArg {
  session?: number;
  round?: number;
  path?: string;
  /** The user already confirmed applying an unverified fix (in the Explanation view). */
  confirmed?: boolean;
}

/** What the test API reports about Explain & Fix. */
export interface ExplainSnapshot {
  view: PanelView | undefined;
  /** Rationale text streamed per round, in order. */
  streamed: { round: number; text: string }[];
  error: { code?: string; message: string } | undefined;
  panel: {
    open: boolean;
    rendered: RenderedView['rounds'];
    view: RenderedView | undefined;
    streamedRenders: Record<number, readonly string[]>;
  };
  /** Recording ids: the failing run, and per later round the patched run it read. */
  recordings: { original?: number; patched: Record<number, number> };
}

function samePlan(a: RunPlan | undefined, b: RunPlan | undefined): boolean {
  return (
    a !== undefined &&
    b !== undefined &&
    a.root === b.root &&
    a.label === b.label &&
    JSON.stringify(a.target) === JSON.stringify(b.target)
  );
}

export class ExplainFeature implements vscode.Disposable {
  private session: FixSession | undefined;
  private sessionSub: { dispose(): void } | undefined;
  readonly view: ExplanationView;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: TracefixContext) {
    this.view = new ExplanationView(
      ctx.extension.extensionUri,
      () => this.viewContext(),
      (s, a) => this.onViewAction(s, a),
    );
    const consent = new SandboxConsent(ctx.extension.workspaceState, ctx.notifier, ctx.log);
    const current = () => this.session;
    const reg = (id: string, fn: (arg?: unknown) => unknown) =>
      this.disposables.push(vscode.commands.registerCommand(id, fn));
    this.disposables.push(
      this.view,
      consent,
      ctx.explainSteps.register(
        new ModelExplainStep({
          notifier: ctx.notifier,
          log: ctx.log,
          begin: (s) => this.begin(s),
          showPanel: () => this.view.show(),
          consent,
        }),
      ),
      vscode.workspace.registerTextDocumentContentProvider(FIX_SCHEME, new FixDocuments(current)),
      vscode.workspace.registerTextDocumentContentProvider(
        PROMPT_SCHEME,
        new FixDocuments(current),
      ),
      vscode.languages.registerCodeActionsProvider(
        { language: 'python', scheme: 'file' },
        new FixCodeActions(current),
        { providedCodeActionKinds: FixCodeActions.kinds },
      ),
      vscode.workspace.onDidChangeTextDocument((e) => this.onDocumentChange(e.document)),
      vscode.workspace.onDidSaveTextDocument((d) => this.onDocumentChange(d)),
      ctx.onDidStartRecording((plan) => this.onRunStart(plan)),
      ctx.onDidFinishRun((run) => this.onRunEnd(run)),
    );
    reg(APPLY_FIX, (arg) => this.guard(() => this.apply(arg as FixArg | undefined)));
    reg(PREVIEW_FIX, (arg) => this.guard(() => this.preview(arg as FixArg | undefined)));
    reg(UNDO_FIX, (arg) => this.guard(() => this.undo(arg as FixArg | undefined)));
    reg(SHOW_PROMPT, (arg) => this.guard(() => this.showPrompt(arg as FixArg | undefined)));
    reg(SHOW_EXPLANATION, () => {
      if (this.session) return this.view.show();
      void ctx.notifier.show(
        'info',
        'No explanation yet: run "Tracefix: Explain & Fix" on a failing test or script first.',
      );
      return undefined;
    });
  }

  get current(): FixSession | undefined {
    return this.session;
  }

  private begin(session: FixSession): void {
    this.sessionSub?.dispose();
    this.session?.dispose();
    this.session = session;
    const store = this.ctx.store;
    const original =
      store.recordingOf(session.trace) ?? store.add(session.trace, session.plan, { kind: 'run' });
    store.keepFor(session.id, original, 'Explain & Fix: the failing run');
    this.sessionSub = session.onDidChange((c) => {
      if (c.kind === 'state') this.keepPatchedRecordings(session);
    });
    this.view.follow(session);
    void vscode.commands.executeCommand('setContext', 'tracefix.hasExplanation', true);
  }

  /** Each later round read the run of the previous round's patch: keep it for the step links. */
  private keepPatchedRecordings(session: FixSession): void {
    for (const [round, trace] of session.patchedTraces) {
      if (this.ctx.store.recordingOf(trace)) continue;
      const from = round - 1;
      const files = new Set(session.round(from)?.patch?.files.map((f) => f.path) ?? []);
      this.ctx.store.add(trace, session.plan, {
        kind: 'patched',
        session: session.id,
        role: `Round ${round}: with round ${from}'s fix`,
        detail: `What round ${round} read: the program with round ${from}'s fix, run in a temporary copy. The files that fix changed open read-only (${[...files].join(', ') || 'none'}).`,
        fileUri: (rel) => (files.has(rel) ? fixUri(session, from, rel) : undefined),
      });
    }
  }

  private sourceOf(trace: Trace | undefined, label: string): StepSource | undefined {
    const r = trace ? this.ctx.store.recordingOf(trace) : undefined;
    return r && trace ? { rec: r.id, trace, label } : undefined;
  }

  private viewContext(): ViewContext {
    const s = this.session;
    const appliedDirty =
      s?.applied?.files.some(
        (f) => vscode.workspace.textDocuments.find((d) => d.uri.toString() === f.uri)?.isDirty,
      ) ?? false;
    return {
      appliedDirty,
      sources: (round) => {
        const original = this.sourceOf(s?.trace, 'the failing run');
        if (!s || !original) return undefined;
        const patched = this.sourceOf(
          s.patchedTraces.get(round),
          `the run with round ${round - 1}'s fix`,
        );
        return patched
          ? { all: [patched, original], own: patched }
          : { all: [original], own: original };
      },
    };
  }

  /** The session and round an argument names (default: the fix on offer); undefined after telling the user why. */
  private pick(
    arg: FixArg | undefined,
    anyRound = false,
  ): { session: FixSession; round: FixRound } | undefined {
    const s = this.session;
    if (!s || (arg?.session !== undefined && arg.session !== s.id)) {
      void this.ctx.notifier.show(
        'info',
        s
          ? 'That fix belongs to an earlier Explain & Fix run; use the current one.'
          : 'No fix yet: run "Tracefix: Explain & Fix" first.',
      );
      return undefined;
    }
    const last = s.rounds
      .map((r) => r.result)
      .filter((r): r is FixRound => r !== undefined)
      .pop();
    const round =
      arg?.round !== undefined
        ? s.round(arg.round)
        : (s.offeredRound() ?? (anyRound ? last : undefined));
    if (!round) {
      void this.ctx.notifier.show(
        'info',
        s.status === 'running'
          ? 'The model has not answered yet.'
          : 'This Explain & Fix run has no fix to offer.',
      );
      return undefined;
    }
    if (!anyRound && !s.canOffer(round)) {
      void this.ctx.notifier.show(
        'info',
        round.changesTests.length
          ? `That fix changes the tests (${round.changesTests.join(', ')}), so it is not offered. To allow fixes that edit tests, turn on the tracefix.allowTestEdits setting.`
          : 'That round has no fix to offer.',
      );
      return undefined;
    }
    return { session: s, round };
  }

  private async apply(arg: FixArg | undefined): Promise<void> {
    const p = this.pick(arg);
    if (!p) return;
    const { session, round } = p;
    if (session.applied) {
      void this.ctx.notifier.show(
        'info',
        `Round ${session.applied.round}'s fix is already applied. Undo it first to apply ${session.applied.round === round.index ? 'it again' : `round ${round.index}'s`}.`,
      );
      return;
    }
    const verified = round.verification?.passed === true;
    if (!verified && !arg?.confirmed) {
      const choice = await this.ctx.notifier.confirm(
        `Apply round ${round.index}'s unverified fix?`,
        `It was not verified: ${round.failure || 'it was not run'}. It may not fix ${targetName(session.trace.program)}, or may break something else. You can undo it.`,
        APPLY_UNVERIFIED,
      );
      if (choice !== APPLY_UNVERIFIED) return;
    }
    await applyRound(session, round);
    session.confirming = undefined;
    session.laterRun = undefined;
    session.applied = {
      round: round.index,
      at: Date.now(),
      files: (round.patch?.files ?? []).map((f) => {
        const uri = fileUriOf(session, f);
        const doc = vscode.workspace.textDocuments.find((d) => keyOf(d.uri) === keyOf(uri));
        return { uri: (doc?.uri ?? uri).toString(), rel: f.path, version: doc?.version ?? -1 };
      }),
    };
    session.touch();
    vscode.window.setStatusBarMessage(
      `Tracefix: applied ${verified ? 'verified' : 'unverified'} fix — ${fixSummary(round)} (Undo in the Explanation view or Ctrl+Z; re-run the test to confirm)`,
      8000,
    );
    this.ctx.log.info(
      `applied the fix of round ${round.index} (${verified ? 'verified' : 'not verified'})`,
    );
  }

  private async undo(arg: FixArg | undefined): Promise<void> {
    const s = this.session;
    const applied = s?.applied;
    if (!s || !applied || (arg?.session !== undefined && arg.session !== s.id)) {
      void this.ctx.notifier.show(
        'info',
        'No fix applied from the current Explain & Fix run to undo.',
      );
      return;
    }
    const round = s.round(applied.round);
    if (!round) return;
    await undoApplied(s, round, applied);
    s.applied = undefined;
    s.laterRun = undefined;
    s.touch();
    vscode.window.setStatusBarMessage(`Tracefix: round ${round.index}'s fix undone`, 5000);
  }

  private async preview(arg: FixArg | undefined): Promise<void> {
    const p = this.pick(arg);
    if (p) await previewRound(p.session, p.round, arg?.path);
  }

  private async showPrompt(arg: FixArg | undefined): Promise<void> {
    const p = this.pick(arg, true);
    if (!p) return;
    const doc = await vscode.workspace.openTextDocument(promptUri(p.session, p.round.index));
    await vscode.window.showTextDocument(doc, {
      preview: true,
      viewColumn: vscode.ViewColumn.Active,
    });
  }

  private async onViewAction(session: FixSession, action: PanelAction): Promise<void> {
    if (action.type === 'step') return this.revealStep(session, action.step, action.rec);
    if (action.type === 'open') return;
    const arg: FixArg = { session: session.id, round: action.round };
    switch (action.type) {
      case 'apply': {
        const r = session.round(action.round);
        // Unverified: the view asks first (in place), the confirmed click applies.
        if (r && r.verification?.passed !== true && !action.confirmed) {
          session.confirming = action.round;
          session.touch();
          return;
        }
        await vscode.commands.executeCommand(APPLY_FIX, {
          ...arg,
          confirmed: action.confirmed === true,
        });
        return;
      }
      case 'cancel-confirm':
        session.confirming = undefined;
        session.touch();
        return;
      case 'preview':
        await vscode.commands.executeCommand(PREVIEW_FIX, arg);
        return;
      case 'prompt':
        await vscode.commands.executeCommand(SHOW_PROMPT, arg);
        return;
      case 'undo':
        await vscode.commands.executeCommand(UNDO_FIX, arg);
        return;
      case 'rerun':
        await this.guard(() => this.rerun(session));
        return;
    }
  }

  /** "Save and Re-run Test": saves the files the applied fix changed (that is what runs), then runs. */
  private async rerun(session: FixSession): Promise<void> {
    for (const f of session.applied?.files ?? []) {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === f.uri);
      if (doc?.isDirty && !(await doc.save()))
        throw new Error(`${f.rel} could not be saved, so the test was not run again`);
    }
    await vscode.commands.executeCommand('tracefix.rerun', { plan: session.plan });
  }

  /** A `(k)` link: show the recording it cites, select that step in the timeline (which reveals its line). */
  private async revealStep(
    session: FixSession,
    step: number,
    rec: number | undefined,
  ): Promise<void> {
    const store = this.ctx.store;
    const recording =
      (rec !== undefined ? store.recordings().find((r) => r.id === rec) : undefined) ??
      store.recordingOf(session.trace);
    if (!recording || (recording.session !== session.id && recording.trace !== session.trace)) {
      void this.ctx.notifier.show(
        'info',
        'The recording this explanation refers to is no longer kept; run Explain & Fix again.',
      );
      return;
    }
    const e = eventOfStep(recording.trace, step);
    if (!e) return;
    if (store.recording !== recording) store.show(recording);
    await this.ctx.timeline.show(e.index);
  }

  private onDocumentChange(doc: vscode.TextDocument): void {
    const s = this.session;
    const applied = s?.applied;
    const file = applied?.files.find((f) => f.uri === doc.uri.toString());
    if (!s || !applied || !file) return;
    // Undone in the editor (Ctrl+Z): the file holds the traced text again.
    const patch = s.round(applied.round)?.patch?.files.find((f) => f.path === file.rel);
    if (patch && textMatchesBase(doc.getText(), encodingFromVscode(doc.encoding), patch.oldText)) {
      s.applied = undefined;
      s.laterRun = undefined;
      s.touch();
      return;
    }
    this.view.refresh();
  }

  private onRunStart(plan: RunPlan): void {
    const s = this.session;
    if (!s || s.status === 'running' || !samePlan(plan, s.plan)) return;
    s.laterRun = { status: 'running', text: '', at: Date.now() };
    s.touch();
  }

  private onRunEnd(run: LastRun): void {
    const s = this.session;
    if (!s || s.laterRun?.status !== 'running' || !samePlan(run.plan, s.plan)) return;
    const status = run.status !== 'ok' ? 'error' : run.passed ? 'passed' : 'failed';
    s.laterRun = {
      status,
      text: run.status !== 'ok' ? (run.error?.message ?? run.status) : (run.failure ?? ''),
      at: Date.now(),
    };
    // The run read the files from disk: it ran the fix only if the fixed files were saved.
    const ranTheFix = s.applied?.files.every(
      (f) => !vscode.workspace.textDocuments.find((d) => d.uri.toString() === f.uri)?.isDirty,
    );
    if (s.applied && ranTheFix) s.laterRun.withFix = s.applied.round;
    if (run.status === 'cancelled') s.laterRun = undefined;
    s.touch();
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
    const rendered = this.view.rendered;
    const streamedRenders: Record<number, readonly string[]> = {};
    for (const r of s?.rounds ?? []) streamedRenders[r.index] = this.view.streamedRenders(r.index);
    const patched: Record<number, number> = {};
    for (const [round, trace] of s?.patchedTraces ?? []) {
      const r = this.ctx.store.recordingOf(trace);
      if (r) patched[round] = r.id;
    }
    const original = s ? this.ctx.store.recordingOf(s.trace)?.id : undefined;
    return {
      view: this.view.model(),
      streamed: s?.rounds.map((r) => ({ round: r.index, text: r.streamed })) ?? [],
      error: s?.error,
      panel: {
        open: this.view.isOpen,
        rendered: rendered?.rounds ?? [],
        view: rendered,
        streamedRenders,
      },
      recordings: { ...(original !== undefined ? { original } : {}), patched },
    };
  }

  dispose(): void {
    this.sessionSub?.dispose();
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
