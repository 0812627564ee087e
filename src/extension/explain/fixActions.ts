// The fix commands of Explain & Fix: Apply Fix, Preview Fix, Undo Applied Fix and Show Prompt, on
// the fix an argument names (a code action, a notification) or else the one on offer — or, from a
// button of the Explanation view, on the session that view shows. Each refusal is one information
// message saying why.
import * as vscode from 'vscode';
import type { FixRound } from '../../core/fix';
import type { Notifier } from '../notify';
import { keyOf } from '../run/traceStore';
import { undoApplied } from './afterApply';
import { applyRound, fileUriOf, previewRound } from './applyFix';
import { promptUri } from './documents';
import { fixSummary, targetName } from './labels';
import type { FixSession } from './session';

const APPLY_UNVERIFIED = 'Apply Unverified Fix';

/** The argument of the fix commands. */
export interface FixArg {
  session?: number;
  round?: number;
  path?: string;
  /** The user already confirmed applying an unverified fix (in the Explanation view). */
  confirmed?: boolean;
}

export class FixActions {
  constructor(
    private readonly current: () => FixSession | undefined,
    private readonly notifier: Notifier,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** The session and round an argument names (default: the fix on offer); undefined after telling
   * the user why. `held`: the session a view shows (else the current one). */
  private pick(
    arg: FixArg | undefined,
    held: FixSession | undefined,
    anyRound = false,
  ): { session: FixSession; round: FixRound } | undefined {
    const s = held ?? this.current();
    if (!s || (arg?.session !== undefined && arg.session !== s.id)) {
      void this.notifier.show(
        'info',
        s
          ? 'That fix belongs to an earlier Explain & Fix run; use the current one.'
          : 'No fix yet: run "Tracefix: Explain & Fix" first.',
      );
      return undefined;
    }
    const last = s.rounds
      .map((r) => r.result)
      .filter((r): r is FixRound => r !== undefined)
      .pop();
    const round =
      arg?.round !== undefined
        ? s.round(arg.round)
        : (s.offeredRound() ?? (anyRound ? last : undefined));
    if (!round) {
      void this.notifier.show(
        'info',
        s.status === 'running'
          ? 'The model has not answered yet.'
          : 'This Explain & Fix run has no fix to offer.',
      );
      return undefined;
    }
    if (!anyRound && !s.canOffer(round)) {
      void this.notifier.show(
        'info',
        round.changesTests.length
          ? `That fix changes the tests (${round.changesTests.join(', ')}), so it is not offered. To allow fixes that edit tests, turn on the tracefix.allowTestEdits setting.`
          : 'That round has no fix to offer.',
      );
      return undefined;
    }
    return { session: s, round };
  }

  async apply(arg: FixArg | undefined, held?: FixSession): Promise<void> {
    const p = this.pick(arg, held);
    if (!p) return;
    const { session, round } = p;
    if (session.applied) {
      void this.notifier.show(
        'info',
        `Round ${session.applied.round}'s fix is already applied. Undo it first to apply ${session.applied.round === round.index ? 'it again' : `round ${round.index}'s`}.`,
      );
      return;
    }
    const verified = round.verification?.passed === true;
    if (!verified && !arg?.confirmed) {
      const choice = await this.notifier.confirm(
        `Apply round ${round.index}'s unverified fix?`,
        `It was not verified: ${round.failure || 'it was not run'}. It may not fix ${targetName(session.trace.program)}, or may break something else. You can undo it.`,
        APPLY_UNVERIFIED,
      );
      if (choice !== APPLY_UNVERIFIED) return;
    }
    await applyRound(session, round);
    session.confirming = undefined;
    session.laterRun = undefined;
    session.applied = {
      round: round.index,
      at: Date.now(),
      files: (round.patch?.files ?? []).map((f) => {
        const uri = fileUriOf(session, f);
        const doc = vscode.workspace.textDocuments.find((d) => keyOf(d.uri) === keyOf(uri));
        return { uri: (doc?.uri ?? uri).toString(), rel: f.path, version: doc?.version ?? -1 };
      }),
    };
    session.touch();
    vscode.window.setStatusBarMessage(
      `Tracefix: applied ${verified ? 'verified' : 'unverified'} fix — ${fixSummary(round)} (Undo in the Explanation view or Ctrl+Z; re-run the test to confirm)`,
      8000,
    );
    this.log.info(
      `applied the fix of round ${round.index} (${verified ? 'verified' : 'not verified'})`,
    );
  }

  async undo(arg: FixArg | undefined, held?: FixSession): Promise<void> {
    const s = held ?? this.current();
    const applied = s?.applied;
    if (!s || !applied || (arg?.session !== undefined && arg.session !== s.id)) {
      void this.notifier.show('info', 'No fix applied from the current Explain & Fix run to undo.');
      return;
    }
    const round = s.round(applied.round);
    if (!round) return;
    await undoApplied(s, round, applied);
    s.applied = undefined;
    s.laterRun = undefined;
    s.touch();
    vscode.window.setStatusBarMessage(`Tracefix: round ${round.index}'s fix undone`, 5000);
  }

  async preview(arg: FixArg | undefined, held?: FixSession): Promise<void> {
    const p = this.pick(arg, held);
    if (p) await previewRound(p.session, p.round, arg?.path);
  }

  async showPrompt(arg: FixArg | undefined, held?: FixSession): Promise<void> {
    const p = this.pick(arg, held, true);
    if (!p) return;
    const doc = await vscode.workspace.openTextDocument(promptUri(p.session, p.round.index));
    await vscode.window.showTextDocument(doc, {
      preview: true,
      viewColumn: vscode.ViewColumn.Active,
    });
  }
}
