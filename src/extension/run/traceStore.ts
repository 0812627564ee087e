// The recordings the editor knows and the one on screen: its decoration model per file, and for each
// traced file where its recorded lines are now (LineMap). Editing a traced file makes it stale: its
// lines are re-mapped from a diff against the recorded text, so values stay only on unchanged lines.
// Besides the latest run, Explain & Fix keeps its own recordings (the failing run its round 1 read,
// the patched runs later rounds read), so a step link can always open the run it cites.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildDecorations, type FileDecorations } from '../../core/render/decorations';
import { LineMap } from '../../core/render/lineMap';
import type { Trace } from '../../core/trace/model';
import type { RunPlan } from './runPlan';
import type { RecordingKind } from '../timeline/protocol';

export interface TracedFile {
  /** Relative to program.root, as in the trace. */
  rel: string;
  /** Where the file is shown: the workspace file, or a read-only document (a patched copy). */
  uri: vscode.Uri;
  /** The workspace file's path ('' for a file shown from a read-only document). */
  fsPath: string;
  recordedText: string;
  model: FileDecorations;
  /** The map for the document version it was computed for. */
  map?: { version: number; map: LineMap };
}

export interface RecordingInfo {
  kind: RecordingKind;
  /** What it is, for the timeline's recording list, e.g. "Round 2: with round 1's fix". */
  role?: string;
  /** One sentence under the timeline's recording list, e.g. that the run was of a patched copy. */
  detail?: string;
  /** Where a recorded file is shown instead of `<plan.root>/<rel>` (the patched copy is gone). */
  fileUri?: (rel: string) => vscode.Uri | undefined;
  /** Explain & Fix run that keeps it (kept across later runs until another Explain & Fix starts). */
  session?: number;
}

export interface Recording extends RecordingInfo {
  id: number;
  trace: Trace;
  plan: RunPlan;
  /** When it was recorded (ms). */
  at: number;
}

export class TraceStore implements vscode.Disposable {
  private nextRecording = 1;
  private current: { recording: Recording; files: Map<string, TracedFile> } | undefined;
  private list: Recording[] = [];
  /** The Explain & Fix run whose recordings are kept. */
  private keptSession: number | undefined;
  private readonly changed = new vscode.EventEmitter<vscode.Uri | undefined>();
  /** Fires with the uri whose view changed (stale / re-mapped), or undefined for all (new / cleared trace). */
  readonly onDidChange = this.changed.event;
  private readonly listChanged = new vscode.EventEmitter<void>();
  /** The recordings (or their roles) changed. */
  readonly onDidChangeRecordings = this.listChanged.event;
  private readonly disposables: vscode.Disposable[] = [this.changed, this.listChanged];

  constructor(private maxWidth: number) {
    this.disposables.push(vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e.document)));
  }

  get trace(): Trace | undefined {
    return this.current?.recording.trace;
  }

  get plan(): RunPlan | undefined {
    return this.current?.recording.plan;
  }

  /** The recording on screen. */
  get recording(): Recording | undefined {
    return this.current?.recording;
  }

  /** Every recording that can be shown: Explain & Fix's, then the latest run (if another). */
  recordings(): readonly Recording[] {
    return this.list;
  }

  recordingOf(trace: Trace): Recording | undefined {
    return this.list.find((r) => r.trace === trace);
  }

  /** Shows a new run (replacing the previous run unless Explain & Fix keeps it). */
  set(trace: Trace, plan: RunPlan, info: RecordingInfo = { kind: 'run' }): Recording {
    const existing = this.recordingOf(trace);
    const recording = existing ?? {
      ...info,
      id: this.nextRecording++,
      trace,
      plan,
      at: Date.now(),
    };
    if (!existing) {
      this.list = this.list.filter((r) => this.isKept(r));
      this.list.push(recording);
      this.listChanged.fire();
    }
    this.show(recording);
    return recording;
  }

  /** Adds a recording without showing it (a patched run an Explain & Fix round read). */
  add(trace: Trace, plan: RunPlan, info: RecordingInfo): Recording {
    const existing = this.recordingOf(trace);
    if (existing) return existing;
    const recording: Recording = { ...info, id: this.nextRecording++, trace, plan, at: Date.now() };
    this.list.push(recording);
    this.listChanged.fire();
    return recording;
  }

  /** Explain & Fix run `session` keeps `recording` (and no earlier run's recordings are kept). */
  keepFor(session: number, recording: Recording, role: string): void {
    this.keptSession = session;
    this.list = this.list.filter(
      (r) => r === recording || r === this.current?.recording || this.isKept(r),
    );
    recording.session = session;
    recording.role = role;
    this.listChanged.fire();
  }

  private isKept(r: Recording): boolean {
    return r.session !== undefined && r.session === this.keptSession;
  }

  /** Puts a known recording on screen (decorations, hovers, timeline). */
  show(recording: Recording): void {
    if (!this.list.includes(recording)) this.list.push(recording);
    const { trace, plan } = recording;
    const files = new Map<string, TracedFile>();
    const texts = new Map(trace.sources.map((s) => [s.path, s.text]));
    for (const model of buildDecorations(trace, { maxWidth: this.maxWidth })) {
      const recordedText = texts.get(model.file);
      if (recordedText === undefined) continue;
      const mapped = recording.fileUri?.(model.file);
      const fsPath = mapped
        ? ''
        : path.join(recording.fileUri ? plan.root : trace.program.root, ...model.file.split('/'));
      const uri = mapped ?? vscode.Uri.file(fsPath);
      files.set(keyOf(uri), { rel: model.file, uri, fsPath, recordedText, model });
    }
    this.current = { recording, files };
    this.changed.fire(undefined);
  }

  showById(id: number): boolean {
    const r = this.list.find((x) => x.id === id);
    if (!r) return false;
    if (r !== this.current?.recording) this.show(r);
    return true;
  }

  clear(): void {
    this.current = undefined;
    this.list = this.list.filter((r) => this.isKept(r));
    this.listChanged.fire();
    this.changed.fire(undefined);
  }

  /** Rebuilds the models with a new inline width (configuration change). */
  setMaxWidth(width: number): void {
    this.maxWidth = width;
    if (this.current) this.show(this.current.recording);
  }

  files(): TracedFile[] {
    return [...(this.current?.files.values() ?? [])];
  }

  fileFor(uri: vscode.Uri): TracedFile | undefined {
    return this.current?.files.get(keyOf(uri));
  }

  fileByRel(rel: string): TracedFile | undefined {
    return this.files().find((f) => f.rel === rel);
  }

  /** Where the recorded lines of `doc`'s file are in its current text (cached per version). */
  lineMap(doc: vscode.TextDocument): { file: TracedFile; map: LineMap } | undefined {
    const file = this.fileFor(doc.uri);
    if (!file) return undefined;
    if (file.map?.version !== doc.version)
      file.map = { version: doc.version, map: LineMap.between(file.recordedText, doc.getText()) };
    return { file, map: file.map.map };
  }

  isStale(doc: vscode.TextDocument): boolean {
    const m = this.lineMap(doc);
    return m !== undefined && !m.map.identity;
  }

  /** Traced workspace files whose open document no longer holds the recorded text. */
  staleFiles(): TracedFile[] {
    return this.files().filter((f) => {
      const doc = vscode.workspace.textDocuments.find((d) => keyOf(d.uri) === keyOf(f.uri));
      return doc !== undefined && this.isStale(doc);
    });
  }

  private onEdit(doc: vscode.TextDocument): void {
    const file = this.fileFor(doc.uri);
    if (!file) return;
    const was = file.map?.map.identity ?? true;
    const now = this.lineMap(doc)?.map.identity ?? true;
    if (!(was && now)) this.changed.fire(doc.uri);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** Identity of a document for the store: the real path of a file, else the whole uri. */
export function keyOf(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? canonical(uri.fsPath) : uri.toString();
}

const realpaths = new Map<string, string>();

/** Resolves symlinks (the recorder reports real paths) and caches, since this runs per keystroke. */
export function canonical(p: string): string {
  let r = realpaths.get(p);
  if (r === undefined) {
    try {
      r = fs.realpathSync(p);
    } catch {
      r = path.resolve(p);
    }
    realpaths.set(p, r);
  }
  return r;
}
