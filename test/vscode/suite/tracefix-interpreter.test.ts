// An interpreter without debugpy that no bundled copy can serve (pyenv 3.9: Tracefix's bundled
// debugpy 1.8 needs Python >= 3.10; the Python Debugger stand-in bundles none): exactly one
// notification that says what to do, with a button opening the setting.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { closeAll, openAt, run, setSetting, tracefix } from './tracefixApi';

/** `$(pyenv root)/versions/3.9.x/bin/python`: no debugpy, and too old for the bundled debugpy 1.8. */
function python39(): string {
  const root = process.env.PYENV_ROOT || path.join(os.homedir(), '.pyenv');
  const versions = fs.existsSync(path.join(root, 'versions'))
    ? fs.readdirSync(path.join(root, 'versions'))
    : [];
  const v = versions
    .filter((d) => d.startsWith('3.9.'))
    .sort()
    .pop();
  assert.ok(v, `needs a pyenv Python 3.9 in ${root}/versions (found: ${versions.join(', ')})`);
  return path.join(root, 'versions', v, 'bin', 'python');
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

  it('shows one notification when the interpreter has no debugpy and no bundled copy supports it', async function () {
    // A real Python Debugger extension's bundled debugpy would be used (the test stand-in has none).
    const debugpyExt = vscode.extensions.getExtension('ms-python.debugpy');
    if (
      debugpyExt &&
      fs.existsSync(path.join(debugpyExt.extensionPath, 'bundled', 'libs', 'debugpy'))
    )
      this.skip();
    const python = python39();
    assert.throws(
      () => execFileSync(python, ['-c', 'import debugpy'], { stdio: 'pipe' }),
      'precondition: no debugpy',
    );
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
    assert.match(
      shown[0]!.message,
      /bundled debugpy needs Python >=3\.10/,
      'says why the bundled copy was not used',
    );
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
