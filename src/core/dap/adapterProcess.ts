// Starts debugpy's adapter on stdio and guarantees that it, the launcher, the debuggee and whatever
// the program started are gone afterwards. debugpy's launcher puts the debuggee in its own process
// group, so both groups are killed: the adapter's (we spawn it detached) and the debuggee's (pid from
// the DAP `process` event); children that left those groups (a new session, a daemon) are found by
// processTree.ts (the adapter is their subreaper; the environment marks them).
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { DapClient } from './client';
import type { Interpreter } from './python';
import type { DapLogger, SpawnWrapper } from './types';
import { InternalError } from '../errors';
import { adapterArgs, killProcessTree, newRunMarker, RUN_MARKER_VAR } from './processTree';

export interface AdapterHandle {
  client: DapClient;
  process: ChildProcess;
  /** The debuggee's pid once the adapter reported it. */
  debuggeePid?: number;
  /** stderr of the adapter, for error messages. */
  stderr(): string;
  /** Ends everything; safe to call many times; resolves when the adapter process has exited. */
  dispose(): Promise<void>;
}

export function startAdapter(
  interp: Interpreter,
  env: NodeJS.ProcessEnv,
  log?: DapLogger,
  wrap?: SpawnWrapper,
  binds: { readWrite: string[] } = { readWrite: [] },
): AdapterHandle {
  const marker = newRunMarker();
  const childEnv: NodeJS.ProcessEnv = { ...env, [RUN_MARKER_VAR]: marker };
  if (interp.extraPythonPath) {
    childEnv.PYTHONPATH = [interp.extraPythonPath, env.PYTHONPATH]
      .filter(Boolean)
      .join(path.delimiter);
  }
  const args = adapterArgs();
  const cmd = wrap ? wrap(interp.python, args, binds) : { command: interp.python, args };
  const proc = spawn(cmd.command, cmd.args, {
    env: childEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
  });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 64_000) stderr += d.toString('utf8');
  });
  if (!proc.stdout || !proc.stdin)
    throw new InternalError('Could not open pipes to the debug adapter.');
  // A write after the adapter died must not crash the host.
  proc.stdin.on('error', () => undefined);
  const client = new DapClient(proc.stdout, proc.stdin, log);
  const exited = new Promise<void>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve();
    proc.once('exit', () => resolve());
    proc.once('error', () => resolve());
  });
  const handle: AdapterHandle = {
    client,
    process: proc,
    stderr: () => stderr,
    dispose: async () => {
      client.close();
      // While the adapter lives, every process of the run descends from it (it is their subreaper).
      killProcessTree(proc.pid, marker);
      killGroup(handle.debuggeePid);
      killGroup(proc.pid);
      proc.stdin?.destroy();
      const timer = setTimeout(() => proc.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
      killGroup(handle.debuggeePid);
      // One that escaped the adapter before it was made subreaper (or under a wrapper): by its marker.
      killProcessTree(undefined, marker);
    },
  };
  client.on('process', (body) => {
    if (body.systemProcessId) handle.debuggeePid = body.systemProcessId;
  });
  return handle;
}

function killGroup(pid: number | undefined): void {
  if (!pid) return;
  for (const target of process.platform === 'win32' ? [pid] : [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}
