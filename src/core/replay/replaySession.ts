// A debug adapter that replays a recorded trace: VS Code's own debugger UI (call stack, variables,
// hovers, step back, reverse continue, restart frame, jump to cursor) over the Timeline. Nothing runs;
// every answer comes from the recording.

import * as path from 'node:path';
import {
  Breakpoint,
  BreakpointEvent,
  Event,
  InitializedEvent,
  LoggingDebugSession,
  OutputEvent,
  Source,
  StackFrame,
  StoppedEvent,
  TerminatedEvent,
  Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { errorMessage } from '../errors';
import type { Trace } from '../trace/model';
import type { FrameView } from './frames';
import { Timeline, type Stop } from './timeline';
import { SourceMap, loadTrace, type ReplayLaunchArguments } from './traceSource';
import {
  endDescription,
  EXCEPTION_FILTER,
  exceptionInfoBody,
  NEVER_EXECUTED,
  POSITION_EVENT,
  frameScopes,
  gotoTargets,
  REPLAY_CAPABILITIES,
  GOTO_REQUEST,
  REVERSE_STEP_IN_REQUEST,
  positionOf,
} from './replayProtocol';
import { VariableStore } from './variables';

const THREAD_ID = 1;

type StopReasonOut = Stop['reason'] | 'pause';

export class ReplaySession extends LoggingDebugSession {
  private timeline: Timeline | undefined;
  private trace: Trace | undefined;
  private sources: SourceMap | undefined;
  private readonly vars = new VariableStore();
  private stopOnEntry = true;
  private exceptionFilter = true;
  private launched = false;
  private configured = false;
  private started = false;
  /** Output chunks already shown (output is shown once, as the replay first passes it). */
  private outputShown = 0;
  private nextBreakpointId = 1;
  private readonly notedSources = new Set<string>();
  /** setBreakpoints received before the recording was loaded, replayed after launch. */
  private readonly early: Array<{ args: DebugProtocol.SetBreakpointsArguments; ids: number[] }> =
    [];

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = REPLAY_CAPABILITIES;
    // `initialized` follows the launch: breakpoints are verified against the loaded recording.
    this.sendResponse(response);
  }

  protected override launchRequest(
    response: DebugProtocol.LaunchResponse,
    args: DebugProtocol.LaunchRequestArguments & ReplayLaunchArguments,
  ): void {
    void this.launch(response, args);
  }

  private async launch(
    response: DebugProtocol.LaunchResponse,
    args: ReplayLaunchArguments,
  ): Promise<void> {
    try {
      const trace = await loadTrace(args);
      this.timeline = new Timeline(trace.events, trace.elided);
      this.timeline.exceptionFilter = this.exceptionFilter;
      this.trace = trace;
      this.sources = new SourceMap(trace, args.sourceRoot ?? trace.program.root);
      this.stopOnEntry = args.stopOnEntry ?? true;
    } catch (e) {
      this.fail(response, errorMessage(e), true);
      return;
    }
    this.sendResponse(response);
    this.launched = true;
    for (const early of this.early.splice(0)) {
      for (const bp of this.applyBreakpoints(early.args, early.ids))
        this.sendEvent(new BreakpointEvent('changed', bp));
    }
    this.sendEvent(new InitializedEvent());
    this.maybeStart();
  }

  protected override configurationDoneRequest(
    response: DebugProtocol.ConfigurationDoneResponse,
  ): void {
    this.sendResponse(response);
    this.configured = true;
    this.maybeStart();
  }

  private maybeStart(): void {
    if (!this.launched || !this.configured || this.started || this.timeline === undefined) return;
    this.started = true;
    this.report(this.timeline.start(this.stopOnEntry));
  }

  protected override setBreakPointsRequest(
    response: DebugProtocol.SetBreakpointsResponse,
    args: DebugProtocol.SetBreakpointsArguments,
  ): void {
    if (!this.launched) {
      // Only a client that ignores `initialized` gets here; the ids let the later `changed` events match.
      const breakpoints = (args.breakpoints ?? []).map((b) => ({
        id: this.nextBreakpointId++,
        verified: false,
        line: b.line,
        message: 'the recording is not loaded yet',
      }));
      this.early.push({ args, ids: breakpoints.map((b) => b.id) });
      response.body = { breakpoints };
    } else {
      response.body = { breakpoints: this.applyBreakpoints(args) };
    }
    this.sendResponse(response);
  }

  private applyBreakpoints(
    args: DebugProtocol.SetBreakpointsArguments,
    ids: number[] = [],
  ): DebugProtocol.Breakpoint[] {
    const timeline = this.timeline;
    const file = this.sources?.fileFor(args.source);
    const lines = (args.breakpoints ?? args.lines?.map((line) => ({ line })) ?? []).map((b) =>
      this.convertClientLineToDebugger(b.line),
    );
    const results =
      timeline !== undefined && file !== undefined
        ? timeline.setBreakpoints(file, lines)
        : lines.map((line) => ({ line, verified: false }));
    return results.map((r, i) => {
      const bp: DebugProtocol.Breakpoint = new Breakpoint(
        r.verified,
        this.convertDebuggerLineToClient(r.line),
      );
      bp.id = ids[i] ?? this.nextBreakpointId++;
      if (!r.verified)
        bp.message = file === undefined ? 'not a file of this recording' : NEVER_EXECUTED;
      return bp;
    });
  }

  protected override setExceptionBreakPointsRequest(
    response: DebugProtocol.SetExceptionBreakpointsResponse,
    args: DebugProtocol.SetExceptionBreakpointsArguments,
  ): void {
    this.exceptionFilter = args.filters.includes(EXCEPTION_FILTER);
    if (this.timeline !== undefined) this.timeline.exceptionFilter = this.exceptionFilter;
    this.sendResponse(response);
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(THREAD_ID, 'recording')] };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(
    response: DebugProtocol.StackTraceResponse,
    args: DebugProtocol.StackTraceArguments,
  ): void {
    const timeline = this.timeline;
    if (timeline === undefined) return this.fail(response, 'no recording is loaded');
    const stack = timeline.stack();
    const start = args.startFrame ?? 0;
    const end = args.levels !== undefined && args.levels > 0 ? start + args.levels : stack.length;
    response.body = {
      stackFrames: stack.slice(start, end).map((f) => this.stackFrame(f, timeline)),
      totalFrames: stack.length,
    };
    this.sendResponse(response);
  }

  private stackFrame(f: FrameView, timeline: Timeline): DebugProtocol.StackFrame {
    const calls = timeline.frames.callsOf(f.file, f.function);
    const name = calls > 1 ? `${f.function} (call ${f.callIndex} of ${calls})` : f.function;
    const frame: DebugProtocol.StackFrame = new StackFrame(
      f.callId,
      name,
      this.source(f.file),
      this.convertDebuggerLineToClient(f.line),
      this.convertDebuggerColumnToClient(1),
    );
    frame.canRestart = true;
    if (f.lineApproximate === true) frame.presentationHint = 'subtle';
    return frame;
  }

  private source(file: string): Source {
    const r = this.sources?.resolve(file);
    if (r?.origin !== undefined && !this.notedSources.has(file)) {
      this.notedSources.add(file);
      this.sendEvent(new OutputEvent(`${file}: showing the ${r.origin}.\n`, 'console'));
    }
    if (r?.sourceReference !== undefined)
      return new Source(file, undefined, r.sourceReference, r.origin);
    return new Source(path.basename(file), r?.path ?? file);
  }

  protected override scopesRequest(
    response: DebugProtocol.ScopesResponse,
    args: DebugProtocol.ScopesArguments,
  ): void {
    const stack = this.timeline?.stack() ?? [];
    const frame = stack.find((f) => f.callId === args.frameId);
    if (frame === undefined)
      return this.fail(response, 'that frame is not on the stack at this position');
    const scopes = frameScopes(stack, frame, this.vars);
    response.body = { scopes };
    this.sendResponse(response);
  }

  protected override variablesRequest(
    response: DebugProtocol.VariablesResponse,
    args: DebugProtocol.VariablesArguments,
  ): void {
    const variables = this.vars.variables(args.variablesReference);
    if (variables === undefined)
      return this.fail(response, 'these variables belong to an earlier position');
    response.body = { variables };
    this.sendResponse(response);
  }

  protected override evaluateRequest(
    response: DebugProtocol.EvaluateResponse,
    args: DebugProtocol.EvaluateArguments,
  ): void {
    const timeline = this.timeline;
    if (timeline === undefined) return this.fail(response, 'no recording is loaded');
    const result = timeline.evaluate(args.expression, args.frameId);
    if (!result.recorded) return this.fail(response, `${result.message}: ${result.detail}`);
    response.body = { result: result.value, variablesReference: this.vars.forRepr(result.value) };
    this.sendResponse(response);
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const timeline = this.timeline;
    const info = timeline?.exceptionAt();
    if (timeline === undefined || info === undefined)
      return this.fail(response, 'no recorded exception at this position');
    response.body = exceptionInfoBody(timeline, info, this.trace);
    this.sendResponse(response);
  }

  protected override sourceRequest(
    response: DebugProtocol.SourceResponse,
    args: DebugProtocol.SourceArguments,
  ): void {
    const ref = args.source?.sourceReference ?? args.sourceReference;
    const text = ref > 0 ? this.sources?.textOf(ref) : undefined;
    if (text === undefined) return this.fail(response, 'this source is not in the recording');
    response.body = { content: text, mimeType: 'text/x-python' };
    this.sendResponse(response);
  }

  // ---- motions ----

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    response.body = { allThreadsContinued: true };
    this.move(response, (t) => t.continue());
  }

  protected override nextRequest(response: DebugProtocol.NextResponse): void {
    this.move(response, (t) => t.next());
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse): void {
    this.move(response, (t) => t.stepIn());
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    this.move(response, (t) => t.stepOut());
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse): void {
    this.move(response, (t) => t.stepBack());
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.move(response, (t) => t.reverseContinue());
  }

  protected override restartFrameRequest(
    response: DebugProtocol.RestartFrameResponse,
    args: DebugProtocol.RestartFrameArguments,
  ): void {
    this.move(response, (t) => t.restartFrame(args.frameId), 'that frame is not in the recording');
  }

  protected override gotoTargetsRequest(
    response: DebugProtocol.GotoTargetsResponse,
    args: DebugProtocol.GotoTargetsArguments,
  ): void {
    const timeline = this.timeline;
    const file = this.sources?.fileFor(args.source);
    if (timeline === undefined || file === undefined)
      return this.fail(response, 'not a file of this recording');
    const line = this.convertClientLineToDebugger(args.line);
    response.body = { targets: gotoTargets(timeline, file, line, args.line) };
    this.sendResponse(response);
  }

  protected override gotoRequest(
    response: DebugProtocol.GotoResponse,
    args: DebugProtocol.GotoArguments,
  ): void {
    this.move(response, (t) => t.goto(args.targetId), 'no such goto target');
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.sendResponse(response);
    if (this.timeline !== undefined)
      this.report({ index: this.timeline.position, reason: 'step' }, 'pause');
  }

  protected override customRequest(
    command: string,
    response: DebugProtocol.Response,
    args: unknown,
  ): void {
    if (command === GOTO_REQUEST) {
      const index = (args as { index?: unknown } | undefined)?.index;
      response.body = { index };
      return this.move(
        response,
        (t) => (typeof index === 'number' ? t.goto(index) : undefined),
        `no event with index ${String(index)}`,
      );
    }
    if (command === REVERSE_STEP_IN_REQUEST) return this.move(response, (t) => t.reverseStepIn());
    super.customRequest(command, response, args);
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  /** Runs a motion; on success answers first, then reports the stop (as DAP wants). */
  private move(
    response: DebugProtocol.Response,
    motion: (t: Timeline) => Stop | undefined,
    failure = 'cannot move there',
  ): void {
    const timeline = this.timeline;
    if (timeline === undefined || !this.started)
      return this.fail(response, 'the replay has not started yet');
    const stop = motion(timeline);
    if (stop === undefined) return this.fail(response, failure);
    this.sendResponse(response);
    this.report(stop);
  }

  private report(stop: Stop, reasonOverride?: StopReasonOut): void {
    const timeline = this.timeline;
    if (timeline === undefined) return;
    this.vars.reset();
    this.showOutputUpTo(stop.index);
    const e = timeline.events.at(stop.index);
    if (e === undefined) return;
    const reason: StopReasonOut = reasonOverride ?? stop.reason;
    const description =
      reason === 'end' ? endDescription(this.trace) : timeline.describe(stop.index);
    const stopped: DebugProtocol.StoppedEvent = new StoppedEvent(reason, THREAD_ID);
    if (reason === 'end') stopped.body.description = description;
    if (reason === 'exception') stopped.body.text = timeline.exceptionAt(stop.index)?.type;
    stopped.body.allThreadsStopped = true;
    this.sendEvent(stopped);
    const position = positionOf(timeline, stop.index, reason, description);
    const onDisk = this.sources?.resolve(e.file).path;
    if (onDisk !== undefined) position.path = onDisk;
    this.sendEvent(new Event(POSITION_EVENT, position));
  }

  private showOutputUpTo(index: number): void {
    const output = this.trace?.output ?? [];
    while (this.outputShown < output.length) {
      const chunk = output[this.outputShown];
      // A chunk with afterEvent = k was written before event k was recorded, i.e. it is visible at k.
      if (chunk === undefined || chunk.afterEvent > index) break;
      this.sendEvent(new OutputEvent(chunk.text, chunk.stream));
      this.outputShown++;
    }
  }

  private fail(response: DebugProtocol.Response, message: string, showUser = false): void {
    // `variables: {}` keeps the library's `{placeholder}` formatting from touching the message.
    this.sendErrorResponse(response, { id: 4200, format: message, showUser, variables: {} });
  }
}
