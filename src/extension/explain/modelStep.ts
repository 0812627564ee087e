// The explain step that asks the model: runs the core's multi-round explainAndFix on the trace the
// editor already recorded, feeding a FixSession the panel and code actions follow. Model problems end
// in exactly one notification saying what to do (a missing or rejected key offers "Set API Key");
// cancelling rethrows so the run is reported as cancelled.
import * as vscode from 'vscode';
import { CancelledError, errorMessage, isUserError } from '../../core/errors';
import { explainAndFix, type FixEvent } from '../../core/fix';
import type { ExplainInput, ExplainStep } from '../explain';
import type { Notifier } from '../notify';
import { createProvider } from './providers';
import type { SandboxConsent } from './sandboxConsent';
import { fixSummary, FixSession, verificationLabel } from './session';

export const MODEL_STEP_ID = 'tracefix.model';
export const FIX_RESULT_KEY = 'tracefix.fixResult';

const SET_KEY = 'Set API Key';
const OPEN_SETTINGS = 'Open Settings';
const SHOW_LOG = 'Show Log';
const APPLY = 'Apply Fix';
const APPLY_ANYWAY = 'Apply Anyway…';
const PREVIEW = 'Preview Fix';
const SHOW = 'Show Explanation';

export interface ModelStepHost {
  notifier: Notifier;
  log: vscode.LogOutputChannel;
  /** Makes `session` current (panel, code actions, commands). */
  begin(session: FixSession): void;
  /** Opens the Explanation view on the current session (without taking the focus). */
  showPanel(): Promise<void>;
  /** Whether model-written code may run unsandboxed here (asked once per workspace). */
  consent: SandboxConsent;
}

export class ModelExplainStep implements ExplainStep {
  readonly id = MODEL_STEP_ID;
  readonly title = 'Asking the model…';

  constructor(private readonly host: ModelStepHost) {}

  async run(input: ExplainInput): Promise<void> {
    const { trace, plan, settings, signal, progress, log } = input;
    const session = new FixSession(trace, plan, settings.maxRounds);
    session.allowTestEdits =
      vscode.workspace
        .getConfiguration('tracefix', vscode.Uri.file(plan.root))
        .get<boolean>('allowTestEdits') === true;
    this.host.begin(session);
    try {
      const provider = await createProvider(settings, input.secrets, log);
      // Before the model is asked: where there is no sandbox, the user decides once per workspace.
      const runPolicy = await this.host.consent.policy(signal);
      session.providerLabel = provider.label;
      // Only once a model is there to ask: a missing key or model is one notification, not an empty
      // view. Open before the first request, so round 1 is seen streaming.
      await this.host.showPanel();
      log.info(
        `explain: asking ${provider.label} (${provider.id}), up to ${settings.maxRounds} round(s)`,
      );
      const result = await explainAndFix({
        recordOptions: {
          target: plan.target,
          args: plan.args,
          cwd: plan.cwd,
          root: plan.root,
          engine: settings.engine,
          limits: settings.limits,
          // The interpreter that recorded the failure also verifies and re-traces.
          python: trace.interpreter.path,
          // Re-tracing a patched program needs debugpy even when it came from the bundled fallback.
          ...(trace.interpreter.debugpyPath ? { debugpyPath: trace.interpreter.debugpyPath } : {}),
          ...(plan.env ? { programEnv: plan.env } : {}),
        },
        provider,
        budget: settings.budget,
        maxRounds: settings.maxRounds,
        maxToolCalls: settings.maxToolCalls,
        allowTestEdits: session.allowTestEdits,
        sandbox: runPolicy.sandbox,
        verify: runPolicy.verify,
        useTrace: true,
        trace,
        signal,
        onEvent: (e) => {
          session.onEvent(e);
          const text = progressText(e, settings.maxRounds, provider.label);
          if (text) progress.report({ message: text });
          if (e.type === 'round-done')
            log.info(
              `explain: round ${e.round.index}: ${e.round.state}; ${e.round.verification?.passed ? 'verified' : `not verified: ${e.round.failure}`}`,
            );
        },
      });
      session.finish(result);
      input.results.set(FIX_RESULT_KEY, result);
      this.announce(session);
    } catch (e) {
      session.fail(e);
      if (e instanceof CancelledError) throw e;
      this.report(e);
    }
  }

  private announce(session: FixSession): void {
    const round = session.offeredRound();
    const n = session.rounds.length;
    if (!round) {
      void this.host.notifier
        .show(
          'warning',
          `Tracefix: the model gave no usable fix in ${n} round${n === 1 ? '' : 's'}; see the Explanation view.`,
          SHOW,
        )
        .then((c) => {
          if (c === SHOW) void vscode.commands.executeCommand('tracefix.showExplanation');
        });
      return;
    }
    const verified = round.verification?.passed === true;
    const which = n > 1 ? ` (round ${round.index} of ${n})` : '';
    const message = `Tracefix: ${verified ? 'verified fix' : 'unverified fix'}${which} — ${fixSummary(round)} (${verificationLabel(round, session.trace.program.kind)}).`;
    const apply = verified ? APPLY : APPLY_ANYWAY;
    void this.host.notifier
      .show(verified ? 'info' : 'warning', message, apply, PREVIEW)
      .then((c) => {
        if (c === apply)
          void vscode.commands.executeCommand('tracefix.applyFix', {
            session: session.id,
            round: round.index,
          });
        if (c === PREVIEW)
          void vscode.commands.executeCommand('tracefix.previewFix', {
            session: session.id,
            round: round.index,
          });
      });
  }

  private report(e: unknown): void {
    const log = this.host.log;
    if (!isUserError(e)) {
      log.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
      void this.host.notifier
        .show('error', `Tracefix could not get a fix: ${errorMessage(e)}`, SHOW_LOG)
        .then((c) => c === SHOW_LOG && log.show());
      return;
    }
    log.warn(`explain: ${e.code}: ${e.message}${e.hint ? ` (${e.hint})` : ''}`);
    const text = e.hint ? `${e.message} ${e.hint}` : e.message;
    if (e.code === 'model-auth') {
      void this.host.notifier.show('error', text, SET_KEY, OPEN_SETTINGS).then((c) => {
        if (c === SET_KEY) void vscode.commands.executeCommand('tracefix.setApiKey');
        if (c === OPEN_SETTINGS)
          void vscode.commands.executeCommand('workbench.action.openSettings', 'tracefix.baseUrl');
      });
    } else if (
      e.code === 'model-not-found' ||
      e.code === 'model-unavailable' ||
      e.code === 'model-context-length'
    ) {
      void this.host.notifier
        .show('error', text, OPEN_SETTINGS)
        .then(
          (c) =>
            c === OPEN_SETTINGS &&
            vscode.commands.executeCommand('workbench.action.openSettings', 'tracefix.'),
        );
    } else {
      void this.host.notifier.show('error', text);
    }
  }
}

function progressText(e: FixEvent, maxRounds: number, label: string): string | undefined {
  switch (e.type) {
    case 'model-start':
      return `Round ${e.round} of ${maxRounds}: asking ${label}…`;
    case 'tool-call':
      return `Round ${e.round}: the model asked the recording (${e.call.name})…`;
    case 'verify-start':
      return `Round ${e.round}: verifying the fix (${e.command})…`;
    case 'trace-start':
      return e.patched ? `Round ${e.round}: tracing the patched program…` : undefined;
    default:
      return undefined;
  }
}
