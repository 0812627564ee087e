// "Compare with…": the recording on screen against a passing run — the same test at HEAD, at another
// commit or at the last commit where it passed (run in a temporary export of that commit; the
// working tree is not touched), a passing sibling test, another test, a saved recording or another
// recording the editor keeps. Obtaining one that runs code follows Workspace Trust, shows a
// cancellable progress notification, and ends in one notification when there is no passing run.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  obtainBaseline,
  parseBaseline,
  type Baseline,
  type BaselineSpec,
} from '../../core/compare/baseline';
import { withInterpreter } from '../../core/compare/baseline/rerun';
import { divergenceHead } from '../../core/compare/format';
import { CancelledError } from '../../core/errors';
import type { RecordOptions } from '../../core/trace/options';
import { summaryOf } from '../timeline/rows';
import type { ErrorReporter } from '../errors';
import type { Notifier } from '../notify';
import type { TimelineView } from '../timeline/timelineView';
import type { RunPlan } from '../run/runPlan';
import type { Recording, TraceStore } from '../run/traceStore';
import type { Comparisons } from './comparisons';

export interface CompareDeps {
  log: vscode.LogOutputChannel;
  notifier: Notifier;
  errors: ErrorReporter;
  store: TraceStore;
  comparisons: Comparisons;
  timeline: TimelineView;
  /** How a run plan is recorded (the settings' limits, the interpreter chosen for its folder). */
  recordOptions: (plan: RunPlan) => Promise<RecordOptions>;
}

/** What "Compare with…" is given by a caller that does not ask (a test, a link): a baseline as
 * `tracefix fix --baseline` takes it, or the id of a kept recording. */
export type CompareArg = { baseline: string } | { recording: number };

type Choice = { spec: BaselineSpec } | { recording: Recording };

const TRUST_ITEM = 'Manage Workspace Trust';

export class CompareFeature {
  constructor(private readonly deps: CompareDeps) {}

  /** Compares the recording on screen with a passing run (asked for unless `arg` names it). */
  async compareWith(arg?: unknown): Promise<void> {
    const { notifier, store, comparisons, timeline, log } = this.deps;
    const failing = store.recording;
    if (!failing) {
      void notifier.show(
        'info',
        'Nothing to compare yet: run "Tracefix: Trace Only" or "Tracefix: Explain & Fix" first.',
      );
      return;
    }
    let baseline: Baseline | undefined;
    try {
      const choice = isCompareArg(arg) ? this.fromArg(arg) : await this.pick(failing);
      if (!choice) return;
      baseline =
        'recording' in choice
          ? {
              trace: choice.recording.trace,
              description: `the recording ${summaryOf(choice.recording.trace)}`,
              labels: {
                a: 'the run on screen',
                aShort: 'this run',
                b: 'the other recording',
                bShort: 'other',
              },
            }
          : await this.obtain(failing, choice.spec);
    } catch (e) {
      if (e instanceof CancelledError) return;
      this.deps.errors.report(e, { where: 'comparison' });
      return;
    }
    if (!baseline) return;
    comparisons.set({
      failing,
      passing: baseline.trace,
      description: baseline.description,
      labels: baseline.labels,
    });
    const first = comparisons.aligned()?.comparison.divergences[0];
    log.info(
      `compare: ${failing.trace.program.target} with ${baseline.description}: ${first ? `first divergence at ${divergenceHead(first, baseline.labels)}` : 'no divergence'}`,
    );
    await timeline.show();
    await this.firstDivergence();
  }

  /** Selects the first divergence in the timeline (and its line in the editor). */
  async firstDivergence(): Promise<void> {
    const first = this.deps.comparisons.aligned()?.header.first;
    if (first !== undefined) await this.deps.timeline.select(first);
  }

  stop(): void {
    this.deps.comparisons.clear();
  }

  private fromArg(arg: CompareArg): Choice | undefined {
    if ('recording' in arg) {
      const r = this.deps.store.recordings().find((x) => x.id === arg.recording);
      return r ? { recording: r } : undefined;
    }
    return { spec: parseBaseline(arg.baseline) };
  }

  /** Runs (or reads) the passing run, under a cancellable progress notification. */
  private async obtain(failing: Recording, spec: BaselineSpec): Promise<Baseline | undefined> {
    const runs = spec.kind !== 'trace' && spec.kind !== 'none';
    if (runs && !vscode.workspace.isTrusted) {
      void this.deps.notifier
        .show(
          'warning',
          'Comparing with another commit or test runs your code, and this workspace is in Restricted Mode, so Tracefix runs nothing here. Trust the workspace to compare.',
          TRUST_ITEM,
        )
        .then((c) => c === TRUST_ITEM && vscode.commands.executeCommand('workbench.trust.manage'));
      return undefined;
    }
    const trace = failing.trace;
    // A recording opened from a file names any folder: only the workspace's own code is run.
    if (runs && !vscode.workspace.getWorkspaceFolder(vscode.Uri.file(failing.plan.root))) {
      void this.deps.notifier.show(
        'warning',
        `This recording ran in ${failing.plan.root}, which is not a folder of this workspace, so Tracefix runs nothing for it. Open that folder to compare, or compare with a saved recording.`,
      );
      return undefined;
    }
    // The interpreter chosen for the folder, as for any recording (never one a trace file names).
    const planned = await this.deps.recordOptions(failing.plan);
    const rec = runs ? await withInterpreter(planned) : planned;
    const got = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: 'Tracefix: finding a passing run',
        cancellable: true,
      },
      async (progress, token) => {
        const controller = new AbortController();
        const sub = token.onCancellationRequested(() => controller.abort());
        try {
          return await obtainBaseline(
            spec.kind === 'trace'
              ? { kind: 'trace', file: path.resolve(trace.program.cwd, spec.file) }
              : spec,
            {
              rec,
              failing: trace,
              signal: controller.signal,
              log: (line) => {
                this.deps.log.info(`compare: ${line}`);
                progress.report({ message: line });
              },
            },
          );
        } finally {
          sub.dispose();
        }
      },
    );
    if (!got.baseline)
      void this.deps.notifier.show(
        'info',
        `No passing run to compare against: ${got.notes.join('; ') || 'none found'}.`,
      );
    return got.baseline;
  }

  /** The quick pick of passing runs (and kept recordings), then what a choice still needs. */
  private async pick(failing: Recording): Promise<Choice | undefined> {
    type Item = vscode.QuickPickItem & { make?: () => Promise<Choice | undefined> | Choice };
    const pytest = failing.trace.program.kind === 'pytest';
    const spec = (s: BaselineSpec) => () => ({ spec: s });
    const items: Item[] = [
      {
        label: '$(git-commit) HEAD',
        description: 'the same run at the last commit',
        detail:
          'Runs it in a temporary export of HEAD: your working tree, index and stash are not touched.',
        make: spec({ kind: 'git', ref: 'HEAD' }),
      },
      {
        label: '$(history) The last commit where it passed',
        description: 'found by running it at earlier commits',
        make: spec({ kind: 'last-pass', ref: 'HEAD' }),
      },
      {
        label: '$(git-branch) A commit, branch or tag…',
        make: async () => {
          const ref = await vscode.window.showInputBox({
            title: 'Compare with the run at',
            prompt: 'A commit, branch or tag (e.g. main, v1.2, HEAD~3)',
            value: 'HEAD~1',
            validateInput: (v) => (v.trim() ? undefined : 'Give a commit, branch or tag'),
          });
          return ref ? { spec: { kind: 'git', ref: ref.trim() } } : undefined;
        },
      },
    ];
    if (pytest)
      items.push(
        {
          label: '$(beaker) A passing sibling test',
          description: 'another parametrization, or a passing test calling the same function',
          make: spec({ kind: 'sibling' }),
        },
        {
          label: '$(symbol-method) Another test…',
          make: async () => {
            const id = await vscode.window.showInputBox({
              title: 'Compare with the test',
              prompt: 'A pytest node id (tests/test_x.py::test_y[case])',
              value: failing.trace.program.target.replace(/\[.*\]$/, ''),
            });
            return id?.trim() ? { spec: { kind: 'test', nodeId: id.trim() } } : undefined;
          },
        },
      );
    items.push({
      label: '$(file) A saved recording…',
      make: async () => {
        const files = await vscode.window.showOpenDialog({
          title: 'Compare with a saved Tracefix recording',
          filters: { 'Tracefix trace': ['json'] },
          canSelectMany: false,
        });
        const f = files?.[0];
        return f ? { spec: { kind: 'trace', file: f.fsPath } } : undefined;
      },
    });
    const others = this.deps.store.recordings().filter((r) => r !== failing);
    if (others.length) {
      items.push({ label: 'Recordings', kind: vscode.QuickPickItemKind.Separator });
      for (const r of others)
        items.push({
          label: `$(record) ${r.role ?? summaryOf(r.trace)}`,
          description: r.role ? summaryOf(r.trace) : '',
          make: () => ({ recording: r }),
        });
    }
    const picked = await vscode.window.showQuickPick(items, {
      title: `Compare ${failing.trace.program.target} with…`,
      placeHolder: 'A passing run: where does this run first part from it?',
      matchOnDescription: true,
    });
    return picked?.make ? await picked.make() : undefined;
  }
}

function isCompareArg(arg: unknown): arg is CompareArg {
  if (typeof arg !== 'object' || arg === null) return false;
  const a = arg as Partial<Record<'baseline' | 'recording', unknown>>;
  return typeof a.baseline === 'string' || typeof a.recording === 'number';
}
