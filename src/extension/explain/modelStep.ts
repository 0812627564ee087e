// Asks the model: runs the core's multi-round explainAndFix on the trace the editor already
// recorded, feeding a FixSession the panel and code actions follow. Model problems end in exactly
// one notification saying what to do (errors.ts: a missing or rejected key offers "Set API Key");
// a cancellation is rethrown so the run is reported as cancelled.
import * as vscode from 'vscode';
import type { Baseline } from '../../core/compare/baseline';
import { CancelledError } from '../../core/errors';
import { explainAndFix, type FixEvent } from '../../core/fix';
import type { Trace } from '../../core/trace/model';
import { sameInterpreterAs, type RecordOptions } from '../../core/trace/options';
import { COMMANDS } from '../contributes/commands';
import type { ErrorReporter } from '../errors';
import type { Notifier } from '../notify';
import type { RunPlan } from '../run/runPlan';
import type { TracefixSettings } from '../settings';
import { createProvider } from './providers';
import type { SandboxConsent } from './sandboxConsent';
import { fixSummary, FixSession, verificationLabel } from './session';

const APPLY = 'Apply Fix';
const APPLY_ANYWAY = 'Apply Anyway…';
const PREVIEW = 'Preview Fix';
const SHOW = 'Show Explanation';

export interface ModelStepHost {
  notifier: Notifier;
  errors: ErrorReporter;
  log: vscode.LogOutputChannel;
  secrets: vscode.SecretStorage;
  /** Makes `session` current (panel, code actions, commands). */
  begin(session: FixSession): void;
  /** Opens the Explanation view on the current session (without taking the focus). */
  showPanel(): Promise<void>;
  /** Whether model-written code may run unsandboxed here (asked once per workspace). */
  consent: SandboxConsent;
  /** The failing run was compared with a passing one (shown in the timeline and the editor). */
  compared(failing: Trace, baseline: Baseline): void;
}

export interface ModelStepInput {
  trace: Trace;
  plan: RunPlan;
  settings: TracefixSettings;
  /** How the failing run was recorded. */
  options: RecordOptions;
  /** Cancelled by the progress notification's Cancel button. */
  signal: AbortSignal;
  progress: vscode.Progress<{ message?: string }>;
}

export class ModelStep {
  private nextSession = 1;

  constructor(private readonly host: ModelStepHost) {}

  async run(input: ModelStepInput): Promise<void> {
    const { trace, plan, settings, signal, progress } = input;
    const log = this.host.log;
    const session = new FixSession(this.nextSession++, trace, plan, settings.maxRounds);
    session.allowTestEdits = settings.allowTestEdits;
    this.host.begin(session);
    try {
      const provider = await createProvider(settings, this.host.secrets, log);
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
        // The interpreter (and debugpy) that recorded the failure also verifies and re-traces.
        recordOptions: sameInterpreterAs(input.options, trace),
        provider,
        budget: settings.budget,
        maxRounds: settings.maxRounds,
        maxToolCalls: settings.maxToolCalls,
        allowTestEdits: session.allowTestEdits,
        sandbox: runPolicy.sandbox,
        verify: runPolicy.verify,
        runEnv: settings.verifyEnv,
        useTrace: true,
        trace,
        signal,
        // A passing run runs your code (at another commit, or a sibling test): this ran in a
        // trusted workspace, since recording the failing run did.
        baseline: settings.baseline,
        onEvent: (e) => {
          session.onEvent(e);
          if (e.type === 'baseline-progress') log.info(`explain: ${e.text}`);
          if (e.type === 'baseline-done') {
            if (e.baseline) this.host.compared(trace, e.baseline);
            else if (e.notes.length)
              log.info(`explain: no passing run to compare against (${e.notes.join('; ')})`);
          }
          const text = progressText(e, settings.maxRounds, provider.label);
          if (text) progress.report({ message: text });
          if (e.type === 'round-done')
            log.info(
              `explain: round ${e.round.index}: ${e.round.state}; ${e.round.verification?.passed ? 'verified' : `not verified: ${e.round.failure}`}`,
            );
        },
      });
      session.finish(result);
      this.announce(session);
    } catch (e) {
      session.fail(e);
      if (e instanceof CancelledError) throw e;
      this.host.errors.report(e, { where: 'explain', failed: 'Tracefix could not get a fix' });
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
          if (c === SHOW) void vscode.commands.executeCommand(COMMANDS.showExplanation);
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
          void vscode.commands.executeCommand(COMMANDS.applyFix, {
            session: session.id,
            round: round.index,
          });
        if (c === PREVIEW)
          void vscode.commands.executeCommand(COMMANDS.previewFix, {
            session: session.id,
            round: round.index,
          });
      });
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
    case 'baseline-progress':
      return `Passing run: ${e.text}…`;
    default:
      return undefined;
  }
}
