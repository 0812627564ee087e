// Tracefix's trace tools as VS Code language-model tools (contributed as contributes/tools.ts
// declares them, `vscode.lm.registerTool` here), for Copilot agent mode and any chat participant:
// "trace this test / file" runs the recorder through the editor's own flow (Workspace Trust, saving,
// the progress notification, painting) after the user confirms in prepareInvocation; the query tools
// answer over the recording on screen (the TraceStore). Answers are redacted and bounded like the
// ones Explain & Fix gives its model.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { errorMessage, isUserError } from '../../core/errors';
import { learnSecrets } from '../../core/redact/learnSecrets';
import { envSecrets } from '../../core/redact/secretValues';
import {
  COMPARE_RUNS,
  DEFAULT_OVERVIEW_BUDGET,
  DEFAULT_TOOL_LIMITS,
  ToolSession,
  TRACE_TOOLS,
} from '../../core/tools';
import { RECORD_TRACE_NAME, recordTarget } from '../../core/tools/recordTool';
import type { Trace } from '../../core/trace/model';
import { LM_TOOL_PREFIX, lmToolName } from '../contributes/tools';
import type { RunPlan } from '../run/runPlan';
import { readSettings } from '../settings';
import type { RunTracker } from '../run/runs';
import type { TraceRunner } from '../run/traceCommand';
import type { TraceStore } from '../run/traceStore';
import type { Comparisons } from '../compare/comparisons';

type Input = Record<string, unknown>;

function text(value: string): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(value)]);
}

/** Characters per token, roughly, for a caller's token budget. */
const CHARS_PER_TOKEN = 3.5;

export interface LmToolsDeps {
  log: vscode.LogOutputChannel;
  store: TraceStore;
  runner: TraceRunner;
  runs: RunTracker;
  /** The comparison compare_runs answers over (made by "Compare with…" or Explain & Fix). */
  comparisons: Comparisons;
}

export class TraceLmTools implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private sessions = new WeakMap<Trace, ToolSession>();
  private compareSessions = new WeakMap<object, ToolSession>();

  constructor(private readonly deps: LmToolsDeps) {
    if (typeof vscode.lm?.registerTool !== 'function') {
      deps.log.info(
        'language-model tools: this VS Code has no vscode.lm.registerTool; the Tracefix tools are not offered to chat',
      );
      return;
    }
    try {
      this.register();
    } catch (e) {
      // A host that refuses the registration (names not contributed) must not stop activation.
      deps.log.error(`language-model tools: ${errorMessage(e)}`);
    }
  }

  private register(): void {
    this.disposables.push(
      vscode.lm.registerTool<Input>(lmToolName(RECORD_TRACE_NAME), {
        prepareInvocation: (o) => this.prepareRecord(o.input),
        invoke: (o, token) => this.record(o.input, token, o.tokenizationOptions),
      }),
    );
    for (const tool of [...TRACE_TOOLS, COMPARE_RUNS]) {
      this.disposables.push(
        vscode.lm.registerTool<Input>(lmToolName(tool.name), {
          prepareInvocation: (o) => ({
            invocationMessage: `Tracefix: ${tool.name.replace(/_/g, ' ')}${summaryOf(o.input)}`,
          }),
          invoke: (o) => this.query(tool.name, o.input, o.tokenizationOptions),
        }),
      );
    }
  }

  /** compare_runs: over the editor's comparison of a failing run with a passing one. */
  private compare(input: Input, budget?: vscode.LanguageModelToolTokenizationOptions) {
    const c = this.deps.comparisons.current;
    if (!c)
      throw new Error(
        'No comparison is open: ask the user to run "Tracefix: Compare with…" on the recording (or Explain & Fix, which compares with a passing run when there is one).',
      );
    let s = this.compareSessions.get(c);
    if (!s) {
      const known = envSecrets(process.env);
      const texts = [c.failing.trace, c.passing].flatMap((t) => [
        ...t.sources.map((f) => f.text),
        ...t.output.map((o) => o.text),
      ]);
      const secrets = [...known, ...learnSecrets(texts, known)];
      s = new ToolSession(
        { failing: c.failing.trace, passing: c.passing },
        { tools: [COMPARE_RUNS], secrets },
      );
      this.compareSessions.set(c, s);
    }
    s.limits.maxChars = this.maxChars(budget);
    const a = s.call(COMPARE_RUNS.name, input);
    if (a.error) throw new Error(a.text.replace(/^Error: /, ''));
    return text(
      `Compared: ${c.failing.trace.program.target} (failing) with ${c.description}.\n${a.text}`,
    );
  }

  private maxChars(budget?: vscode.LanguageModelToolTokenizationOptions): number {
    return budget?.tokenBudget
      ? Math.max(
          1500,
          Math.min(DEFAULT_TOOL_LIMITS.maxChars, Math.floor(budget.tokenBudget * CHARS_PER_TOKEN)),
        )
      : DEFAULT_TOOL_LIMITS.maxChars;
  }

  /** The session over a trace (one per trace: the redaction cache is per trace). */
  private session(trace: Trace, budget?: vscode.LanguageModelToolTokenizationOptions): ToolSession {
    let s = this.sessions.get(trace);
    if (!s) {
      const known = envSecrets(process.env);
      const secrets = [
        ...known,
        ...learnSecrets(
          [...trace.sources.map((f) => f.text), ...trace.output.map((o) => o.text)],
          known,
        ),
      ];
      this.sessions.set(trace, (s = new ToolSession(trace, { tools: TRACE_TOOLS, secrets })));
    }
    // A caller that says how many tokens it can take gets answers that fit (never more than the default).
    s.limits.maxChars = this.maxChars(budget);
    return s;
  }

  private query(
    name: string,
    input: Input,
    budget?: vscode.LanguageModelToolTokenizationOptions,
  ): vscode.LanguageModelToolResult {
    if (name === COMPARE_RUNS.name) return this.compare(input, budget);
    const trace = this.deps.store.trace;
    if (!trace) {
      throw new Error(
        `No Tracefix recording is open. Record one first with the ${lmToolName(RECORD_TRACE_NAME)} tool (a test or a script), or run "Tracefix: Trace Only" in the editor.`,
      );
    }
    const args = { ...input };
    if (name === 'trace_overview' && budget?.tokenBudget && args.next_budget === undefined)
      args.next_budget = Math.min(DEFAULT_OVERVIEW_BUDGET, Math.floor(budget.tokenBudget * 0.7));
    const a = this.session(trace, budget).call(name, args);
    if (a.error) throw new Error(a.text.replace(/^Error: /, ''));
    return text(a.text);
  }

  /** Where the program would run, and what: the folder and the plan (throws what is wrong with the input). */
  private planOf(input: Input): { plan: RunPlan; folder: vscode.WorkspaceFolder } {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (!folders.length)
      throw new Error('Open a folder first: Tracefix records programs of the workspace.');
    // The folder that holds the path, else the first one.
    const given =
      typeof input.test === 'string'
        ? input.test.split('::')[0]
        : typeof input.script === 'string'
          ? input.script
          : undefined;
    const folder =
      (given && path.isAbsolute(given)
        ? vscode.workspace.getWorkspaceFolder(vscode.Uri.file(given))
        : undefined) ?? folders[0]!;
    const root = folder.uri.fsPath;
    let t;
    try {
      t = recordTarget(input, root, {
        allowArgs: readSettings(folder.uri).toolsAllowProgramArguments,
        allowHint: 'turn on the setting `tracefix.tools.allowProgramArguments`',
      });
    } catch (e) {
      // The chat model reads the message only: the hint says what the user can do.
      throw isUserError(e) && e.hint ? new Error(`${e.message} ${e.hint}`) : e;
    }
    return {
      folder,
      plan: { target: t.target, args: t.args, cwd: root, root, label: t.label, origin: 'explicit' },
    };
  }

  private prepareRecord(input: Input): vscode.PreparedToolInvocation {
    let what: string;
    let where = '';
    try {
      const { plan, folder } = this.planOf(input);
      what =
        plan.target.kind === 'pytest'
          ? `python -m pytest ${plan.label}`
          : plan.target.kind === 'module'
            ? `python -m ${plan.target.module}`
            : `python ${plan.label}`;
      what += plan.args.length ? ` ${plan.args.join(' ')}` : '';
      where = folder.name;
    } catch (e) {
      // The invocation will fail with the same message; still ask nothing to run.
      return { invocationMessage: `Tracefix: ${errorMessage(e)}` };
    }
    const trust = vscode.workspace.isTrusted
      ? ''
      : '\n\nThis workspace is in Restricted Mode: Tracefix will not run it until you trust the workspace.';
    return {
      invocationMessage: `Tracefix: recording \`${what}\``,
      confirmationMessages: {
        title: 'Run and record with Tracefix?',
        message: new vscode.MarkdownString(
          `Tracefix will **run** \`${what}\` in the workspace folder **${where}** under its recorder (your program runs, with the step and time limits of your Tracefix settings) and show the recording in the editor.${trust}`,
        ),
      },
    };
  }

  private async record(
    input: Input,
    token: vscode.CancellationToken,
    budget?: vscode.LanguageModelToolTokenizationOptions,
  ): Promise<vscode.LanguageModelToolResult> {
    if (!vscode.workspace.isTrusted)
      throw new Error(
        'This workspace is in Restricted Mode, so Tracefix runs nothing here. Ask the user to trust the workspace (Manage Workspace Trust), then try again.',
      );
    const { plan } = this.planOf(input);
    // Cancelling the chat request cancels the recording (as the progress notification's Cancel does).
    const sub = token.onCancellationRequested(() => void this.deps.runs.cancelRunning());
    let run;
    try {
      run = await this.deps.runner.run('trace', undefined, { plan });
    } finally {
      sub.dispose();
    }
    const trace = this.deps.store.trace;
    if (run.status === 'cancelled') throw new Error('The recording was cancelled.');
    if (run.status !== 'ok' || !trace)
      throw new Error(
        `Tracefix could not record ${plan.label}: ${run.error?.message ?? run.status}`,
      );
    const overview = this.query(
      'trace_overview',
      budget?.tokenBudget ? {} : { next_budget: DEFAULT_OVERVIEW_BUDGET },
      budget,
    );
    const head = `Recorded \`${plan.label}\` (${trace.outcome.eventCount} events); it is on screen in the editor.`;
    const body = overview.content
      .map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : ''))
      .join('');
    return text(
      `${head}\n${body}\nAsk ${TRACE_TOOLS.filter((t) => t.name !== 'trace_overview')
        .map((t) => lmToolName(t.name))
        .join(', ')} about it.`,
    );
  }

  /** The same handlers VS Code calls: prepareInvocation (what the user is asked) and invoke (after
   * the user confirmed). For the test API: VS Code's own confirmation dialog cannot be answered there. */
  prepare(name: string, input: Input): vscode.PreparedToolInvocation {
    if (name === lmToolName(RECORD_TRACE_NAME)) return this.prepareRecord(input);
    return {
      invocationMessage: `Tracefix: ${name.slice(LM_TOOL_PREFIX.length).replace(/_/g, ' ')}${summaryOf(input)}`,
    };
  }

  invoke(
    name: string,
    input: Input,
    token: vscode.CancellationToken,
  ): Promise<vscode.LanguageModelToolResult> {
    if (name === lmToolName(RECORD_TRACE_NAME)) return this.record(input, token);
    const core = name.slice(LM_TOOL_PREFIX.length);
    return Promise.resolve(this.query(core, input));
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    this.sessions = new WeakMap();
    this.compareSessions = new WeakMap();
  }
}

/** ` (name=total)`: the input in the progress message. */
function summaryOf(input: Input): string {
  const parts = Object.entries(input ?? {})
    .slice(0, 3)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v.slice(0, 40) : JSON.stringify(v)}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}
