// Keeps the timeline (and with it the step highlight in the editor) on the replay position, and
// moves the replay when a timeline row is picked while that recording is being replayed.
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors';
import { GOTO_REQUEST } from '../../core/replay';
import type { ReplayLauncher } from './replay';
import type { TimelineView } from '../timeline/timelineView';
import type { TraceStore } from '../run/traceStore';

export class ReplayFollower implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly replay: ReplayLauncher,
    private readonly store: TraceStore,
    private readonly timeline: TimelineView,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      replay.onDidMove(({ trace, position }) => {
        // A replay of another recording than the one shown (a new trace was recorded since) moves nothing.
        if (trace !== this.store.trace || this.timeline.state().selected === position.index) return;
        // The debugger opens and highlights the source itself; the timeline only follows.
        void this.timeline.select(position.index, { reveal: false });
      }),
      timeline.onDidSelect((index) => void this.moveReplay(index)),
    );
  }

  private async moveReplay(index: number): Promise<void> {
    const session = vscode.debug.activeDebugSession;
    const trace = session ? this.replay.traceOf(session) : undefined;
    if (!session || !trace || trace !== this.store.trace) return;
    const at = this.replay.positionOf(session);
    if (at === undefined || at === index) return;
    try {
      await session.customRequest(GOTO_REQUEST, { index });
    } catch (e) {
      this.log.warn(`replay: could not move to event ${index}: ${errorMessage(e)}`);
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
