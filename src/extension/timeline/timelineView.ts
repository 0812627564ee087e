// The timeline: a webview view in the panel area (beside the Debug Console and the Terminal, where
// run-time views live), listing every recorded event of the recording on screen. Selecting one
// (click, ←/→, a hover's "show step in timeline" link, a step link of the explanation) highlights its
// line in an editor and shows the full locals at that point. Its header names the recording on screen
// and switches between the recordings kept (the latest run, and the runs Explain & Fix's rounds
// read), and says when the code changed since. The webview only renders; selection state lives here
// so hover links, the explanation and tests agree with it. Its Replay and Re-run buttons act on the
// recording on screen.
import * as vscode from 'vscode';
import type { WhyChain } from '../../core/render/whyChain';
import type { TraceEvent } from '../../core/trace/model';
import { CONTEXT_KEYS, VIEWS } from '../contributes/views';
import type { EditorDecorations } from '../editor/decorations';
import type { RunPlan } from '../run/runPlan';
import type { Comparisons } from '../compare/comparisons';
import type { Recording, TraceStore } from '../run/traceStore';
import { WebviewShell } from '../webview/shell';
import { passingEventOf } from './compareRows';
import type {
  FromTimelineWebview,
  RecordingEntry,
  RenderedWhy,
  ToTimelineWebview,
  WhyMark,
} from './protocol';
import { detailOf, elisionRowOf, rowOf, summaryOf } from './rows';
import { TIMELINE_PAGE } from './timelinePage';

/** What the view's buttons do (the parts that do it are made after the view). */
export interface TimelineActions {
  /** Replay the recording on screen from event `index`. */
  replayFrom(index: number): Promise<unknown>;
  /** Run the recording's target again. */
  rerun(plan: RunPlan): Promise<unknown>;
  /** The compare bar: pick a passing run to compare with, stop comparing. */
  compareWith(): Promise<unknown>;
  stopComparing(): void;
}

export interface TimelineState {
  /** The view is visible. */
  open: boolean;
  selected?: number;
  rows: number;
  /** The recording on screen and every one that can be switched to. */
  recording?: RecordingEntry;
  recordings: RecordingEntry[];
  /** Traced files changed since the recording on screen. */
  stale: string[];
  /** The row standing for the events a long run left out. */
  elision?: string;
  /** When the recording on screen is shown aligned with a passing run. */
  compare?: {
    title: string;
    summary: string;
    /** Row id of the first divergence. */
    first?: number;
    /** Rows by mark: a value differs, only this run / only the passing run took the step, not compared. */
    marks: { value: number; onlyA: number; onlyB: number; skipped: number };
    /** Rows showing the passing run's value beside ours. */
    withTheirs: number;
    /** Row ids of the first steps only the passing run took. */
    passingOnly: number[];
  };
  /** The why-chain highlighted (its title and events), if any. */
  why?: WhyMark;
  /** What the webview showed of it (only under the extension's tests). */
  whyShown?: RenderedWhy;
}

function timeOf(ms: number): string {
  return new Date(ms).toLocaleTimeString('en-GB', { hour12: false });
}

export function entryOf(r: Recording): RecordingEntry {
  return {
    id: r.id,
    kind: r.kind,
    label: `${r.role ? `${r.role} — ` : ''}${summaryOf(r.trace)} · ${timeOf(r.at)}`,
  };
}

export class TimelineView implements vscode.Disposable {
  private readonly shell: WebviewShell<FromTimelineWebview, ToTimelineWebview>;
  private selected: number | undefined;
  /** The why-chain shown in the list and the code, of the recording on screen. */
  private why: WhyMark | undefined;
  private whyShown: RenderedWhy | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly selectedEmitter = new vscode.EventEmitter<number>();
  readonly onDidSelect = this.selectedEmitter.event;

  constructor(
    extensionUri: vscode.Uri,
    private readonly store: TraceStore,
    private readonly decorations: EditorDecorations,
    private readonly actions: TimelineActions,
    private readonly comparisons: Comparisons,
    /** The webview reports what it showed of a why-chain (the extension's tests only). */
    private readonly reportWhy = false,
  ) {
    this.shell = new WebviewShell(extensionUri, VIEWS.timeline, TIMELINE_PAGE, {
      onMessage: (m) => this.onMessage(m),
      onDidDispose: () => this.decorations.setStep(undefined),
    });
    this.disposables.push(
      this.shell,
      this.selectedEmitter,
      store.onDidChange((uri) => {
        if (uri) {
          this.postStale();
          return;
        }
        this.selected = undefined;
        this.decorations.setStep(undefined);
        this.dropWhy();
        this.postTrace();
      }),
      store.onDidChangeRecordings(() => this.postTrace()),
      comparisons.onDidChange(() => {
        this.selected = undefined;
        this.postTrace();
      }),
    );
  }

  /**
   * Marks a why-chain of the recording on screen: its rows in the list (with the question in the
   * header), its lines in the code, and selects the step where the value was made. Replaces the
   * chain shown before; `clearWhy`, a new recording or the header's Clear button remove it.
   */
  async showWhy(chain: WhyChain): Promise<void> {
    const trace = this.store.trace;
    if (!trace) return;
    const detail = `${chain.events.length} step${chain.events.length === 1 ? '' : 's'}${chain.more || chain.deeper ? '; it goes further back (ask the why tool for more)' : ''}`;
    this.why = { title: chain.title, events: chain.events, detail };
    this.whyShown = undefined;
    this.decorations.setWhy(
      chain.lines.flatMap((l) => {
        const file = this.store.fileByRel(l.file);
        return file ? [{ file, line: l.line }] : [];
      }),
    );
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasWhy, true);
    await this.show();
    this.postWhy();
    const origin = chain.events[0];
    if (origin !== undefined) await this.select(origin);
  }

  /** Removes the why-chain from the list and the code. */
  clearWhy(): void {
    if (!this.why) return;
    this.dropWhy();
    this.postWhy();
  }

  private dropWhy(): void {
    if (!this.why) return;
    this.why = undefined;
    this.whyShown = undefined;
    this.decorations.setWhy(undefined);
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasWhy, false);
  }

  private postWhy(): void {
    this.shell.post({ type: 'why', why: this.why ?? null, report: this.reportWhy });
  }

  get isOpen(): boolean {
    return this.shell.isOpen;
  }

  state(): TimelineState {
    const r = this.store.recording;
    const s: TimelineState = {
      open: this.isOpen,
      rows: this.store.trace?.events.length ?? 0,
      recordings: this.store.recordings().map(entryOf),
      stale: this.store.staleFiles().map((f) => f.rel),
    };
    if (r) s.recording = entryOf(r);
    const gap = r && elisionRowOf(r.trace);
    if (gap) s.elision = gap.text;
    if (this.selected !== undefined) s.selected = this.selected;
    const aligned = this.comparisons.forRecording(r) && this.comparisons.aligned();
    if (aligned) {
      const count = (m: string) => aligned.rows.filter((x) => x.mark === m).length;
      s.compare = {
        title: aligned.header.title,
        summary: aligned.header.summary,
        ...(aligned.header.first !== undefined ? { first: aligned.header.first } : {}),
        marks: {
          value: count('value'),
          onlyA: count('only-a'),
          onlyB: count('only-b'),
          skipped: count('skipped'),
        },
        withTheirs: aligned.rows.filter((x) => x.b !== undefined).length,
        passingOnly: aligned.rows
          .filter((x) => x.mark === 'only-b')
          .slice(0, 5)
          .map((x) => x.i),
      };
    }
    if (this.why) s.why = this.why;
    if (this.whyShown) s.whyShown = this.whyShown;
    return s;
  }

  /** Reveals the view without taking the focus from the editor, optionally at an event. */
  async show(eventIndex?: number): Promise<void> {
    await this.shell.show();
    if (eventIndex !== undefined) await this.select(eventIndex);
  }

  /** Selects an event: editor highlight + full locals in the view (`reveal: false`: leave the editors' scroll alone). */
  async select(index: number, opts: { reveal?: boolean } = {}): Promise<void> {
    if (index < 0) return this.selectPassing(index);
    const trace = this.store.trace;
    const e = trace?.events.at(index);
    if (!trace || !e) return;
    this.selected = index;
    this.shell.post({ type: 'select', index, detail: detailOf(trace, e) });
    this.selectedEmitter.fire(index);
    if (opts.reveal === false) {
      const file = this.store.fileByRel(e.file);
      this.decorations.setStep(file ? { file, line: e.line } : undefined);
      return;
    }
    await this.reveal(e);
  }

  /** A step only the passing run took (compared): its detail, and no line of this run to reveal. */
  private selectPassing(rowId: number): void {
    const c = this.comparisons.forRecording(this.store.recording);
    const e = c?.passing.events.at(passingEventOf(rowId));
    if (!c || !e) return;
    this.selected = rowId;
    this.shell.post({
      type: 'select',
      index: rowId,
      detail: { ...detailOf(c.passing, e), run: `Only in ${c.labels.b}` },
    });
    this.selectedEmitter.fire(rowId);
    this.decorations.setStep(undefined);
  }

  private async reveal(e: TraceEvent): Promise<void> {
    const file = this.store.fileByRel(e.file);
    if (!file) return;
    const visible = vscode.window.visibleTextEditors.find(
      (ed) => ed.document.uri.toString() === file.uri.toString(),
    );
    const column =
      visible?.viewColumn ?? vscode.window.activeTextEditor?.viewColumn ?? vscode.ViewColumn.One;
    const editor = await vscode.window.showTextDocument(file.uri, {
      viewColumn: column,
      preserveFocus: true,
      preview: true,
    });
    const line = this.store.lineMap(editor.document)?.map.toCurrent(e.line);
    if (line !== undefined)
      editor.revealRange(
        editor.document.lineAt(line - 1).range,
        vscode.TextEditorRevealType.InCenterIfOutsideViewport,
      );
    this.decorations.setStep({ file, line: e.line });
  }

  private onMessage(m: FromTimelineWebview): void {
    switch (m.type) {
      case 'ready':
        this.postTrace();
        return;
      case 'select':
        if (Number.isInteger(m.index)) void this.select(m.index);
        return;
      case 'replay':
        void this.actions.replayFrom(this.selected ?? 0);
        return;
      case 'recording':
        if (Number.isInteger(m.id)) this.store.showById(m.id);
        return;
      case 'rerun': {
        const plan = this.store.recording?.plan;
        if (plan) void this.actions.rerun(plan);
        return;
      }
      case 'compare-with':
        void this.actions.compareWith();
        return;
      case 'compare-first': {
        const first = this.comparisons.aligned()?.header.first;
        if (first !== undefined) void this.select(first);
        return;
      }
      case 'compare-stop':
        this.actions.stopComparing();
        return;
      case 'clearWhy':
        this.clearWhy();
        return;
      case 'whyShown':
        if (this.reportWhy && this.why && Array.isArray(m.marked))
          this.whyShown = { header: String(m.header), marked: m.marked.filter(Number.isInteger) };
        return;
    }
  }

  private postStale(): void {
    this.shell.post({
      type: 'stale',
      files: this.store.staleFiles().map((f) => f.rel),
    });
  }

  private postTrace(): void {
    if (!this.shell.isResolved) return;
    const recording = this.store.recording;
    const trace = recording?.trace;
    if (!trace) {
      this.shell.post({
        type: 'clear',
        recordings: this.store.recordings().map(entryOf),
      });
      return;
    }
    const i = trace.interpreter;
    const recordedWith = `Python ${i.version} (${i.path}) · debugpy ${i.debugpyVersion} · ${trace.engine} engine`;
    const note = recording.detail ?? '';
    // Compared with a passing run: the two aligned, with the compare bar.
    const aligned = this.comparisons.forRecording(recording) && this.comparisons.aligned();
    this.shell.post({
      type: 'trace',
      recordings: this.store.recordings().map(entryOf),
      current: recording.id,
      summary: summaryOf(trace),
      recordedWith,
      note,
      stale: this.store.staleFiles().map((f) => f.rel),
      rows: aligned ? aligned.rows : trace.events.map(rowOf),
      elision: elisionRowOf(trace) ?? null,
      selected: this.selected,
      ...(aligned ? { compare: aligned.header } : {}),
    });
    if (this.selected !== undefined) void this.select(this.selected, { reveal: false });
    if (this.why) this.postWhy();
    if (this.selected !== undefined) {
      const e = trace.events.at(this.selected);
      if (e)
        this.shell.post({
          type: 'select',
          index: this.selected,
          detail: detailOf(trace, e),
        });
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
