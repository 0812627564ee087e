// Replay of a recording in VS Code's own debugger (debug type `tracefix-replay`, adapter from
// core/replay run in-process). Three ways in: "Replay from this step" / Replay Trace on the trace in
// memory, a saved trace JSON chosen in a dialog, and a launch.json configuration with `"trace"`.
// The recording never travels inside the debug configuration (that goes through the workbench and
// can be megabytes): the configuration carries an id, and the launch request is given the Trace
// object here, in the extension host, right before the adapter sees it.
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { traceToJson } from '../../core/trace/json';
import {
  createReplaySession,
  GOTO_REQUEST,
  loadTrace,
  POSITION_EVENT,
  REPLAY_DEBUG_TYPE,
  type ReplayPosition,
  type ReplaySession,
} from '../../core/replay';
import type { Trace } from '../../core/trace/model';
import type { ErrorReporter } from '../errors';
import type { Notifier } from '../notify';
import type { RunPlan } from '../run/runPlan';
import type { TraceStore } from '../run/traceStore';

const FIRST_STOP_TIMEOUT_MS = 15_000;
/** Key of the debug configuration naming the recording registered here. */
export const REPLAY_ID_KEY = 'tracefixReplayId';

interface ReplayConfig extends vscode.DebugConfiguration {
  trace?: unknown;
  sourceRoot?: unknown;
  stopOnEntry?: unknown;
  [REPLAY_ID_KEY]?: string;
}

export class ReplayLauncher implements vscode.Disposable, vscode.DebugConfigurationProvider {
  /** Recordings of configurations resolved but not yet launched, by REPLAY_ID_KEY. */
  private readonly pending = new Map<string, Trace>();
  /** Each live replay session and the recording it replays, by session id. */
  private readonly sessions = new Map<string, { session: vscode.DebugSession; trace: Trace }>();
  private readonly positions = new Map<string, number>();
  private readonly positionEmitter = new vscode.EventEmitter<{
    session: vscode.DebugSession;
    trace: Trace;
    position: ReplayPosition;
  }>();
  /** Every stop of a replay session whose recording is known here. */
  readonly onDidMove = this.positionEmitter.event;
  private readonly disposables: vscode.Disposable[] = [this.positionEmitter];

  constructor(
    private readonly store: TraceStore,
    private readonly notifier: Notifier,
    private readonly errors: ErrorReporter,
  ) {
    this.disposables.push(
      vscode.debug.registerDebugAdapterDescriptorFactory(REPLAY_DEBUG_TYPE, {
        createDebugAdapterDescriptor: (session) =>
          new vscode.DebugAdapterInlineImplementation(this.adapterFor(session)),
      }),
      vscode.debug.registerDebugConfigurationProvider(REPLAY_DEBUG_TYPE, this),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        const trace = this.sessions.get(e.session.id)?.trace;
        if (e.event !== POSITION_EVENT || !trace) return;
        const position = e.body as ReplayPosition;
        this.positions.set(e.session.id, position.index);
        this.positionEmitter.fire({ session: e.session, trace, position });
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        this.sessions.delete(s.id);
        this.positions.delete(s.id);
      }),
    );
  }

  /** The replay session's last reported event index. */
  positionOf(session: vscode.DebugSession): number | undefined {
    return this.positions.get(session.id);
  }

  traceOf(session: vscode.DebugSession): Trace | undefined {
    return this.sessions.get(session.id)?.trace;
  }

  /** Starts a replay session of `trace` stopped on its first event, then moves it to event `index`. */
  async replayFrom(trace: Trace, index = 0): Promise<vscode.DebugSession> {
    const existing = [...this.sessions.values()].find((s) => s.trace === trace)?.session;
    if (existing) {
      // Already replaying this recording: jump instead of starting a second session.
      if (this.positions.get(existing.id) !== index)
        await existing.customRequest(GOTO_REQUEST, { index });
      return existing;
    }
    const folder = vscode.workspace.workspaceFolders?.find((f) =>
      isInside(trace.program.root, f.uri.fsPath),
    );
    const id = this.register(trace);
    const firstStop = this.firstStop(id);
    const config: ReplayConfig = {
      type: REPLAY_DEBUG_TYPE,
      request: 'launch',
      name: `Replay ${trace.program.target}`,
      stopOnEntry: true,
      [REPLAY_ID_KEY]: id,
    };
    const started = await vscode.debug.startDebugging(folder, config);
    if (!started) {
      this.pending.delete(id);
      firstStop.cancel();
      throw new Error('VS Code did not start the replay session');
    }
    const session = await firstStop.promise;
    if (index !== 0) await session.customRequest(GOTO_REQUEST, { index });
    return session;
  }

  /**
   * Tracefix: Replay Trace. A trace file given (explorer, tests) or no trace in memory: that file /
   * one chosen in a dialog; otherwise the trace in memory, from its first step.
   */
  async replayTraceCommand(arg?: unknown): Promise<vscode.DebugSession | undefined> {
    let file = arg instanceof vscode.Uri ? arg.fsPath : undefined;
    if (file === undefined && !this.store.trace) {
      const picked = await vscode.window.showOpenDialog({
        title: 'Tracefix: replay a saved trace',
        canSelectMany: false,
        filters: { 'Trace JSON': ['json'] },
        openLabel: 'Replay',
        ...(vscode.workspace.workspaceFolders?.[0]
          ? { defaultUri: vscode.workspace.workspaceFolders[0].uri }
          : {}),
      });
      if (!picked?.[0]) return undefined;
      file = picked[0].fsPath;
    }
    try {
      const trace = file === undefined ? this.store.trace : await this.open(file);
      if (!trace) return undefined;
      return await this.replayFrom(trace, 0);
    } catch (e) {
      this.errors.report(e, { where: 'replay', prefix: 'Tracefix replay' });
      return undefined;
    }
  }

  /** "Replay from This Step" (a hover link, the timeline's Replay button): replays the recording
   * on screen from event `index`; a failure ends in one notification. */
  async replayFromStep(index: number | undefined): Promise<void> {
    const trace = this.store.trace;
    if (!trace || index === undefined || !trace.events.at(index)) {
      void this.notifier.show('info', 'No recorded step to replay from: record a trace first.');
      return;
    }
    try {
      await this.replayFrom(trace, index);
    } catch (e) {
      this.errors.report(e, { where: 'replay', failed: 'Tracefix could not start the replay' });
    }
  }

  /** Tracefix: Save Trace: the trace in memory as JSON (the CLI's format), for launch.json or a colleague. */
  async saveTraceCommand(arg?: unknown): Promise<vscode.Uri | undefined> {
    const trace = this.store.trace;
    if (!trace) {
      void this.notifier.show(
        'info',
        'No trace yet: run "Tracefix: Trace Only" or "Tracefix: Explain & Fix" first.',
      );
      return undefined;
    }
    const target =
      arg instanceof vscode.Uri
        ? arg
        : await vscode.window.showSaveDialog({
            title: 'Tracefix: save the trace',
            filters: { 'Trace JSON': ['json'] },
            defaultUri: vscode.Uri.file(path.join(trace.program.root, 'trace.json')),
          });
    if (!target) return undefined;
    try {
      // The CLI's writer: the events are a column store in memory, not an array JSON.stringify could write.
      await vscode.workspace.fs.writeFile(target, Buffer.from(traceToJson(trace), 'utf8'));
    } catch (e) {
      this.errors.report(e, {
        where: 'replay',
        failed: `Tracefix could not save the trace to ${target.fsPath}`,
      });
      return undefined;
    }
    return target;
  }

  /** Reads and checks a saved trace; makes it the current trace (decorations, timeline) unless it already is. */
  async open(file: string, sourceRoot?: string): Promise<Trace> {
    let trace = await loadTrace({ trace: file });
    if (sourceRoot !== undefined && sourceRoot !== trace.program.root)
      trace = { ...trace, program: { ...trace.program, root: sourceRoot } };
    const current = this.store.trace;
    if (current && sameRecording(current, trace)) return current;
    this.store.set(trace, planOf(trace));
    return trace;
  }

  // ---- DebugConfigurationProvider (launch.json, F5) ----

  /** F5 without a launch.json: replay the trace in memory, if any. */
  resolveDebugConfiguration(
    _folder: vscode.WorkspaceFolder | undefined,
    config: ReplayConfig,
  ): vscode.DebugConfiguration | undefined {
    if (config.type || config.request || config.name) return config;
    const trace = this.store.trace;
    if (!trace) {
      void this.notifier.show(
        'error',
        'Tracefix replay: there is no trace to replay. Record one first, or add a `tracefix-replay` configuration with `"trace": "<path of a saved trace JSON>"` to launch.json.',
      );
      return undefined;
    }
    return {
      type: REPLAY_DEBUG_TYPE,
      request: 'launch',
      name: `Replay ${trace.program.target}`,
      stopOnEntry: true,
      [REPLAY_ID_KEY]: this.register(trace),
    };
  }

  /** After `${workspaceFolder}` & co. are substituted: load and check the trace file, one clear error if that fails. */
  async resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined,
    config: ReplayConfig,
  ): Promise<vscode.DebugConfiguration | undefined> {
    const id = config[REPLAY_ID_KEY];
    if (typeof id === 'string' && this.pending.has(id)) return config;
    if (typeof config.trace !== 'string' || config.trace.trim() === '') {
      void this.notifier.show(
        'error',
        `Tracefix replay: the configuration "${config.name}" needs "trace": the path of a saved trace JSON (Tracefix: Save Trace, or \`tracefix trace --format json > run.json\`).`,
      );
      return undefined;
    }
    const base =
      folder?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
    const file = path.resolve(base, config.trace);
    const sourceRoot =
      typeof config.sourceRoot === 'string' && config.sourceRoot !== ''
        ? path.resolve(base, config.sourceRoot)
        : undefined;
    try {
      const trace = await this.open(file, sourceRoot);
      const resolved: ReplayConfig = {
        ...config,
        trace: file,
        [REPLAY_ID_KEY]: this.register(trace),
      };
      if (sourceRoot !== undefined) resolved.sourceRoot = sourceRoot;
      return resolved;
    } catch (e) {
      this.errors.report(e, { where: 'replay', prefix: 'Tracefix replay' });
      return undefined;
    }
  }

  // ---- internals ----

  private register(trace: Trace): string {
    const id = crypto.randomUUID();
    this.pending.set(id, trace);
    return id;
  }

  private adapterFor(session: vscode.DebugSession): vscode.DebugAdapter {
    const id = (session.configuration as ReplayConfig)[REPLAY_ID_KEY];
    const trace = typeof id === 'string' ? this.pending.get(id) : undefined;
    if (typeof id === 'string') this.pending.delete(id);
    if (trace) this.sessions.set(session.id, { session, trace });
    return new LaunchWithTrace(createReplaySession(), trace);
  }

  private firstStop(id: string): { promise: Promise<vscode.DebugSession>; cancel(): void } {
    let sub: vscode.Disposable | undefined;
    let timer: NodeJS.Timeout | undefined;
    const cancel = () => {
      sub?.dispose();
      clearTimeout(timer);
    };
    const promise = new Promise<vscode.DebugSession>((resolve, reject) => {
      timer = setTimeout(() => {
        cancel();
        reject(new Error('the replay did not stop on its first event'));
      }, FIRST_STOP_TIMEOUT_MS);
      sub = this.onDidMove(({ session }) => {
        if ((session.configuration as ReplayConfig)[REPLAY_ID_KEY] !== id) return;
        cancel();
        resolve(session);
      });
    });
    return { promise, cancel };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** The replay adapter, with the launch request given the registered recording as `traceObject`. */
class LaunchWithTrace implements vscode.DebugAdapter {
  readonly onDidSendMessage: vscode.Event<vscode.DebugProtocolMessage>;

  constructor(
    private readonly inner: ReplaySession,
    private readonly trace: Trace | undefined,
  ) {
    this.onDidSendMessage = inner.onDidSendMessage;
  }

  handleMessage(message: vscode.DebugProtocolMessage): void {
    const m = message as { type?: string; command?: string; arguments?: Record<string, unknown> };
    if (this.trace && m.type === 'request' && m.command === 'launch')
      m.arguments = { ...m.arguments, traceObject: this.trace };
    this.inner.handleMessage(message as Parameters<ReplaySession['handleMessage']>[0]);
  }

  dispose(): void {
    this.inner.dispose();
  }
}

/** Same recording (e.g. the trace in memory and the file it was saved to). */
function sameRecording(a: Trace, b: Trace): boolean {
  return (
    a.createdAt === b.createdAt &&
    a.events.length === b.events.length &&
    a.program.root === b.program.root &&
    a.program.target === b.program.target
  );
}

/** A run plan describing a trace that was loaded rather than recorded here. */
function planOf(trace: Trace): RunPlan {
  const p = trace.program;
  const target: RunPlan['target'] =
    p.kind === 'module'
      ? { kind: 'module', module: p.target }
      : p.kind === 'pytest'
        ? { kind: 'pytest', nodeId: p.target }
        : { kind: 'script', path: p.target };
  return { target, args: p.args, cwd: p.cwd, root: p.root, label: p.target, origin: 'explicit' };
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
