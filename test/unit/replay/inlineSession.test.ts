// The extension runs the adapter in-process (DebugAdapterInlineImplementation): messages go through
// handleMessage / onDidSendMessage with no streams. This drives createReplaySession() that way.
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterEach, describe, expect, it } from 'vitest';
import { createReplaySession } from '../../../src/core/replay';
import type { Trace } from '../../../src/core/trace/model';
import { FIXTURE_SRC, loadFixture } from './fixtures';

class InlineClient {
  readonly session = createReplaySession();
  readonly events: DebugProtocol.Event[] = [];
  private seq = 1;
  private readonly pending = new Map<number, (r: DebugProtocol.Response) => void>();
  private readonly disposable;

  constructor() {
    this.disposable = this.session.onDidSendMessage((m) => {
      const msg = m as DebugProtocol.ProtocolMessage;
      if (msg.type === 'response')
        this.pending.get((msg as DebugProtocol.Response).request_seq)?.(
          msg as DebugProtocol.Response,
        );
      else if (msg.type === 'event') this.events.push(msg as DebugProtocol.Event);
    });
  }

  request<T extends DebugProtocol.Response>(command: string, args?: unknown): Promise<T> {
    const seq = this.seq++;
    const done = new Promise<T>((resolve) => this.pending.set(seq, (r) => resolve(r as T)));
    this.session.handleMessage({
      seq,
      type: 'request',
      command,
      arguments: args,
    } as DebugProtocol.Request);
    return done;
  }

  lastStopped(): DebugProtocol.StoppedEvent | undefined {
    return this.events.filter((e) => e.event === 'stopped').at(-1) as
      DebugProtocol.StoppedEvent | undefined;
  }

  dispose(): void {
    this.disposable.dispose();
    this.session.dispose();
  }
}

let client: InlineClient | undefined;
afterEach(() => client?.dispose());

describe('createReplaySession (in-process)', () => {
  it('launches from a trace object, steps forward and back and disconnects without exiting the process', async () => {
    client = new InlineClient();
    const trace: Trace = loadFixture('factorial');
    await client.request('initialize', {
      adapterID: 'tracefix-replay',
      pathFormat: 'path',
      linesStartAt1: true,
      columnsStartAt1: true,
    });
    const launch = await client.request('launch', { traceObject: trace, sourceRoot: FIXTURE_SRC });
    expect(launch.success).toBe(true);
    expect(client.events.map((e) => e.event)).toContain('initialized');
    await client.request('configurationDone');
    expect(client.lastStopped()?.body.reason).toBe('entry');

    await client.request('next', { threadId: 1 });
    await client.request('next', { threadId: 1 });
    const st = await client.request<DebugProtocol.StackTraceResponse>('stackTrace', {
      threadId: 1,
    });
    expect(st.body.stackFrames[0]).toMatchObject({ line: 7, name: '<module>' });
    expect(client.events.filter((e) => e.event === 'tracefix/position').at(-1)?.body).toMatchObject(
      { index: 18, line: 7 },
    );

    await client.request('stepBack', { threadId: 1 });
    const back = await client.request<DebugProtocol.StackTraceResponse>('stackTrace', {
      threadId: 1,
    });
    expect(back.body.stackFrames[0]?.line).toBe(1);

    const evalResponse = await client.request('evaluate', {
      expression: 'result',
      frameId: back.body.stackFrames[0]?.id,
      context: 'watch',
    });
    expect([evalResponse.success, evalResponse.message]).toEqual([
      false,
      "not recorded: 'result' is not a recorded local of <module> at this position",
    ]);

    const disconnect = await client.request('disconnect', {});
    expect(disconnect.success).toBe(true); // and the test process is still alive to check it
  });

  it('rejects a launch on something that is not a trace', async () => {
    client = new InlineClient();
    await client.request('initialize', { adapterID: 'tracefix-replay', pathFormat: 'path' });
    const launch = await client.request('launch', { traceObject: { schema: 'other' } });
    expect(launch.success).toBe(false);
    expect(launch.message).toMatch(/not a Tracefix trace/);
  });
});

describe('createReplaySession breakpoints before launch', () => {
  it('answers them unverified and verifies them with changed events once the recording is loaded', async () => {
    client = new InlineClient();
    await client.request('initialize', { adapterID: 'tracefix-replay', pathFormat: 'path' });
    const early = await client.request<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', {
      source: { path: `${FIXTURE_SRC}/factorial.py` },
      breakpoints: [{ line: 4 }, { line: 6 }],
    });
    expect(early.body.breakpoints.map((b) => b.verified)).toEqual([false, false]);
    await client.request('launch', {
      traceObject: loadFixture('factorial'),
      sourceRoot: FIXTURE_SRC,
    });
    const changed = client.events
      .filter((e) => e.event === 'breakpoint')
      .map((e) => (e as DebugProtocol.BreakpointEvent).body.breakpoint);
    expect(changed.map((b) => [b.id, b.verified, b.message])).toEqual([
      [early.body.breakpoints[0]?.id, true, undefined],
      [early.body.breakpoints[1]?.id, false, 'never executed in this recording'],
    ]);
    await client.request('configurationDone');
    await client.request('continue', { threadId: 1 });
    expect(client.lastStopped()?.body.reason).toBe('breakpoint');
  });
});
