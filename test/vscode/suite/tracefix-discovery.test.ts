// Interpreter and debugpy discovery through the Python extension's API, the Python Debugger
// extension's bundled debugpy (stand-ins of both are installed: test/vscode/extensions/README.md)
// and Tracefix's own bundled copy (bundled/libs).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { assertOk, closeAll, openAt, run, setSetting, tracefix } from './tracefixApi';

const SYSTEM_DEBUGPY = path.dirname(
  execFileSync('/usr/bin/python3', ['-c', 'import debugpy; print(debugpy.__file__)'], {
    encoding: 'utf8',
  }).trim(),
);

/** /usr/bin/python3 without its site-packages: it cannot import the system's debugpy. */
function pythonWithoutDebugpy(dir: string): string {
  const wrapper = path.join(dir, 'python-no-site');
  fs.writeFileSync(wrapper, '#!/bin/sh\nexec /usr/bin/python3 -S "$@"\n', { mode: 0o755 });
  assert.throws(
    () => execFileSync(wrapper, ['-c', 'import debugpy'], { stdio: 'pipe' }),
    'precondition: no debugpy',
  );
  return wrapper;
}

async function setPythonSelected(value: string | undefined): Promise<void> {
  await vscode.workspace
    .getConfiguration('pythonStandIn')
    .update('selectedInterpreter', value, vscode.ConfigurationTarget.Workspace);
}

describe('tracefix: interpreter discovery through the Python extensions', function () {
  this.timeout(90_000);
  let tmp: string;
  let noDebugpy: string;
  let bundledLink: string;
  let original: unknown;
  before(async () => {
    original = vscode.workspace.getConfiguration('tracefix').inspect('pythonPath')?.workspaceValue;
    await closeAll();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tracefix-discovery-'));
    noDebugpy = pythonWithoutDebugpy(tmp);
    const debugpyExt = vscode.extensions.getExtension('ms-python.debugpy');
    assert.ok(debugpyExt, 'the Python Debugger stand-in is installed');
    assert.ok(
      vscode.extensions.getExtension('ms-python.python'),
      'the Python stand-in is installed',
    );
    bundledLink = path.join(debugpyExt.extensionPath, 'bundled', 'libs', 'debugpy');
    await openAt('collatz.py', 1);
  });
  afterEach(async () => {
    fs.rmSync(path.dirname(path.dirname(bundledLink)), { recursive: true, force: true });
    await setPythonSelected(undefined);
    await setSetting('pythonPath', original);
  });
  after(async () => {
    fs.rmSync(tmp, { recursive: true, force: true });
    await closeAll();
  });

  it("records with the Python extension's selected interpreter before tracefix.pythonPath", async () => {
    await setSetting('pythonPath', noDebugpy);
    await setPythonSelected('/usr/bin/python3');
    const r = await run('tracefix.traceOnly');
    assertOk(r);
    const trace = (await tracefix()).lastTrace();
    assert.equal(trace?.interpreter.path, '/usr/bin/python3');
  });

  it('falls back to tracefix.pythonPath when the Python extension has no selection', async () => {
    await setSetting('pythonPath', '/usr/bin/python3');
    const r = await run('tracefix.traceOnly');
    assertOk(r);
    assert.equal((await tracefix()).lastTrace()?.interpreter.path, '/usr/bin/python3');
  });

  it("uses the Python Debugger extension's bundled debugpy when the interpreter has none", async () => {
    fs.mkdirSync(path.dirname(bundledLink), { recursive: true });
    fs.symlinkSync(SYSTEM_DEBUGPY, bundledLink);
    await setSetting('pythonPath', noDebugpy);
    const r = await run('tracefix.traceOnly');
    assertOk(r);
    const trace = (await tracefix()).lastTrace();
    assert.equal(trace?.interpreter.path, noDebugpy);
    assert.equal(trace?.interpreter.debugpyPath, path.dirname(bundledLink));
    assert.ok((trace?.events.length ?? 0) > 10, 'a real recording');
  });

  it("uses Tracefix's own bundled debugpy 1.8 when neither the interpreter nor the Python Debugger extension has one", async () => {
    const own = path.join(
      vscode.extensions.getExtension('tracefix.tracefix')!.extensionPath,
      'bundled',
      'libs',
    );
    assert.ok(
      fs.existsSync(path.join(own, 'debugpy', '__init__.py')),
      `precondition: ${own} holds debugpy (npm test bundles it)`,
    );
    await setSetting('pythonPath', noDebugpy);
    const r = await run('tracefix.traceOnly');
    assertOk(r);
    const trace = (await tracefix()).lastTrace();
    assert.equal(trace?.interpreter.path, noDebugpy);
    assert.equal(trace?.interpreter.debugpyPath, own);
    assert.match(trace?.interpreter.debugpyVersion ?? '', /^1\.8\./);
    assert.ok((trace?.events.length ?? 0) > 10, 'a real recording');
  });
});
