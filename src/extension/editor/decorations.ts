// Paints the trace into editors. Decoration types are created once and rebuilt only when the
// `tracefix.inline` settings change (the Error Lens pattern); per-line text travels in each
// decoration's renderOptions. Stale files (edited since the recording) show faded text only on lines
// whose text is unchanged, at their new position. The exception line also gets a Diagnostic.
import * as vscode from 'vscode';
import type { Comparisons } from '../compare/comparisons';
import { compareMarks, type CompareMark } from '../compare/marks';
import { COLORS } from '../contributes/views';
import { keyOf, type TracedFile, type TraceStore } from '../run/traceStore';
import type { TracefixSettings } from '../settings';

export type AppliedKind = 'trace' | 'exception' | 'stale' | 'compare';

export interface AppliedLine {
  /** 1-based line in the document as it is now. */
  line: number;
  text: string;
  kind: AppliedKind;
}

/** What was last set on the editors of one document (read by the test API). */
export interface AppliedDecorations {
  uri: string;
  stale: boolean;
  lines: AppliedLine[];
  neverExecuted: number[];
  exceptionLine?: number;
  /** Compared with a passing run: what it had on the lines where the runs part. */
  compare: AppliedLine[];
  at: number;
}

interface Types {
  trace: vscode.TextEditorDecorationType;
  exception: vscode.TextEditorDecorationType;
  stale: vscode.TextEditorDecorationType;
  never: vscode.TextEditorDecorationType;
  step: vscode.TextEditorDecorationType;
  compare: vscode.TextEditorDecorationType;
  why: vscode.TextEditorDecorationType;
}

const AFTER_MARGIN = '0 0 0 2.5em';

function createTypes(): Types {
  const after = (
    color: string,
    fontStyle?: string,
  ): vscode.ThemableDecorationAttachmentRenderOptions => ({
    color: new vscode.ThemeColor(color),
    margin: AFTER_MARGIN,
    ...(fontStyle ? { fontStyle } : {}),
  });
  // A line where the run parts from the passing run it is compared with: a bar in the compare colour.
  const compare = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    borderColor: new vscode.ThemeColor(COLORS.compare),
    borderStyle: 'solid',
    borderWidth: '0 0 0 2px',
    overviewRulerColor: new vscode.ThemeColor(COLORS.compare),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  return {
    compare,
    trace: vscode.window.createTextEditorDecorationType({
      after: after(COLORS.trace),
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    }),
    exception: vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor(COLORS.exceptionBackground),
      after: after(COLORS.exception),
      overviewRulerColor: new vscode.ThemeColor(COLORS.exception),
      overviewRulerLane: vscode.OverviewRulerLane.Right,
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    }),
    stale: vscode.window.createTextEditorDecorationType({
      after: after(COLORS.stale, 'italic'),
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    }),
    never: vscode.window.createTextEditorDecorationType({ isWholeLine: true, opacity: '0.5' }),
    step: vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor(COLORS.currentStep),
      overviewRulerColor: new vscode.ThemeColor(COLORS.currentStep),
      overviewRulerLane: vscode.OverviewRulerLane.Center,
    }),
    why: vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor(COLORS.why),
      overviewRulerColor: new vscode.ThemeColor(COLORS.why),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
    }),
  };
}

function disposeTypes(t: Types): void {
  for (const type of [t.trace, t.exception, t.stale, t.never, t.step, t.compare, t.why])
    type.dispose();
}

export class EditorDecorations implements vscode.Disposable {
  private types: Types = createTypes();
  private readonly applied = new Map<string, AppliedDecorations>();
  private readonly appliedEmitter = new vscode.EventEmitter<AppliedDecorations>();
  readonly onDidApply = this.appliedEmitter.event;
  readonly diagnostics = vscode.languages.createDiagnosticCollection('tracefix');
  /** The timeline's step: file (keyOf its uri) and recorded line. */
  private step: { key: string; line: number } | undefined;
  /** The why-chain's recorded lines, by file (keyOf its uri). */
  private why: Map<string, Set<number>> | undefined;
  private readonly disposables: vscode.Disposable[] = [this.appliedEmitter, this.diagnostics];

  constructor(
    private readonly store: TraceStore,
    private readonly settings: () => TracefixSettings,
    private readonly comparisons: Comparisons,
  ) {
    this.disposables.push(
      vscode.window.onDidChangeVisibleTextEditors((editors) =>
        editors.forEach((e) => this.apply(e)),
      ),
      store.onDidChange((uri) => this.refresh(uri)),
      comparisons.onDidChange(() => this.refresh(undefined)),
    );
  }

  /** The comparison's marks for the recording on screen (none when it is not the compared run). */
  private marks(): CompareMark[] {
    const c = this.comparisons.forRecording(this.store.recording);
    const aligned = c && this.comparisons.aligned();
    return c && aligned ? compareMarks(aligned.comparison, c.labels) : [];
  }

  /** Recreates the decoration types (configuration change) and repaints everything. */
  rebuildTypes(): void {
    disposeTypes(this.types);
    this.types = createTypes();
    this.refresh(undefined);
  }

  refresh(uri: vscode.Uri | undefined): void {
    for (const e of vscode.window.visibleTextEditors) {
      if (!uri || e.document.uri.toString() === uri.toString()) this.apply(e);
    }
    this.publishDiagnostics(uri);
  }

  lastApplied(uri: vscode.Uri): AppliedDecorations | undefined {
    return this.applied.get(uri.toString());
  }

  /** Highlights the recorded `line` of a traced file (a timeline step), or nothing. */
  setStep(step: { file: TracedFile; line: number } | undefined): void {
    this.step = step && { key: keyOf(step.file.uri), line: step.line };
    for (const e of vscode.window.visibleTextEditors) this.applyStep(e);
  }

  /** The step highlight as painted: document uri and current 1-based line. */
  stepHighlight(): { uri: string; line: number } | undefined {
    for (const e of vscode.window.visibleTextEditors) {
      const line = this.stepLine(e.document);
      if (line !== undefined) return { uri: e.document.uri.toString(), line };
    }
    return undefined;
  }

  /** Highlights the lines of a why-chain (recorded lines of traced files), or nothing. */
  setWhy(lines: { file: TracedFile; line: number }[] | undefined): void {
    if (!lines) this.why = undefined;
    else {
      this.why = new Map();
      for (const l of lines) {
        const key = keyOf(l.file.uri);
        let set = this.why.get(key);
        if (!set) this.why.set(key, (set = new Set()));
        set.add(l.line);
      }
    }
    for (const e of vscode.window.visibleTextEditors) this.applyWhy(e);
  }

  /** The why-chain's lines as painted: document uri → current 1-based lines, ascending. */
  whyHighlight(): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    for (const e of vscode.window.visibleTextEditors) {
      const lines = this.whyLines(e.document);
      if (lines.length) out[e.document.uri.toString()] = lines;
    }
    return out;
  }

  private whyLines(doc: vscode.TextDocument): number[] {
    const m = this.why && this.store.lineMap(doc);
    const recorded = m && this.why?.get(keyOf(m.file.uri));
    if (!m || !recorded) return [];
    const out: number[] = [];
    for (const l of recorded) {
      const line = m.map.toCurrent(l);
      if (line !== undefined && line <= doc.lineCount) out.push(line);
    }
    return out.sort((a, b) => a - b);
  }

  private applyWhy(editor: vscode.TextEditor): void {
    editor.setDecorations(
      this.types.why,
      this.whyLines(editor.document).map((l) => editor.document.lineAt(l - 1).range),
    );
  }

  private stepLine(doc: vscode.TextDocument): number | undefined {
    if (!this.step) return undefined;
    const m = this.store.lineMap(doc);
    if (!m || keyOf(m.file.uri) !== this.step.key) return undefined;
    return m.map.toCurrent(this.step.line);
  }

  private applyStep(editor: vscode.TextEditor): void {
    const line = this.stepLine(editor.document);
    editor.setDecorations(
      this.types.step,
      line === undefined ? [] : [editor.document.lineAt(line - 1).range],
    );
  }

  apply(editor: vscode.TextEditor): void {
    const doc = editor.document;
    const m = this.store.lineMap(doc);
    const lines: AppliedLine[] = [];
    const trace: vscode.DecorationOptions[] = [];
    const exception: vscode.DecorationOptions[] = [];
    const stale: vscode.DecorationOptions[] = [];
    const never: vscode.Range[] = [];
    const compare: vscode.DecorationOptions[] = [];
    const compared: AppliedLine[] = [];
    let exceptionLine: number | undefined;
    if (m) {
      const { file, map } = m;
      const isStale = !map.identity;
      const at = (line: number) => {
        const l = doc.lineAt(line - 1);
        return new vscode.Range(l.range.end, l.range.end);
      };
      // Compared with a passing run: its values follow the run's own in the same text. (Two texts
      // after one line are ordered by their decoration types' generated class names, which this
      // extension does not choose.) The line itself is marked in the compare colour.
      const marks = new Map<number, string>();
      for (const mark of this.marks()) {
        if (mark.file !== file.rel) continue;
        const line = map.toCurrent(mark.line);
        if (line === undefined || line > doc.lineCount) continue;
        marks.set(line, mark.text);
        compare.push({
          range: doc.lineAt(line - 1).range,
          hoverMessage: new vscode.MarkdownString(
            `Tracefix: this run parts from the passing run here${mark.first ? ' (the first divergence)' : ''}: ${mark.text}. The timeline shows the two runs aligned.`,
          ),
        });
        compared.push({ line, text: mark.text, kind: 'compare' });
      }
      const painted = new Set<number>();
      for (const d of file.model.lines) {
        const line = map.toCurrent(d.line);
        if (line === undefined || line > doc.lineCount) continue;
        const isException = file.model.exception?.line === d.line;
        if (isException) exceptionLine = line;
        const theirs = isStale ? undefined : marks.get(line);
        if (!d.text && !theirs && !(isException && !isStale)) continue;
        const kind: AppliedKind = isStale ? 'stale' : isException ? 'exception' : 'trace';
        const text = theirs ? (d.text ? `${d.text}    ${theirs}` : theirs) : d.text;
        const options: vscode.DecorationOptions = {
          range: at(line),
          renderOptions: { after: { contentText: text } },
        };
        (kind === 'stale' ? stale : kind === 'exception' ? exception : trace).push(options);
        lines.push({ line, text: d.text, kind });
        painted.add(line);
      }
      // A mark on a line with no values of its own (the passing run ran a line before it).
      for (const [line, text] of marks)
        if (!painted.has(line) && !isStale)
          trace.push({ range: at(line), renderOptions: { after: { contentText: text } } });
      if (!isStale && this.settings().dimNeverExecuted) {
        for (const l of file.model.neverExecuted)
          if (l <= doc.lineCount) never.push(doc.lineAt(l - 1).range);
      }
      const record: AppliedDecorations = {
        uri: doc.uri.toString(),
        stale: isStale,
        lines,
        neverExecuted: never.map((r) => r.start.line + 1),
        compare: compared,
        at: Date.now(),
      };
      if (exceptionLine !== undefined) record.exceptionLine = exceptionLine;
      this.applied.set(record.uri, record);
    } else {
      this.applied.delete(doc.uri.toString());
    }
    editor.setDecorations(this.types.compare, compare);
    editor.setDecorations(this.types.trace, trace);
    editor.setDecorations(this.types.exception, exception);
    editor.setDecorations(this.types.stale, stale);
    editor.setDecorations(this.types.never, never);
    this.applyStep(editor);
    this.applyWhy(editor);
    const record = this.applied.get(doc.uri.toString());
    if (record) this.appliedEmitter.fire(record);
  }

  private publishDiagnostics(uri: vscode.Uri | undefined): void {
    if (!uri) this.diagnostics.clear();
    // Once a traced file changed (a fix applied, an edit), the recorded failure is history: it stays
    // visible, as information, until a new run says whether it still fails.
    const changed = this.store.staleFiles().map((f) => f.rel);
    for (const file of this.store.files()) {
      const d = this.diagnosticFor(file, changed);
      this.diagnostics.set(file.uri, d ? [d] : []);
    }
  }

  private diagnosticFor(file: TracedFile, changed: string[]): vscode.Diagnostic | undefined {
    const exc = file.model.exception;
    if (!exc) return undefined;
    const doc = vscode.workspace.textDocuments.find((d) => keyOf(d.uri) === keyOf(file.uri));
    let range: vscode.Range;
    if (doc) {
      const line = this.store.lineMap(doc)?.map.toCurrent(exc.line);
      if (line === undefined || line > doc.lineCount) return undefined;
      const l = doc.lineAt(line - 1);
      range = new vscode.Range(
        line - 1,
        l.firstNonWhitespaceCharacterIndex,
        line - 1,
        l.range.end.character,
      );
    } else {
      const text = file.recordedText.split(/\r\n|\r|\n/)[exc.line - 1] ?? '';
      range = new vscode.Range(
        exc.line - 1,
        text.length - text.trimStart().length,
        exc.line - 1,
        text.length,
      );
    }
    const message = exc.message ? `${exc.type}: ${exc.message}` : exc.type;
    const recording = this.store.recording;
    const where =
      recording?.kind === 'patched'
        ? `in the recorded run of ${recording.role ?? 'a patched copy'}`
        : 'in the recorded run';
    const stale = changed.length > 0;
    const d = new vscode.Diagnostic(
      range,
      stale
        ? `${message} (${where}, before ${changed.join(', ')} changed: run it again to check)`
        : `${message} (${where})`,
      stale ? vscode.DiagnosticSeverity.Information : vscode.DiagnosticSeverity.Error,
    );
    d.source = 'Tracefix';
    return d;
  }

  dispose(): void {
    disposeTypes(this.types);
    for (const d of this.disposables) d.dispose();
  }
}
