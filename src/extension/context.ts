// Ctx owns every part of the extension and every disposable: the store of recordings and what paints
// them (decorations, hover, timeline), the run target, the trace runner, replay, Explain & Fix, the
// language-model tools, and the commands (registered from the one table in commands.ts). Parts get
// the other parts they use when they are made, so none of them reaches back into Ctx; the test API
// reads it. Nothing lives in module-level state: disposing Ctx ends everything.
import * as vscode from 'vscode';
import { TestCodeLensProvider, TEST_FILE_SELECTOR } from './editor/codeLens';
import { CompareFeature } from './compare/compareFeature';
import { Comparisons } from './compare/comparisons';
import { CONTEXT_KEYS } from './contributes/views';
import { EditorDecorations } from './editor/decorations';
import { ErrorReporter } from './errors';
import { FIX_SCHEME } from './explain/documents';
import { ExplainFeature } from './explain/feature';
import { TraceHoverProvider } from './editor/hover';
import { Notifier } from './notify';
import { ReplayLauncher } from './replay/replay';
import { ReplayFollower } from './replay/follow';
import { TargetResolver } from './run/runTarget';
import { RunTracker } from './run/runs';
import { affectsDecorations, readSettings } from './settings';
import { TimelineView } from './timeline/timelineView';
import { TraceLmTools } from './tools/lmTools';
import { TraceRunner } from './run/traceCommand';
import { TraceStore } from './run/traceStore';

/** A command's handler, as the command table gives it. */
export type CommandHandler = (...args: unknown[]) => unknown;

export class Ctx implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  /** Run by the extension's own test suites (they read the test API, testApi.ts). */
  readonly underTests: boolean;
  readonly notifier: Notifier;
  readonly errors: ErrorReporter;
  readonly store: TraceStore;
  readonly decorations: EditorDecorations;
  readonly hover: TraceHoverProvider;
  readonly timeline: TimelineView;
  readonly comparisons: Comparisons;
  readonly compare: CompareFeature;
  readonly targets: TargetResolver;
  readonly runs = new RunTracker();
  readonly replay: ReplayLauncher;
  readonly explain: ExplainFeature;
  readonly runner: TraceRunner;
  readonly lmTools: TraceLmTools;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly extension: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('Tracefix', { log: true });
    this.underTests = extension.extensionMode === vscode.ExtensionMode.Test;
    this.notifier = new Notifier({ keepHistory: this.underTests });
    const { log, notifier, runs, underTests } = this;
    this.errors = new ErrorReporter(notifier, log);
    this.store = new TraceStore(readSettings().inlineMaxLength);
    this.comparisons = new Comparisons(this.store);
    this.decorations = new EditorDecorations(this.store, () => readSettings(), this.comparisons);
    this.hover = new TraceHoverProvider(this.store);
    this.timeline = new TimelineView(
      extension.extensionUri,
      this.store,
      this.decorations,
      {
        replayFrom: (index) => this.replay.replayFromStep(index),
        rerun: (plan) => this.runner.rerun(plan),
        compareWith: () => this.compare.compareWith(),
        stopComparing: () => this.compare.stop(),
      },
      this.comparisons,
      underTests,
    );
    this.compare = new CompareFeature({
      log,
      notifier,
      errors: this.errors,
      store: this.store,
      comparisons: this.comparisons,
      timeline: this.timeline,
      recordOptions: (plan) => this.runner.recordOptions(plan),
    });
    this.targets = new TargetResolver(extension.workspaceState);
    this.replay = new ReplayLauncher(this.store, notifier, this.errors);
    const { store, timeline, errors } = this;
    this.explain = new ExplainFeature({
      extension,
      log,
      notifier,
      errors,
      store,
      timeline,
      runs,
      underTests,
      rerun: (plan) => this.runner.rerun(plan),
      comparisons: this.comparisons,
    });
    const targets = this.targets;
    const explainer = this.explain;
    this.runner = new TraceRunner({
      log,
      notifier,
      errors,
      store,
      targets,
      timeline,
      runs,
      explainer,
    });
    // The trace tools for Copilot agent mode and other chat participants (vscode.lm.registerTool).
    this.lmTools = new TraceLmTools({
      log,
      store,
      runner: this.runner,
      runs,
      comparisons: this.comparisons,
    });
    this.disposables.push(
      log,
      notifier,
      runs,
      this.store,
      this.decorations,
      this.comparisons,
      this.timeline,
      this.targets,
      this.replay,
      new ReplayFollower(this.replay, this.store, this.timeline, log),
      this.explain,
      this.lmTools,
      vscode.languages.registerHoverProvider(
        [{ language: 'python', scheme: 'file' }, { scheme: FIX_SCHEME }],
        this.hover,
      ),
      vscode.languages.registerCodeLensProvider(TEST_FILE_SELECTOR, new TestCodeLensProvider()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!affectsDecorations(e)) return;
        this.store.setMaxWidth(readSettings().inlineMaxLength);
        this.decorations.rebuildTypes();
      }),
      this.store.onDidChange((uri) => {
        if (!uri)
          void vscode.commands.executeCommand(
            'setContext',
            CONTEXT_KEYS.hasTrace,
            this.store.trace !== undefined,
          );
      }),
      this.comparisons.onDidChange((c) => {
        void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.comparing, c !== undefined);
      }),
    );
  }

  /** Registers every command of `table` (commands.ts), disposed with the context. */
  registerCommands(table: Record<string, CommandHandler>): void {
    for (const [id, handler] of Object.entries(table)) {
      this.disposables.push(vscode.commands.registerCommand(id, handler));
    }
  }

  dispose(): void {
    // Disposing the run tracker aborts a recording in progress.
    for (const d of this.disposables.reverse()) d.dispose();
    this.disposables.length = 0;
  }
}
