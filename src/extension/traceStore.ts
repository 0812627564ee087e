// The current trace and what the editor shows of it: the decoration model per file, and for each
// traced file where its recorded lines are now (LineMap). Editing a traced file makes it stale: its
// lines are re-mapped from a diff against the recorded text, so values stay only on unchanged lines.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildDecorations, type FileDecorations } from '../core/render/decorations';
import { LineMap } from '../core/render/lineMap';
import type { Trace } from '../core/trace/model';
import type { RunPlan } from './runPlan';

export interface TracedFile {
  /** Relative to program.root, as in the trace. */
  rel: string;
  fsPath: string;
  recordedText: string;
  model: FileDecorations;
  /** The map for the document version it was computed for. */
  map?: { version: number; map: LineMap };
}

export class TraceStore implements vscode.Disposable {
  private current: { trace: Trace; plan: RunPlan; files: Map<string, TracedFile> } | undefined;
  private readonly changed = new vscode.EventEmitter<vscode.Uri | undefined>();
  /** Fires with the uri whose view changed (stale / re-mapped), or undefined for all (new / cleared trace). */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private maxWidth: number) {
    this.disposables.push(vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e.document)));
  }

  get trace(): Trace | undefined {
    return this.current?.trace;
  }

  get plan(): RunPlan | undefined {
    return this.current?.plan;
  }

  set(trace: Trace, plan: RunPlan): void {
    const files = new Map<string, TracedFile>();
    const texts = new Map(trace.sources.map((s) => [s.path, s.text]));
    for (const model of buildDecorations(trace, { maxWidth: this.maxWidth })) {
      const recordedText = texts.get(model.file);
      if (recordedText === undefined) continue;
      const fsPath = path.join(trace.program.root, ...model.file.split('/'));
      files.set(canonical(fsPath), { rel: model.file, fsPath, recordedText, model });
    }
    this.current = { trace, plan, files };
    this.changed.fire(undefined);
  }

  clear(): void {
    this.current = undefined;
    this.changed.fire(undefined);
  }

  /** Rebuilds the models with a new inline width (configuration change). */
  setMaxWidth(width: number): void {
    this.maxWidth = width;
    if (this.current) this.set(this.current.trace, this.current.plan);
  }

  files(): TracedFile[] {
    return [...(this.current?.files.values() ?? [])];
  }

  fileFor(uri: vscode.Uri): TracedFile | undefined {
    if (!this.current || uri.scheme !== 'file') return undefined;
    return this.current.files.get(canonical(uri.fsPath));
  }

  fileByRel(rel: string): TracedFile | undefined {
    return this.files().find((f) => f.rel === rel);
  }

  /** Where the recorded lines of `doc`'s file are in its current text (cached per version). */
  lineMap(doc: vscode.TextDocument): { file: TracedFile; map: LineMap } | undefined {
    const file = this.fileFor(doc.uri);
    if (!file) return undefined;
    if (file.map?.version !== doc.version) file.map = { version: doc.version, map: LineMap.between(file.recordedText, doc.getText()) };
    return { file, map: file.map.map };
  }

  isStale(doc: vscode.TextDocument): boolean {
    const m = this.lineMap(doc);
    return m !== undefined && !m.map.identity;
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
