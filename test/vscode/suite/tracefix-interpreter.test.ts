// An interpreter without debugpy (a fresh venv of the system Python, no Python Debugger extension):
// exactly one notification that says what to do, with a button opening the setting.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { closeAll, openAt, run, setSetting, tracefix } from './tracefixApi';

/** A venv of /usr/bin/python3 (no pip, so no debugpy), or a wrapper that hides site-packages. */
function pythonWithoutDebugpy(dir: string): string {
  try {
    execFileSync('/usr/bin/python3', ['-m', 'venv', '--without-pip', path.join(dir, 'venv')], { stdio: 'pipe' });
    return path.join(dir, 'venv', 'bin', 'python');
  } catch {
    const wrapper = path.join(dir, 'python-no-site');
    fs.writeFileSync(wrapper, '#!/bin/sh\nexec /usr/bin/python3 -S "$@"\n', { mode: 0o755 });
    return wrapper;
  }
}

describe('tracefix: interpreter problems', function () {
  this.timeout(90_000);
  let tmp: string;
  let original: unknown;
  before(async () => {
    await closeAll();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tracefix-nodebugpy-'));
    original = vscode.workspace.getConfiguration('tracefix').inspect('pythonPath')?.workspaceValue;
    await openAt('collatz.py', 1);
  });
  after(async () => {
    await setSetting('pythonPath', original);
    fs.rmSync(tmp, { recursive: true, force: true });
    await closeAll();
  });

  it('shows one notification when the interpreter has no debugpy and nothing bundles one', async function () {
    // A real Python Debugger extension's bundled debugpy would be used (the test stand-in has none).
    const debugpyExt = vscode.extensions.getExtension('ms-python.debugpy');
    if (debugpyExt && fs.existsSync(path.join(debugpyExt.extensionPath, 'bundled', 'libs', 'debugpy'))) this.skip();
    const python = pythonWithoutDebugpy(tmp);
    assert.throws(() => execFileSync(python, ['-c', 'import debugpy'], { stdio: 'pipe' }), 'precondition: no debugpy');
    await setSetting('pythonPath', python);
    const api = await tracefix();
    api.clearNotifications();
    const traceBefore = api.lastTrace();
    const r = await run('tracefix.traceOnly');
    assert.equal(r.status, 'error');
    assert.equal(r.error?.code, 'no-debugpy');
    const shown = api.notifications();
    assert.equal(shown.length, 1, `one notification, got ${JSON.stringify(shown)}`);
    assert.equal(shown[0]!.severity, 'error');
    assert.ok(shown[0]!.message.includes(python), 'names the interpreter');
    assert.match(shown[0]!.message, /pip install debugpy/);
    assert.match(shown[0]!.message, /ms-python\.debugpy/);
    assert.match(shown[0]!.message, /tracefix\.pythonPath/);
    assert.deepEqual(shown[0]!.items, ['Open Settings']);
    assert.equal(api.lastTrace(), traceBefore, 'nothing recorded, nothing painted');
  });

  it('shows one notification when the configured interpreter does not exist', async () => {
    const missing = path.join(tmp, 'no-such-python');
    await setSetting('pythonPath', missing);
    const api = await tracefix();
    api.clearNotifications();
    const r = await run('tracefix.traceOnly');
    assert.equal(r.status, 'error');
    assert.equal(r.error?.code, 'no-python');
    assert.equal(api.notifications().length, 1);
    assert.ok(api.notifications()[0]!.message.includes(missing));
    assert.deepEqual(api.notifications()[0]!.items, ['Open Settings']);
  });
});
