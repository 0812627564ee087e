// The comparison the editor shows: a recording (the failing run) aligned with a passing run. The
// timeline shows the two aligned while the failing run is on screen, and the editors mark the lines
// where they part. One comparison at a time; it ends when its failing run is no longer kept.
import * as vscode from 'vscode';
import type { RunLabels } from '../../core/compare/format';
import type { Trace } from '../../core/trace/model';
import { comparedRows, type ComparedRows } from '../timeline/compareRows';
import type { Recording, TraceStore } from '../run/traceStore';

export interface ActiveComparison {
  failing: Recording;
  passing: Trace;
  /** "the same test at HEAD (3f2a91c), where it passes". */
  description: string;
  labels: RunLabels;
}

export class Comparisons implements vscode.Disposable {
  private active: ActiveComparison | undefined;
  private rows: ComparedRows | undefined;
  private readonly changed = new vscode.EventEmitter<ActiveComparison | undefined>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(store: TraceStore) {
    this.disposables.push(
      store.onDidChangeRecordings(() => {
        if (this.active && !store.recordings().includes(this.active.failing)) this.clear();
      }),
    );
  }

  get current(): ActiveComparison | undefined {
    return this.active;
  }

  set(c: ActiveComparison): void {
    this.active = c;
    this.rows = undefined;
    this.changed.fire(c);
  }

  clear(): void {
    if (!this.active) return;
    this.active = undefined;
    this.rows = undefined;
    this.changed.fire(undefined);
  }

  /** The comparison whose failing run is `r` (the recording on screen), if any. */
  forRecording(r: Recording | undefined): ActiveComparison | undefined {
    return r && this.active?.failing === r ? this.active : undefined;
  }

  /** The aligned rows and the comparison of the active pair (built once). */
  aligned(): ComparedRows | undefined {
    const c = this.active;
    if (!c) return undefined;
    this.rows ??= comparedRows(c.failing.trace, c.passing, c);
    return this.rows;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
