// What the Explanation view shows of an Explain & Fix run, as plain data the webview renders: a
// banner with the outcome (the round named, its actions), and per round its rendered rationale (the
// same text while streaming and when done), the run it read, its diff, verdict and actions. The
// session and the editor facts (recordings, unsaved files) come in; nothing here touches `vscode`
// at run time, so the states are unit-tested.
import type { FixRound } from '../../core/fix';
import { displayRationale, finalRationale } from './display';
import { failsText, fixSummary, passesText, targetName, verificationLabel } from './labels';
import { parseMarkdown } from './markdown';
import type { Banner, PanelView, RoundStateName, RoundView, ViewAction } from './protocol';
import type { FixSession, RoundState as SessionRound } from './session';
import { stepResolver, type StepSource } from './stepLinks';
import { toolCallView } from './toolCallView';

export interface ViewContext {
  /** The runs round `n` read (step links open them) and its own one; undefined: no links. */
  sources?(round: number): { all: StepSource[]; own: StepSource } | undefined;
  /** A file of the applied fix has unsaved changes. */
  appliedDirty?: boolean;
}

const PHASE_TEXT: Record<string, string> = {
  asking: 'asking the model…',
  verifying: 'verifying the fix…',
  tracing: 'tracing the program with the previous fix…',
};

function stateOf(s: FixSession, res: FixRound | undefined): RoundStateName {
  if (!res) return 'running';
  if (res.verification?.passed) return 'verified';
  if (res.patch?.files.length && res.changesTests.length && !s.allowTestEdits) return 'tests';
  return s.canOffer(res) ? 'unverified' : 'no-patch';
}

function roundView(
  s: FixSession,
  r: SessionRound,
  ctx: ViewContext,
  answer: FixRound | undefined,
): RoundView {
  const res = r.result;
  const state = stateOf(s, res);
  const rationale = res ? finalRationale(r.streamed, res) : displayRationale(r.streamed).text;
  const links = ctx.sources?.(r.index);
  const blocks = parseMarkdown(rationale, {
    ...(links ? { resolveStep: stepResolver(links.all, links.own) } : {}),
    streaming: !res,
  });
  const applied = s.applied?.round === r.index;
  const other = s.applied !== undefined && !applied;
  const actions: ViewAction[] = [];
  let confirm: string | null = null;
  if (res && applied) {
    actions.push({
      type: 'rerun',
      round: r.index,
      label: ctx.appliedDirty ? 'Save and Re-run Test' : 'Re-run Test',
      primary: true,
      title: 'Run the test again and record it, to confirm the fix',
    });
    actions.push({
      type: 'undo',
      round: r.index,
      label: 'Undo',
      title: 'Take the applied fix out again',
    });
  } else if (res && s.canOffer(res) && !other) {
    if (state === 'verified') {
      actions.push({ type: 'apply', round: r.index, label: 'Apply Fix', primary: answer === res });
    } else if (s.confirming === r.index) {
      confirm = `Round ${r.index}'s fix was not verified (${res.failure || 'it was not run'}). It may not fix ${targetName(s.trace.program)}, or may break something else. Apply it anyway?`;
      actions.push({
        type: 'apply',
        round: r.index,
        label: 'Apply Unverified Fix',
        confirmed: true,
        primary: true,
      });
      actions.push({ type: 'cancel-confirm', round: r.index, label: 'Cancel' });
    } else {
      actions.push({
        type: 'apply',
        round: r.index,
        label: 'Apply Anyway…',
        title: 'This fix was not verified: you will be asked to confirm',
      });
    }
    actions.push({ type: 'preview', round: r.index, label: 'Preview Fix' });
  }
  if (res)
    actions.push({
      type: 'prompt',
      round: r.index,
      label: 'Show Prompt',
      title: 'The exact (redacted) messages the model got in this round',
    });
  const read = links
    ? [links.own, ...links.all.filter((x) => x !== links.own)].map((x) => x.label).join(', and ')
    : null;
  // A tool answer's steps belong to the recording it asked: the failing run unless it asked the patched one.
  const failing = links?.all.find((x) => x.trace === s.trace) ?? links?.own;
  const toolCalls = r.toolCalls.map((c) => {
    const source = c.run === 'patched' ? links?.own : failing;
    return toolCallView(c, source ? stepResolver([source], source) : undefined);
  });
  const final = s.status !== 'running';
  const laterIsAnswer =
    answer !== undefined && answer.index > r.index && answer.verification?.passed === true;
  return {
    index: r.index,
    phase: r.phase,
    rationale,
    summary: res ? fixSummary(res) : '',
    diff: res?.patch?.diff ?? '',
    // A patch that changes the tests (not allowed) is shown, but offers no Apply / Preview.
    hasPatch: s.canOffer(res),
    verified: res ? res.verification?.passed === true : null,
    verdict: res ? verificationLabel(res, s.trace.program.kind) : '',
    notes: [...r.notes, ...(res?.problems ?? [])],
    state,
    blocks,
    thinking: !res && displayRationale(r.streamed).thinking,
    read,
    applied,
    confirm,
    actions,
    collapsed: final && laterIsAnswer && !applied,
    toolCalls,
  };
}

function banner(s: FixSession, answer: FixRound | undefined, ctx: ViewContext): Banner {
  const program = s.trace.program;
  const n = s.rounds.length;
  const later = s.laterRun;
  const applied = s.applied;
  if (later?.status === 'running')
    return {
      kind: 'running',
      title: `Running ${targetName(program)} again…`,
      detail: 'Recording it: the result replaces the one below.',
      actions: [],
    };
  if (
    later &&
    (later.status === 'passed' || later.status === 'failed') &&
    (!applied || later.withFix === applied.round)
  ) {
    const withFix = later.withFix !== undefined ? ` with round ${later.withFix}'s fix applied` : '';
    const at = new Date(later.at).toLocaleTimeString('en-GB', { hour12: false });
    if (later.status === 'passed') {
      const undo: ViewAction[] = applied
        ? [{ type: 'undo', round: applied.round, label: 'Undo Fix' }]
        : [];
      return {
        kind: 'ok',
        title: `${passesText(program)}${withFix}`,
        detail: `Run again at ${at}; the new recording is on screen. The explanation below is from the failing run.`,
        actions: undo,
      };
    }
    const actions: ViewAction[] = applied
      ? [{ type: 'undo', round: applied.round, label: 'Undo Fix' }]
      : [];
    return {
      kind: 'error',
      title: `${failsText(program)}${withFix}`,
      detail: `Run again at ${at}: ${later.text}`,
      actions,
    };
  }
  if (applied) {
    const files = applied.files.map((f) => f.rel).join(', ');
    return {
      kind: 'info',
      title: `Round ${applied.round}'s fix applied to ${files}${ctx.appliedDirty ? ' (not saved yet)' : ''}`,
      detail:
        'The recording and the verdict below are from before the change: run the test again to confirm.',
      actions: [
        {
          type: 'rerun',
          round: applied.round,
          label: ctx.appliedDirty ? 'Save and Re-run Test' : 'Re-run Test',
          primary: true,
        },
        { type: 'undo', round: applied.round, label: 'Undo' },
      ],
    };
  }
  switch (s.status) {
    case 'running': {
      const r = s.rounds[s.rounds.length - 1];
      const what = r ? (PHASE_TEXT[r.phase] ?? r.phase) : 'preparing the prompt…';
      return {
        kind: 'running',
        title: `Round ${r?.index ?? 1} of up to ${s.maxRounds}: ${what}`,
        detail: s.providerLabel ? `Model: ${s.providerLabel}.` : '',
        actions: [],
      };
    }
    case 'fixed': {
      const r = answer;
      const sandbox = r?.verification?.sandboxed === false ? ' (run without a sandbox)' : '';
      return {
        kind: 'ok',
        title: `Verified fix · round ${r?.index ?? n}${n > 1 ? ` of ${n}` : ''}`,
        detail: `${passesText(program)} with it${sandbox}: ${r ? fixSummary(r) : ''}`,
        actions: r
          ? [
              { type: 'apply', round: r.index, label: 'Apply Fix', primary: true },
              { type: 'preview', round: r.index, label: 'Preview Fix' },
            ]
          : [],
      };
    }
    case 'not-fixed':
      return {
        kind: 'warn',
        title: `No verified fix after ${n} round${n === 1 ? '' : 's'}`,
        detail: answer
          ? `Round ${answer.index}'s fix is shown, not verified: ${answer.failure || 'it was not run'}.`
          : 'The model gave no fix that could be offered.',
        actions: [],
      };
    case 'error':
      return {
        kind: 'error',
        title: 'Explain & Fix stopped',
        detail: s.error ? `${s.error.message}${s.error.hint ? ` ${s.error.hint}` : ''}` : '',
        actions: [],
      };
    case 'cancelled':
      return {
        kind: 'info',
        title: 'Cancelled',
        detail: n ? 'The rounds that finished are below.' : '',
        actions: [],
      };
  }
}

export function viewOf(s: FixSession, ctx: ViewContext = {}): PanelView {
  const answer = s.offeredRound();
  const statusText = {
    running: `Working… (up to ${s.maxRounds} round${s.maxRounds === 1 ? '' : 's'})`,
    fixed: `Verified fix found in round ${answer?.index ?? '?'}.`,
    'not-fixed': `No verified fix after ${s.rounds.length} round${s.rounds.length === 1 ? '' : 's'}.`,
    error: 'Stopped by an error.',
    cancelled: 'Cancelled.',
  }[s.status];
  const rounds = s.rounds.map((r) => roundView(s, r, ctx, answer));
  const last = s.rounds[s.rounds.length - 1]?.index ?? null;
  return {
    session: s.id,
    title: `${s.trace.program.target}${s.providerLabel ? ` · ${s.providerLabel}` : ''}`,
    status: s.status,
    statusText,
    maxStep: s.maxStep,
    offered: answer?.index ?? null,
    error: s.error ? `${s.error.message}${s.error.hint ? ` ${s.error.hint}` : ''}` : null,
    rounds,
    banner: banner(s, answer, ctx),
    focusRound: s.applied?.round ?? (s.status === 'running' ? last : (answer?.index ?? last)),
  };
}
