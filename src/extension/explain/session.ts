// One Explain & Fix run as the editor shows it: every round's streamed rationale, its patch and
// verification, fed by the core's FixEvents, and what happened after (a fix applied, a later run).
// The view, the code actions and the commands all read the current session, so they always agree
// on which patch is on offer. Free of `vscode` (unit-tested).
import { CancelledError, errorMessage, isUserError } from '../../core/errors';
import type { FixEvent, FixResult, FixRound, ToolCallRecord } from '../../core/fix';
import type { Trace } from '../../core/trace/model';
import { recordingModel } from '../../core/trace/recordingModel';
import type { RunPlan } from '../run/runPlan';

export type RoundPhase = 'tracing' | 'asking' | 'verifying' | 'done';

/** A fix applied from this run: which round, and each edited document's version right after. */
export interface AppliedFix {
  round: number;
  files: { uri: string; rel: string; version: number }[];
  at: number;
}

/** The latest run of the same target after this Explain & Fix (a re-run, or a later Trace / Explain & Fix). */
export interface LaterRun {
  status: 'running' | 'passed' | 'failed' | 'error';
  /** One line: the failure, or the error. */
  text: string;
  at: number;
  /** It ran with a fix from this run applied. */
  withFix?: number;
}
export type SessionStatus = 'running' | 'fixed' | 'not-fixed' | 'error' | 'cancelled';

export interface RoundState {
  index: number;
  phase: RoundPhase;
  /** Answer text up to the code, as it streamed in. */
  streamed: string;
  /** Set when the round is done. */
  result?: FixRound;
  /** A note such as "the patched program could not be traced". */
  notes: string[];
  /** The trace tool calls of the round so far, with their answers. */
  toolCalls: ToolCallRecord[];
  /** Where the text streamed since the last tool calls starts in `streamed`. */
  turnStart: number;
}

export type SessionChange = { kind: 'delta'; round: number; text: string } | { kind: 'state' };

/** A minimal event emitter (the session stays free of `vscode`, so it is unit-tested). */
class Emitter<T> {
  private listeners: ((value: T) => void)[] = [];
  readonly event = (listener: (value: T) => void): { dispose(): void } => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };

  fire(value: T): void {
    for (const l of [...this.listeners]) l(value);
  }

  dispose(): void {
    this.listeners = [];
  }
}

export class FixSession {
  readonly rounds: RoundState[] = [];
  status: SessionStatus = 'running';
  providerLabel = '';
  error: { code?: string; message: string; hint?: string } | undefined;
  result: FixResult | undefined;
  /** The `tracefix.allowTestEdits` setting when the run started. */
  allowTestEdits = false;
  /** The run of the previous round's patched program each later round read (round → trace). */
  readonly patchedTraces = new Map<number, Trace>();
  applied: AppliedFix | undefined;
  /** An unverified round whose Apply the user pressed: the view asks to confirm before applying. */
  confirming: number | undefined;
  laterRun: LaterRun | undefined;
  readonly startedAt = Date.now();
  private readonly changed = new Emitter<SessionChange>();
  readonly onDidChange = this.changed.event;

  /** Absolute folder the patch paths are relative to. */
  readonly root: string;

  constructor(
    /** Numbers the Explain & Fix runs of the window (a fix command names the run it is for). */
    readonly id: number,
    readonly trace: Trace,
    /** What was run (re-runs run it again). */
    readonly plan: RunPlan,
    readonly maxRounds: number,
  ) {
    this.root = plan.root;
  }

  /** Highest `(k)` step number of the trace: rationale references beyond it are not links. */
  get maxStep(): number {
    return Math.max(0, recordingModel(this.trace).maxStep);
  }

  private roundState(index: number): RoundState {
    let r = this.rounds.find((x) => x.index === index);
    if (!r) {
      r = { index, phase: 'asking', streamed: '', notes: [], toolCalls: [], turnStart: 0 };
      this.rounds.push(r);
    }
    return r;
  }

  onEvent(e: FixEvent): void {
    switch (e.type) {
      case 'trace-start':
        if (e.patched) this.roundState(e.round).phase = 'tracing';
        break;
      case 'trace-done':
        if (!e.patched) return;
        this.patchedTraces.set(e.round, e.trace);
        break;
      case 'trace-failed':
        this.roundState(e.round).notes.push(
          `The patched program could not be traced: ${e.message}`,
        );
        break;
      case 'model-start':
        this.roundState(e.round).phase = 'asking';
        break;
      case 'rationale-delta':
        this.roundState(e.round).streamed += e.text;
        this.changed.fire({ kind: 'delta', round: e.round, text: e.text });
        return;
      case 'tool-call': {
        // What the model wrote before calling is shown with the calls, not as the rationale.
        const r = this.roundState(e.round);
        const said = r.streamed.slice(r.turnStart).trim();
        r.streamed = r.streamed.slice(0, r.turnStart);
        r.toolCalls.push(said && !e.call.said ? { ...e.call, said } : e.call);
        r.turnStart = r.streamed.length;
        break;
      }
      case 'tools-unavailable':
        this.roundState(e.round).notes.push(
          `${this.providerLabel || 'The model'} does not take tool calls (${e.reason}), so it was asked without the trace tools.`,
        );
        break;
      case 'verify-start':
        this.roundState(e.round).phase = 'verifying';
        break;
      case 'round-done': {
        const r = this.roundState(e.round.index);
        r.phase = 'done';
        r.result = e.round;
        break;
      }
      default:
        return;
    }
    this.changed.fire({ kind: 'state' });
  }

  /** Tells the views something changed (applied, undone, a later run). */
  touch(): void {
    this.changed.fire({ kind: 'state' });
  }

  finish(result: FixResult): void {
    this.result = result;
    this.status = result.fixed ? 'fixed' : 'not-fixed';
    this.changed.fire({ kind: 'state' });
  }

  fail(e: unknown): void {
    this.status = e instanceof CancelledError ? 'cancelled' : 'error';
    this.error = {
      message: errorMessage(e),
      ...(isUserError(e) ? { code: e.code, ...(e.hint ? { hint: e.hint } : {}) } : {}),
    };
    this.changed.fire({ kind: 'state' });
  }

  round(index: number): FixRound | undefined {
    return this.rounds.find((r) => r.index === index)?.result;
  }

  /** Can this round's patch be offered (applied, previewed): it has one, and it leaves the tests
   * alone unless test edits are allowed. */
  canOffer(r: FixRound | undefined): boolean {
    return Boolean(r?.patch?.files.length) && (r?.changesTests.length === 0 || this.allowTestEdits);
  }

  /** The round whose patch is on offer: the verified one, else the last one with a patch to offer. */
  offeredRound(): FixRound | undefined {
    const done = this.rounds
      .map((r) => r.result)
      .filter((r): r is FixRound => r !== undefined && this.canOffer(r));
    return done.find((r) => r.verification?.passed) ?? done[done.length - 1];
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export { fixSummary, verificationLabel } from './labels';
