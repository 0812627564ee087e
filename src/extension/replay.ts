// "Replay from this step": the recorded trace in VS Code's own debugger (debug type
// `tracefix-replay`, adapter from core/replay run in-process), then a jump to the chosen event.
import * as vscode from 'vscode';
import { createReplaySession, GOTO_REQUEST, POSITION_EVENT, REPLAY_DEBUG_TYPE } from '../core/replay';
import type { Trace } from '../core/trace/model';

const FIRST_STOP_TIMEOUT_MS = 15_000;

export class ReplayLauncher implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.disposables.push(
      vscode.debug.registerDebugAdapterDescriptorFactory(REPLAY_DEBUG_TYPE, {
        createDebugAdapterDescriptor: () =>
          new vscode.DebugAdapterInlineImplementation(createReplaySession()),
      }),
    );
  }

  /** Starts a replay session of `trace` and moves it to event `index`. */
  async replayFrom(trace: Trace, index: number): Promise<vscode.DebugSession> {
    const folder = vscode.workspace.workspaceFolders?.find((f) => trace.program.root.startsWith(f.uri.fsPath));
    const name = `Replay ${trace.program.target}`;
    const firstStop = new Promise<vscode.DebugSession>((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new Error('the replay did not stop on its first event'));
      }, FIRST_STOP_TIMEOUT_MS);
      const sub = vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.session.type !== REPLAY_DEBUG_TYPE || e.session.name !== name || e.event !== POSITION_EVENT) return;
        clearTimeout(timer);
        sub.dispose();
        resolve(e.session);
      });
    });
    const started = await vscode.debug.startDebugging(folder, { type: REPLAY_DEBUG_TYPE, request: 'launch', name, traceObject: trace, stopOnEntry: true });
    if (!started) throw new Error('VS Code did not start the replay session');
    const session = await firstStop;
    await session.customRequest(GOTO_REQUEST, { index });
    return session;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
