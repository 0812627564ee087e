// Replay of a recorded trace in VS Code's debugger (debug type `tracefix-replay`).
import { ReplaySession } from './replaySession';

export { ReplaySession } from './replaySession';
export {
  REPLAY_DEBUG_TYPE,
  GOTO_REQUEST,
  REVERSE_STEP_IN_REQUEST,
  POSITION_EVENT,
  EXCEPTION_FILTER,
  NEVER_EXECUTED,
} from './replayProtocol';
export type { ReplayPosition } from './replayProtocol';
export type { ReplayLaunchArguments } from './traceSource';
export { loadTrace, checkTrace } from './traceSource';
export { Timeline, NOT_RECORDED } from './timeline';
export type { Stop, StopReason, EvaluateResult, BreakpointResult } from './timeline';
export type { FrameView } from './frames';
export { splitRepr } from './reprSplit';

/** A fresh adapter for `new vscode.DebugAdapterInlineImplementation(createReplaySession())`. */
export function createReplaySession(): ReplaySession {
  return new ReplaySession();
}
