// One Explain & Fix run as the editor shows it: every round's streamed rationale, its patch and
// verification, fed by the core's FixEvents. The panel, the code actions and the commands all read
// the current session, so they always agree on which patch is on offer.
import * as vscode from 'vscode';
import { CancelledError, errorMessage, isUserError } from '../../core/errors';
import type { FixEvent, FixResult, FixRound } from '../../core/fix';
import type { Trace } from '../../core/trace/model';

export type RoundPhase = 'tracing' | 'asking' | 'verifying' | 'done';
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
}

let nextId = 1;

export class FixSession {
  readonly id = nextId++;
  readonly rounds: RoundState[] = [];
  status: SessionStatus = 'running';
  providerLabel = '';
  error: { code?: string; message: string; hint?: string } | undefined;
  result: FixResult | undefined;
  /** The `tracefix.allowTestEdits` setting when the run started. */
  allowTestEdits = false;
  private readonly changed = new vscode.EventEmitter<{ kind: 'delta'; round: number; text: string } | { kind: 'state' }>();
  readonly onDidChange = this.changed.event;

  constructor(
    readonly trace: Trace,
    /** Absolute folder the patch paths are relative to. */
    readonly root: string,
    readonly maxRounds: number,
  ) {}

  /** Highest `(k)` step number of the trace: rationale references beyond it are not links. */
  get maxStep(): number {
    let max = 0;
    this.trace.events.forEach((e) => {
      max = Math.max(max, e.step ?? 0);
    });
    return max;
  }

  private roundState(index: number): RoundState {
    let r = this.rounds.find((x) => x.index === index);
    if (!r) {
      r = { index, phase: 'asking', streamed: '', notes: [] };
      this.rounds.push(r);
    }
    return r;
  }

  onEvent(e: FixEvent): void {
    switch (e.type) {
      case 'trace-start':
        if (e.patched) this.roundState(e.round).phase = 'tracing';
        break;
      case 'trace-failed':
        this.roundState(e.round).notes.push(`The patched program could not be traced: ${e.message}`);
        break;
      case 'model-start':
        this.roundState(e.round).phase = 'asking';
        break;
      case 'rationale-delta':
        this.roundState(e.round).streamed += e.text;
        this.changed.fire({ kind: 'delta', round: e.round, text: e.text });
        return;
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

  finish(result: FixResult): void {
    this.result = result;
    this.status = result.fixed ? 'fixed' : 'not-fixed';
    this.changed.fire({ kind: 'state' });
  }

  fail(e: unknown): void {
    this.status = e instanceof CancelledError ? 'cancelled' : 'error';
    this.error = { message: errorMessage(e), ...(isUserError(e) ? { code: e.code, ...(e.hint ? { hint: e.hint } : {}) } : {}) };
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
    const done = this.rounds.map((r) => r.result).filter((r): r is FixRound => r !== undefined && this.canOffer(r));
    return done.find((r) => r.verification?.passed) ?? done[done.length - 1];
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** "verified: test passes" / "not verified: <failure>" for labels. */
export function verificationLabel(r: FixRound, kind: string): string {
  if (r.verification?.passed) {
    const what = kind === 'pytest' ? 'verified: test passes' : 'verified: runs to its end without failing';
    return r.verification.sandboxed ? what : `${what} (run without a sandbox)`;
  }
  if (r.changesTests.length && !r.verification) return `not verified: ${r.failure} (allow with the tracefix.allowTestEdits setting)`;
  return `not verified: ${r.failure || 'no patch to verify'}`;
}

/** One line to name a round's fix: the model's summary, else the first hunk's summary. */
export function fixSummary(r: FixRound): string {
  const s = r.summary.replace(/\s+/g, ' ').trim();
  if (s) return s.length > 80 ? `${s.slice(0, 79)}…` : s;
  const f = r.patch?.files[0];
  return f ? `${f.path}: ${f.hunks[0]?.summary ?? 'change'}` : 'no change';
}
