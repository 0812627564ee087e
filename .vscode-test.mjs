// @vscode/test-cli configuration for contributors with internet (it downloads desktop VS Code).
// Same suites and fixture as `npm run test:vscode` (code-server, used in CI):
//   node scripts/vscode-test/run.mjs --bundle-only && npx vscode-test
import { defineConfig } from '@vscode/test-cli';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = dirname(fileURLToPath(import.meta.url));

// A fresh copy per run: suites edit files, and hot exit would otherwise carry edits over.
function workspaceCopy() {
  const fixture = join(repo, 'test/fixtures/workspace');
  const copy = join(mkdtempSync(join(tmpdir(), 'tracefix-vscode-test-cli-')), 'workspace');
  if (existsSync(fixture)) cpSync(fixture, copy, { recursive: true });
  return copy;
}

export default defineConfig({
  label: 'suites',
  files: 'out/vscode-tests/suite/**/*.test.js',
  // The VS Code version code-server 4.100.3 is built from.
  version: '1.100.3',
  extensionDevelopmentPath: repo,
  workspaceFolder: workspaceCopy(),
  launchArgs: ['--disable-workspace-trust', '--disable-extensions'],
  mocha: { ui: 'bdd', timeout: 60_000, color: true },
});
