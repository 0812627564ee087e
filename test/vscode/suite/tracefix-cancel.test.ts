// Cancelling a recording (the progress notification's Cancel) ends the debuggee.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { LastRun } from '../../../src/extension/run/runs';
import { closeAll, openAt, setSetting, tracefix, waitFor } from './tracefixApi';

/** Live (non-zombie) processes whose command line mentions `needle`. */
function processesRunning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      const state = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').replace(/^.*\) /, '')[0];
      if (cmdline.includes(needle) && state !== 'Z') pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

describe('tracefix: cancellation', function () {
  this.timeout(90_000);
  before(async () => {
    await closeAll();
    // Only cancellation may end this recording.
    await setSetting('maxEvents', 10_000_000);
    await setSetting('timeoutSeconds', 600);
  });
  after(async () => {
    await setSetting('maxEvents', undefined);
    await setSetting('timeoutSeconds', undefined);
    await closeAll();
  });

  it('kills the traced program and reports a cancelled run without an error notification', async () => {
    const api = await tracefix();
    await openAt('spin_forever.py', 1);
    api.clearNotifications();
    const traceBefore = api.lastTrace();
    const started = new Promise<void>((resolve) => {
      const sub = api.onDidStartRecording(() => {
        sub.dispose();
        resolve();
      });
    });
    const result = vscode.commands.executeCommand<LastRun>('tracefix.traceOnly');
    await started;
    assert.equal(api.isRecording(), true);
    // Short-lived helpers (the syntax pre-check) mention the file too: wait for a process that stays,
    // i.e. the program in its loop being recorded.
    const firstSeen = new Map<number, number>();
    const pids = await waitFor(() => {
      const now = Date.now();
      const live = processesRunning('spin_forever.py');
      for (const pid of live) if (!firstSeen.has(pid)) firstSeen.set(pid, now);
      return live.some((pid) => now - firstSeen.get(pid)! >= 1500) ? live : undefined;
    }, 'the traced python process');
    assert.equal(await api.cancelRunning(), true);
    const r = await result;
    assert.equal(r.status, 'cancelled');
    assert.equal(api.isRecording(), false);
    await waitFor(
      () => pids.every((pid) => processesRunning('spin_forever.py').indexOf(pid) < 0),
      `python ${pids.join(', ')} to exit`,
      20_000,
    );
    assert.deepEqual(processesRunning('spin_forever.py'), []);
    assert.equal(api.notifications().filter((n) => n.severity === 'error').length, 0);
    assert.equal(api.lastTrace(), traceBefore, 'a cancelled recording paints nothing');
  });
});
