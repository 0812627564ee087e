// TracefixContext owns every piece of the extension and every disposable; commands get it, the test
// API reads it. Adding a capability (the model step, verification, code actions) means a new module
// registered here or in extension.ts, not a rewrite.
import * as vscode from 'vscode';
import { callerEvent } from '../core/render/hover';
import { TestCodeLensProvider, TEST_FILE_SELECTOR } from './codeLens';
import { EditorDecorations } from './editorDecorations';
import { ExplainPipeline } from './explain';
import { askAndStoreApiKey } from './explain/providers';
import { TraceHoverProvider } from './hoverProvider';
import { Notifier } from './notify';
import { ReplayLauncher } from './replay';
import { ReplayFollower } from './replayFollow';
import type { RunPlan } from './runPlan';
import { TargetResolver } from './runTarget';
import { affectsDecorations, readSettings } from './settings';
import { FIX_SCHEME } from './explain/documents';
import { passesText, failsText } from './explain/labels';
import { TimelineView } from './timeline/timelineView';
import { runTraceCommand, type LastRun, type RunMode } from './traceCommand';
import { TraceStore } from './traceStore';

interface ActiveRecording {
  plan: RunPlan;
  controller: AbortController;
  finished: Promise<void>;
}

export class TracefixContext implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly notifier = new Notifier();
  readonly store: TraceStore;
  readonly decorations: EditorDecorations;
  readonly hover: TraceHoverProvider;
  readonly timeline: TimelineView;
  readonly targets: TargetResolver;
  readonly replay: ReplayLauncher;
  readonly explainSteps = new ExplainPipeline();
  readonly secrets: vscode.SecretStorage;
  private active: ActiveRecording | undefined;
  private last: LastRun | undefined;
  private readonly recordingStarted = new vscode.EventEmitter<RunPlan>();
  readonly onDidStartRecording = this.recordingStarted.event;
  private readonly runFinished = new vscode.EventEmitter<LastRun>();
  readonly onDidFinishRun = this.runFinished.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly extension: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('Tracefix', { log: true });
    this.secrets = extension.secrets;
    this.store = new TraceStore(readSettings().inlineMaxLength);
    this.decorations = new EditorDecorations(this.store, () => readSettings());
    this.hover = new TraceHoverProvider(this.store);
    this.timeline = new TimelineView(extension.extensionUri, this.store, this.decorations);
    this.targets = new TargetResolver(extension.workspaceState);
    this.replay = new ReplayLauncher(this.store, this.notifier, this.log);
    this.disposables.push(
      this.log,
      this.notifier,
      this.store,
      this.decorations,
      this.timeline,
      this.targets,
      this.replay,
      new ReplayFollower(this.replay, this.store, this.timeline, this.log),
      this.recordingStarted,
      this.runFinished,
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
            'tracefix.hasTrace',
            this.store.trace !== undefined,
          );
      }),
    );
    this.registerCommands();
  }

  private registerCommands(): void {
    const reg = (id: string, fn: (...args: unknown[]) => unknown) =>
      this.disposables.push(vscode.commands.registerCommand(id, fn));
    const run = (mode: RunMode) => (arg: unknown) => runTraceCommand(this, mode, arg);
    reg('tracefix.explainAndFix', run('explain'));
    reg('tracefix.traceOnly', run('trace'));
    reg('tracefix.rerun', (arg) => this.rerun(arg));
    reg('tracefix.clearTrace', () => {
      this.store.clear();
    });
    reg('tracefix.chooseTarget', () => this.targets.choose());
    reg('tracefix.showTimeline', (arg) => this.showTimeline(eventIndexOf(arg)));
    reg('tracefix.goToCaller', (arg) => this.goToCaller(eventIndexOf(arg)));
    reg('tracefix.replayFromStep', (arg) => this.replayFrom(eventIndexOf(arg)));
    reg('tracefix.replayTrace', (arg) => this.replay.replayTraceCommand(arg));
    reg('tracefix.saveTrace', (arg) => this.replay.saveTraceCommand(arg));
    reg('tracefix.setApiKey', () => this.setApiKey());
    reg('tracefix.showLog', () => this.log.show());
  }

  private async showTimeline(index: number | undefined): Promise<void> {
    if (!this.store.trace) {
      void this.notifier.show(
        'info',
        'No trace yet: run "Tracefix: Trace Only" or "Tracefix: Explain & Fix" first.',
      );
      return;
    }
    await this.timeline.show(index);
  }

  private async goToCaller(index: number | undefined): Promise<void> {
    const trace = this.store.trace;
    const e = index === undefined ? undefined : trace?.events.at(index);
    const caller = trace && e ? callerEvent(trace, e) : undefined;
    if (!caller) {
      void this.notifier.show('info', 'That step has no caller in user code.');
      return;
    }
    if (this.timeline.isOpen) await this.timeline.select(caller.index);
    const file = this.store.fileByRel(caller.file);
    if (!file) return;
    const editor = await vscode.window.showTextDocument(file.uri, { preview: true });
    const line = this.store.lineMap(editor.document)?.map.toCurrent(caller.line);
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

  /** Runs the target of the recording on screen (else the last run) again, and says how it went. */
  private async rerun(arg: unknown): Promise<LastRun | undefined> {
    const given = (arg as { plan?: RunPlan } | undefined)?.plan;
    const plan = given ?? this.store.plan ?? this.last?.plan;
    if (!plan) {
      void this.notifier.show(
        'info',
        'Nothing to run again yet: run "Tracefix: Trace Only" or "Tracefix: Explain & Fix" first.',
      );
      return undefined;
    }
    const run = await runTraceCommand(this, 'trace', undefined, { plan, rerun: true });
    const trace = this.store.trace;
    if (run.status !== 'ok' || !trace) return run;
    if (run.passed) {
      void this.notifier.show('info', `${passesText(trace.program)}.`);
    } else {
      const again = 'Explain & Fix';
      void this.notifier
        .show('warning', `${failsText(trace.program)}: ${run.failure ?? 'see the timeline'}`, again)
        .then((c) => {
          if (c === again) void runTraceCommand(this, 'explain', undefined, { plan });
        });
    }
    return run;
  }

  private async replayFrom(index: number | undefined): Promise<void> {
    const trace = this.store.trace;
    if (!trace || index === undefined || !trace.events.at(index)) {
      void this.notifier.show('info', 'No recorded step to replay from: record a trace first.');
      return;
    }
    try {
      await this.replay.replayFrom(trace, index);
    } catch (e) {
      this.log.error(`replay: ${e instanceof Error ? e.message : String(e)}`);
      void this.notifier.show(
        'error',
        `Tracefix could not start the replay: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  /** The key belongs to the configured endpoint (stored per base URL): never sent elsewhere. */
  private async setApiKey(): Promise<void> {
    await askAndStoreApiKey(
      this.secrets,
      readSettings().baseUrl || undefined,
      (m) => void this.notifier.show('info', m),
    );
  }

  /** Called by the recorder flow; returns the function to call when the recording settled. */
  beginRecording(plan: RunPlan, controller: AbortController): () => void {
    let settle!: () => void;
    const finished = new Promise<void>((r) => (settle = r));
    const active: ActiveRecording = { plan, controller, finished };
    this.active = active;
    void vscode.commands.executeCommand('setContext', 'tracefix.running', true);
    this.recordingStarted.fire(plan);
    return () => {
      if (this.active === active) {
        this.active = undefined;
        void vscode.commands.executeCommand('setContext', 'tracefix.running', false);
      }
      settle();
    };
  }

  get isRecording(): boolean {
    return this.active !== undefined;
  }

  /** Aborts the recording in progress (if any) and waits until it has settled. */
  async cancelRunning(): Promise<boolean> {
    const a = this.active;
    if (!a) return false;
    a.controller.abort();
    await a.finished;
    return true;
  }

  finishRun(run: LastRun): LastRun {
    this.last = run;
    this.runFinished.fire(run);
    return run;
  }

  get lastRun(): LastRun | undefined {
    return this.last;
  }

  dispose(): void {
    this.active?.controller.abort();
    for (const d of this.disposables.reverse()) d.dispose();
    this.disposables.length = 0;
  }
}

function eventIndexOf(arg: unknown): number | undefined {
  if (typeof arg === 'number') return arg;
  const v = (arg as { eventIndex?: unknown } | undefined)?.eventIndex;
  return typeof v === 'number' ? v : undefined;
}
