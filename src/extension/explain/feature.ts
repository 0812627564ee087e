// Explain & Fix in the editor, after a failing recording: asks the model (modelStep.ts) under a
// cancellable progress notification, and owns what follows from the run — the Explanation view,
// the fix / prompt virtual documents, the QuickFix code actions and the fix commands. It keeps the
// recordings each round read (step links open the run they cite) and follows what happens after:
// a fix applied, undone, the test run again.
import * as vscode from 'vscode';
import { textMatchesBase } from '../../core/patch/patchBytes';
import { encodingFromVscode } from '../../core/source/encoding';
import type { Trace } from '../../core/trace/model';
import type { RecordOptions } from '../../core/trace/options';
import { CONTEXT_KEYS } from '../contributes/views';
import type { ErrorReporter } from '../errors';
import type { Notifier } from '../notify';
import type { RunPlan } from '../run/runPlan';
import type { LastRun, RunTracker } from '../run/runs';
import { readSettings, type TracefixSettings } from '../settings';
import type { TimelineView } from '../timeline/timelineView';
import type { TraceStore } from '../run/traceStore';
import type { Comparisons } from '../compare/comparisons';
import { FixCodeActions } from './codeActions';
import { FixDocuments, FIX_SCHEME, fixUri, PROMPT_SCHEME } from './documents';
import { ExplanationView } from './explanationView';
import { FixActions, type FixArg } from './fixActions';
import { ModelStep } from './modelStep';
import { SandboxConsent } from './sandboxConsent';
import type { FixSession } from './session';
import { eventOfStep, type StepSource } from './stepLinks';
import type { PanelAction, PanelView, RenderedView } from './protocol';
import { RenderProbe } from './renderProbe';
import type { ViewContext } from './viewModel';

export interface ExplainDeps {
  extension: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  notifier: Notifier;
  errors: ErrorReporter;
  store: TraceStore;
  timeline: TimelineView;
  runs: RunTracker;
  /** The extension runs under its own tests: the view reports what it rendered. */
  underTests: boolean;
  /** Runs `plan` again and says how it went (the Re-run Test button). */
  rerun(plan: RunPlan): Promise<unknown>;
  /** Where the failing run's comparison with a passing run is shown. */
  comparisons: Comparisons;
}

/** What Explain & Fix was asked to explain (announced before the model is asked). */
export interface ExplainRequest {
  trace: Trace;
  plan: RunPlan;
  settings: TracefixSettings;
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
  /** Whether model-written code may run unsandboxed here (asked once per workspace). */
  readonly consent: SandboxConsent;
  readonly fixes: FixActions;
  private readonly model: ModelStep;
  private readonly requested = new vscode.EventEmitter<ExplainRequest>();
  /** Each Explain & Fix the editor starts, before the model is asked. */
  readonly onWillExplain = this.requested.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: ExplainDeps) {
    const { extension, log, notifier } = deps;
    this.view = new ExplanationView(
      extension.extensionUri,
      () => this.viewContext(),
      (s, a) => this.onViewAction(s, a),
      deps.underTests ? new RenderProbe() : undefined,
    );
    this.consent = new SandboxConsent(extension.workspaceState, notifier, log);
    const current = () => this.session;
    this.fixes = new FixActions(current, notifier, log);
    this.model = new ModelStep({
      log,
      notifier,
      errors: deps.errors,
      secrets: extension.secrets,
      begin: (s) => this.begin(s),
      showPanel: () => this.view.show(),
      consent: this.consent,
      compared: (trace, baseline) => {
        const failing = deps.store.recordingOf(trace);
        if (failing)
          deps.comparisons.set({
            failing,
            passing: baseline.trace,
            description: baseline.description,
            labels: baseline.labels,
          });
      },
    });
    this.disposables.push(
      this.requested,
      this.view,
      this.consent,
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
      deps.runs.onDidStartRecording((plan) => this.onRunStart(plan)),
      deps.runs.onDidFinishRun((run) => this.onRunEnd(run)),
    );
  }

  get current(): FixSession | undefined {
    return this.session;
  }

  /** Explains the failing `trace` under a cancellable progress notification; a cancellation
   * propagates (the run is reported as cancelled), every other failure was already shown. */
  async explain(trace: Trace, plan: RunPlan, options: RecordOptions): Promise<void> {
    const settings = readSettings(vscode.Uri.file(plan.root));
    this.requested.fire({ trace, plan, settings });
    await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: 'Tracefix: explaining',
        cancellable: true,
      },
      async (progress, token) => {
        const controller = new AbortController();
        const sub = token.onCancellationRequested(() => controller.abort());
        try {
          progress.report({ message: 'Asking the model…' });
          await this.model.run({
            trace,
            plan,
            settings,
            options,
            signal: controller.signal,
            progress,
          });
        } finally {
          sub.dispose();
        }
      },
    );
  }

  /** Tracefix: Show Explanation. */
  async showExplanation(): Promise<void> {
    if (this.session) return this.view.show();
    void this.deps.notifier.show(
      'info',
      'No explanation yet: run "Tracefix: Explain & Fix" on a failing test or script first.',
    );
  }

  /** Runs a fix command; a failure (e.g. the file changed since the trace) ends in one notification. */
  async guard(fn: (fixes: FixActions) => Promise<void>): Promise<void> {
    try {
      await fn(this.fixes);
    } catch (e) {
      this.deps.errors.report(e, { where: 'fix' });
    }
  }

  private begin(session: FixSession): void {
    this.sessionSub?.dispose();
    this.session?.dispose();
    this.session = session;
    const store = this.deps.store;
    const original =
      store.recordingOf(session.trace) ?? store.add(session.trace, session.plan, { kind: 'run' });
    store.keepFor(session.id, original, 'Explain & Fix: the failing run');
    this.sessionSub = session.onDidChange((c) => {
      if (c.kind === 'state') this.keepPatchedRecordings(session);
    });
    this.view.follow(session);
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasExplanation, true);
  }

  /** Each later round read the run of the previous round's patch: keep it for the step links. */
  private keepPatchedRecordings(session: FixSession): void {
    for (const [round, trace] of session.patchedTraces) {
      if (this.deps.store.recordingOf(trace)) continue;
      const from = round - 1;
      const files = new Set(session.round(from)?.patch?.files.map((f) => f.path) ?? []);
      this.deps.store.add(trace, session.plan, {
        kind: 'patched',
        session: session.id,
        role: `Round ${round}: with round ${from}'s fix`,
        detail: `What round ${round} read: the program with round ${from}'s fix, run in a temporary copy. The files that fix changed open read-only (${[...files].join(', ') || 'none'}).`,
        fileUri: (rel) => (files.has(rel) ? fixUri(session, from, rel) : undefined),
      });
    }
  }

  private sourceOf(trace: Trace | undefined, label: string): StepSource | undefined {
    const r = trace ? this.deps.store.recordingOf(trace) : undefined;
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
        await this.guard((f) => f.apply({ ...arg, confirmed: action.confirmed === true }, session));
        return;
      }
      case 'cancel-confirm':
        session.confirming = undefined;
        session.touch();
        return;
      case 'preview':
        await this.guard((f) => f.preview(arg, session));
        return;
      case 'prompt':
        await this.guard((f) => f.showPrompt(arg, session));
        return;
      case 'undo':
        await this.guard((f) => f.undo(arg, session));
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
    await this.deps.rerun(session.plan);
  }

  /** A `(k)` link: show the recording it cites, select that step in the timeline (which reveals its line). */
  private async revealStep(
    session: FixSession,
    step: number,
    rec: number | undefined,
  ): Promise<void> {
    const store = this.deps.store;
    const recording =
      (rec !== undefined ? store.recordings().find((r) => r.id === rec) : undefined) ??
      store.recordingOf(session.trace);
    if (!recording || (recording.session !== session.id && recording.trace !== session.trace)) {
      void this.deps.notifier.show(
        'info',
        'The recording this explanation refers to is no longer kept; run Explain & Fix again.',
      );
      return;
    }
    const e = eventOfStep(recording.trace, step);
    if (!e) return;
    if (store.recording !== recording) store.show(recording);
    await this.deps.timeline.show(e.index);
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

  snapshot(): ExplainSnapshot {
    const s = this.session;
    const probe = this.view.probe;
    const rendered = probe?.rendered;
    const streamedRenders: Record<number, readonly string[]> = {};
    for (const r of s?.rounds ?? [])
      streamedRenders[r.index] = probe?.streamedRenders(r.index) ?? [];
    const patched: Record<number, number> = {};
    for (const [round, trace] of s?.patchedTraces ?? []) {
      const r = this.deps.store.recordingOf(trace);
      if (r) patched[round] = r.id;
    }
    const original = s ? this.deps.store.recordingOf(s.trace)?.id : undefined;
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
