// The replay adapter's side of the protocol: its debug type, custom requests and event, what it
// supports, and the answers that are a pure function of the recording (exception details, the end).
import * as path from 'node:path';
import { Scope } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { ExceptionInfo, Trace } from '../trace/model';
import type { FrameView } from './frames';
import type { Timeline } from './timeline';
import type { VariableStore } from './variables';

export const REPLAY_DEBUG_TYPE = 'tracefix-replay';
export const GOTO_REQUEST = 'tracefix/goto';
export const REVERSE_STEP_IN_REQUEST = 'tracefix/reverseStepIn';
export const POSITION_EVENT = 'tracefix/position';
export const EXCEPTION_FILTER = 'exceptions';
export const NEVER_EXECUTED = 'never executed in this recording';

/** Body of the `tracefix/position` event sent at every stop. */
export interface ReplayPosition {
  index: number;
  /** Relative to the recording's root. */
  file: string;
  line: number;
  /** Absolute path when the file on disk is the recorded text. */
  path?: string;
  kind: string;
  callId: number;
  eventCount: number;
  atEnd: boolean;
  reason: string;
  description: string;
}

/** What the replay adapter supports (its `initialize` answer). */
export const REPLAY_CAPABILITIES: DebugProtocol.Capabilities = {
  supportsConfigurationDoneRequest: true,
  supportsStepBack: true,
  supportsEvaluateForHovers: true,
  supportsRestartFrame: true,
  supportsGotoTargetsRequest: true,
  supportsExceptionInfoRequest: true,
  supportsTerminateRequest: true,
  supportsSteppingGranularity: false,
  exceptionBreakpointFilters: [
    {
      filter: EXCEPTION_FILTER,
      label: 'Recorded exceptions',
      default: true,
      description: 'Stop where a recorded exception was raised',
    },
  ],
};

/** The `exceptionInfo` answer for the recorded exception `info` at the timeline's position. */
export function exceptionInfoBody(
  timeline: Timeline,
  info: ExceptionInfo,
  trace: Trace | undefined,
): DebugProtocol.ExceptionInfoResponse['body'] {
  const stack = timeline
    .stack()
    .map((f) => `  File "${f.file}", line ${f.line}, in ${f.function}`)
    .reverse()
    .join('\n');
  const uncaught =
    trace?.outcome.status === 'exception' && trace.outcome.exception?.type === info.type;
  return {
    exceptionId: info.type,
    description: info.message,
    breakMode: uncaught ? 'unhandled' : 'always',
    details: {
      message: info.message,
      typeName: info.type,
      stackTrace: `Traceback (as recorded):\n${stack}\n${info.repr}`,
    },
  };
}

/** What the replay says when it reaches the last event. */
export function endDescription(trace: Trace | undefined): string {
  const outcome = trace?.outcome;
  return outcome?.partial === true
    ? `End of recording (the recording stopped early: ${outcome.status})`
    : 'End of recording';
}

/** The scopes of `frame`: its locals (with `__return__` at a return), and the module's globals
 * when the frame is a function's. */
export function frameScopes(
  stack: FrameView[],
  frame: FrameView,
  vars: VariableStore,
): DebugProtocol.Scope[] {
  const locals: Array<[string, string]> = [];
  if (frame.returnValue !== undefined) locals.push(['__return__', frame.returnValue]);
  locals.push(...Object.entries(frame.locals));
  const scopes: DebugProtocol.Scope[] = [new Scope('Locals', vars.entries(locals), false)];
  const module = stack.find((f) => f.function === '<module>' && f.callId !== frame.callId);
  if (
    module !== undefined &&
    frame.function !== '<module>' &&
    Object.keys(module.locals).length > 0
  ) {
    scopes.push(new Scope('Globals', vars.entries(Object.entries(module.locals)), false));
  }
  (scopes[0] as DebugProtocol.Scope).presentationHint = 'locals';
  return scopes;
}

/** "Jump to cursor" targets on `line` of `file`: the next execution after the position first. */
export function gotoTargets(
  timeline: Timeline,
  file: string,
  line: number,
  clientLine: number,
): DebugProtocol.GotoTarget[] {
  const runs = timeline.executionsOf(file, line);
  // The next execution after the position first (what "jump to cursor" should pick), then the rest.
  const pos = timeline.position;
  const ordered = [...runs.filter((i) => i > pos), ...runs.filter((i) => i <= pos).reverse()];
  return ordered.map((i) => ({
    id: i,
    label: `${path.basename(file)}:${line}, execution ${runs.indexOf(i) + 1} of ${runs.length} (event ${i})`,
    line: clientLine,
  }));
}

/** The `tracefix/position` event's body at event `index` (without `path`, which needs the sources). */
export function positionOf(
  timeline: Timeline,
  index: number,
  reason: string,
  description: string,
): ReplayPosition {
  const e = timeline.events.at(index);
  return {
    index,
    file: e?.file ?? '',
    line: e?.line ?? 0,
    kind: e?.kind ?? '',
    callId: e?.callId ?? 0,
    eventCount: timeline.length,
    atEnd: index === timeline.length - 1,
    reason,
    description,
  };
}
