// What the Timeline view (timelineView.ts) and its webview (src/webview/timeline) say to each other:
// the rows of the recording on screen (rows.ts builds them), the selected step's detail, the
// recordings that can be switched to, and what the user did. Types only, free of `vscode` and of
// Node, so both sides compile against the same file.
import type { EventKind } from '../../core/trace/model';

/** One row: an event of the recording. */
export interface TimelineRow {
  /** Event index (what a selection names); compared with a passing run, -(j + 1) for the passing
   * run's event j that the recording on screen has no counterpart of. */
  i: number;
  /** Step number (null: not a step, e.g. a call). */
  k: number | null;
  kind: EventKind;
  file: string;
  line: number;
  fn: string;
  call: number;
  depth: number;
  text: string;
  /** Compared with a passing run: what the passing run's matching step changed, when it differs. */
  b?: string;
  /** Compared with a passing run: a value differs here, only one run took this step, or it was not
   * compared (next to a stretch one run did not record). */
  mark?: 'value' | 'only-a' | 'only-b' | 'skipped';
  /** The first divergence. */
  first?: boolean;
}

/** The comparison the timeline shows, when the recording on screen is compared with a passing run. */
export interface CompareHeader {
  /** "Compared with the same test at HEAD (3f2a91c), where it passes". */
  title: string;
  /** How the passing run is named in the rows ("at HEAD"). */
  bShort: string;
  /** One line: "First divergence at step (5) fmt.py:3 — 6 divergent steps at 6 places". */
  summary: string;
  /** Row to jump to (its `i`), when the runs diverge. */
  first?: number;
}

/** The gap of a long run, shown as one row before event `at`. */
export interface ElisionRow {
  at: number;
  text: string;
  title: string;
}

/** Everything about the selected step. */
export interface StepDetail {
  i: number;
  k: number | null;
  kind: EventKind;
  file: string;
  line: number;
  fn: string;
  call: number;
  depth: number;
  caller?: string;
  changed: Record<string, string>;
  /** Changes inside values whose repr is cut, e.g. `data[1]=7`. */
  deltas: string[];
  locals: Record<string, string>;
  value?: string;
  exception?: string;
  /** Set when the step is another run's (a step only the passing run took): which run. */
  run?: string;
}

/** A recording of the program as the user ran it, or of a patched copy a round of Explain & Fix read. */
export type RecordingKind = 'run' | 'patched';

/** A recording the header can switch to. */
export interface RecordingEntry {
  id: number;
  label: string;
  kind: RecordingKind;
}

/** A why-chain marked in the list: "why name = v at (k)" and the steps that made the value. */
export interface WhyMark {
  title: string;
  /** Event indices of the chain, nearest the question first (where the value was made first). */
  events: number[];
  /** e.g. `6 steps` or `40 steps shown; it goes further back`. */
  detail: string;
}

/** What the list shows of a why-chain: read back only when the extension runs under its tests. */
export interface RenderedWhy {
  /** The header's text ('' when hidden). */
  header: string;
  /** Event indices of the rows built and marked as on the chain. */
  marked: number[];
}

export type ToTimelineWebview =
  | {
      type: 'trace';
      recordings: RecordingEntry[];
      current: number;
      summary: string;
      recordedWith: string;
      /** Why this recording is special (e.g. run in a patched copy), or ''. */
      note: string;
      stale: string[];
      rows: TimelineRow[];
      elision: ElisionRow | null;
      selected: number | undefined;
      /** Set when the rows are the recording aligned with a passing run. */
      compare?: CompareHeader;
    }
  | { type: 'select'; index: number; detail: StepDetail }
  | { type: 'stale'; files: string[] }
  | { type: 'clear'; recordings: RecordingEntry[] }
  /** Marks a why-chain (null: removes the marks); `report`: say what was shown (tests only). */
  | { type: 'why'; why: WhyMark | null; report: boolean };

export type FromTimelineWebview =
  | { type: 'ready' }
  | { type: 'select'; index: number }
  | { type: 'replay' }
  | { type: 'recording'; id: number }
  | { type: 'rerun' }
  /** The compare bar's buttons: pick a run to compare with, go to the first divergence, stop. */
  | { type: 'compare-with' }
  | { type: 'compare-first' }
  | { type: 'compare-stop' }
  | { type: 'clearWhy' }
  | ({ type: 'whyShown' } & RenderedWhy);
