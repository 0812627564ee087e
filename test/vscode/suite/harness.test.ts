// Proves the suites really run inside VS Code's extension host with the fixture workspace and the
// extension under development loaded. run.mjs (code-server) sets TRACEFIX_TEST_*; under
// @vscode/test-cli (desktop VS Code) they are absent and the desktop expectations apply.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'tracefix.tracefix';
const viaCodeServer = process.env.TRACEFIX_TEST_WORKSPACE !== undefined;

function workspaceRoot(): string {
  const folders = vscode.workspace.workspaceFolders ?? [];
  assert.equal(folders.length, 1, 'exactly one workspace folder is open');
  return folders[0]!.uri.fsPath;
}

function findPythonFile(dir: string): string | undefined {
  const entries = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
  const rel = entries.find(
    (e) => e.endsWith('.py') && !e.split(path.sep).some((p) => p.startsWith('.')),
  );
  return rel === undefined ? undefined : path.join(dir, rel);
}

describe('harness: VS Code extension host', () => {
  it('runs in the Node extension host of the expected VS Code flavour', () => {
    assert.ok(vscode.version.startsWith('1.'), `vscode.version ${vscode.version}`);
    assert.equal(
      typeof process.versions.node,
      'string',
      'a Node extension host (child processes work)',
    );
    if (viaCodeServer) {
      assert.equal(vscode.env.uiKind, vscode.UIKind.Web);
      assert.ok(vscode.env.remoteName, 'code-server runs extensions in a remote extension host');
    } else {
      assert.equal(vscode.env.uiKind, vscode.UIKind.Desktop);
    }
  });

  it('opened the fresh copy of the fixture workspace', () => {
    const root = workspaceRoot();
    assert.ok(fs.statSync(root).isDirectory());
    if (viaCodeServer) {
      assert.equal(root, process.env.TRACEFIX_TEST_WORKSPACE);
      const repo = process.env.TRACEFIX_TEST_REPO ?? '';
      assert.ok(
        !root.startsWith(repo + path.sep),
        `workspace ${root} must be a copy outside the repo`,
      );
    }
    assert.ok(findPythonFile(root), `a .py file in ${root}`);
  });

  it('applies the Workspace Trust mode the runner was asked for', () => {
    // Default: --disable-workspace-trust (trusted). With `run.mjs --workspace-trust` the feature
    // is on and, with the startup prompt off, the folder opens in Restricted Mode.
    const trustFeatureOn = process.env.TRACEFIX_TEST_WORKSPACE_TRUST === '1';
    assert.equal(vscode.workspace.isTrusted, !trustFeatureOn);
  });

  it('opens a Python file of the workspace as a python document', async () => {
    const file = findPythonFile(workspaceRoot())!;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const editor = await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'python');
    assert.equal(doc.getText(), fs.readFileSync(file, 'utf8'));
    assert.equal(editor.document.uri.fsPath, file);
  });

  it('can start the debugpy-capable Python from the extension host', function () {
    // CI machines: /usr/bin/python3 has debugpy (the pyenv python first on PATH does not).
    if (!viaCodeServer) this.skip();
    const out = execFileSync(
      '/usr/bin/python3',
      ['-c', 'import debugpy, sys; print(debugpy.__version__, sys.version_info[0])'],
      {
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    assert.match(out.trim(), /^\d+\.\d+\S* 3$/);
  });

  it('loaded the extension under development', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(
      ext,
      `${EXTENSION_ID} not in ${vscode.extensions.all
        .map((e) => e.id)
        .filter((id) => !id.startsWith('vscode.'))
        .join(', ')}`,
    );
    assert.ok(vscode.extensions.all.some((e) => e.id === EXTENSION_ID));
    const pkg = ext.packageJSON as { publisher?: string; name?: string; main?: string };
    assert.equal(pkg.publisher, 'tracefix');
    assert.equal(pkg.name, 'tracefix');
    if (process.env.TRACEFIX_TEST_EXTENSION_DIR) {
      assert.equal(ext.extensionPath, process.env.TRACEFIX_TEST_EXTENSION_DIR);
    }
  });

  it('activates the extension', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    assert.ok(ext.isActive);
  });
});
