// Editor latency: from the Trace Only command to the first decorations painted on a ~50-event
// fixture, measured inside the extension host (`npm run bench:editor`). Prints figures; asserts only
// that the run worked (target ≤ 1.5 s, see the printed verdict).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TracefixExtensionExports } from '../../../src/extension/extension';
import type { LastRun } from '../../../src/extension/traceCommand';

const RUNS = 5;
const TARGET_MS = 1500;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

describe('bench: editor', function () {
  this.timeout(600_000);

  it('command → first decorations on collatz.py', async () => {
    const ext = vscode.extensions.getExtension<TracefixExtensionExports>('tracefix.tracefix');
    assert.ok(ext);
    const api = (await ext.activate())._test;
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const uri = vscode.Uri.file(path.join(folder, 'collatz.py'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const rows: { total: number; firstPaint: number; startup: number; recording: number; events: number }[] = [];
    for (let i = 0; i <= RUNS; i++) {
      await vscode.commands.executeCommand('tracefix.clearTrace');
      const t0 = performance.now();
      const painted = new Promise<number>((resolve) => {
        const sub = api.onDidApplyDecorations((d) => {
          if (d.uri !== uri.toString() || d.lines.length === 0) return;
          sub.dispose();
          resolve(performance.now());
        });
      });
      const run = await vscode.commands.executeCommand<LastRun>('tracefix.traceOnly');
      assert.equal(run.status, 'ok', JSON.stringify(run.error));
      const t1 = await painted;
      const trace = api.lastTrace()!;
      const row = { total: performance.now() - t0, firstPaint: t1 - t0, startup: trace.outcome.startupMs, recording: trace.outcome.durationMs, events: trace.events.length };
      // The first run also pays for interpreter discovery and cold imports: reported, not counted.
      console.log(`bench:editor ${i === 0 ? 'warm-up' : `run ${i}`}: first decorations ${row.firstPaint.toFixed(0)} ms after the command (recorder ${row.recording} ms, of which debugpy startup ${row.startup} ms; ${row.events} events)`);
      if (i > 0) rows.push(row);
    }
    const m = median(rows.map((r) => r.firstPaint));
    const startup = median(rows.map((r) => r.startup));
    console.log(`bench:editor median command → first decorations: ${m.toFixed(0)} ms over ${RUNS} runs (target ≤ ${TARGET_MS} ms: ${m <= TARGET_MS ? 'met' : 'NOT met'}); median debugpy startup ${startup.toFixed(0)} ms; ${rows[0]!.events} events`);
    assert.ok(rows.every((r) => r.events >= 40 && r.events <= 80), 'the fixture is a ~50-event program');
  });
});
