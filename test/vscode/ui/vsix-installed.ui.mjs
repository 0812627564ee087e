// The packaged extension as a user gets it: tracefix-<version>.vsix (npm run package) is inspected,
// installed into code-server with --install-extension, and the workbench opens WITHOUT the
// development path. The workspace's interpreter is pyenv 3.12, which has no debugpy: the recording
// must run on the debugpy 1.8 bundled inside the installed extension.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describeFigures, inspectVsix } from '../../../scripts/package.mjs';
import { tracefixReady } from './tracefix-smoke.ui.mjs';

const TIMEOUT = { timeout: 60_000 };

/** `$(pyenv root)/versions/3.12.x/bin/python`. */
function pyenv312() {
  let root = process.env.PYENV_ROOT || join(homedir(), '.pyenv');
  try {
    root = execFileSync('pyenv', ['root'], { encoding: 'utf8' }).trim();
  } catch {
    /* no pyenv on PATH */
  }
  const versions = existsSync(join(root, 'versions')) ? readdirSync(join(root, 'versions')) : [];
  const v = versions
    .filter((d) => d.startsWith('3.12.'))
    .sort()
    .pop();
  if (!v)
    throw new Error(
      `needs a pyenv Python 3.12 in ${root}/versions (found: ${versions.join(', ') || 'none'})`,
    );
  return join(root, 'versions', v, 'bin', 'python');
}

const python = pyenv312();

export const options = {
  extension: 'vsix',
  prepare(run) {
    assert.throws(
      () => execFileSync(python, ['-c', 'import debugpy'], { stdio: 'pipe' }),
      `precondition: ${python} has no debugpy`,
    );
    mkdirSync(join(run.workspace, '.vscode'), { recursive: true });
    writeFileSync(
      join(run.workspace, '.vscode', 'settings.json'),
      JSON.stringify({ 'tracefix.pythonPath': python }, null, 2),
    );
  },
};

/** The installed extension's folder in the run's extensions dir. */
function installedDir(wb) {
  const dir = readdirSync(wb.run.extensions).find((d) => d.startsWith('tracefix.tracefix-'));
  assert.ok(
    dir,
    `tracefix.tracefix-* in ${wb.run.extensions}: ${readdirSync(wb.run.extensions).join(', ')}`,
  );
  return join(wb.run.extensions, dir);
}

/** Text of the Tracefix output channel's log file, wherever code-server put it under user data. */
function tracefixLog(wb) {
  const logs = join(wb.run['user-data'], 'logs');
  const files = existsSync(logs)
    ? readdirSync(logs, { recursive: true, encoding: 'utf8' }).filter((f) =>
        /Tracefix\.log$/.test(f),
      )
    : [];
  return files.map((f) => readFileSync(join(logs, f), 'utf8')).join('\n');
}

export const checks = [
  {
    name: 'the VSIX holds the minified bundles, debugpy 1.8, the notices and none of the tests',
    async run(wb) {
      const { problems, figures, name, version } = await inspectVsix(wb.vsix);
      console.log(`[ui] VSIX ${describeFigures(figures)}`);
      assert.deepEqual(problems, []);
      assert.ok(
        wb.installed.includes(`${name}@${version}`),
        `--list-extensions: ${wb.installed.join(', ')}`,
      );
      const dir = installedDir(wb);
      assert.ok(
        existsSync(join(dir, 'bundled', 'libs', 'debugpy', '__init__.py')),
        'debugpy is unpacked with the extension',
      );
      assert.ok(existsSync(join(dir, 'THIRD_PARTY_NOTICES')));
    },
  },
  {
    name: 'Trace Only with a Python that has no debugpy records through the bundled copy: decorations and hover',
    async run(wb) {
      await tracefixReady(wb, 'collatz.py');
      await wb.runCommand('Tracefix: Trace Only');
      const steps = await wb.waitForAfterText(5, /steps = 1 → 2/, TIMEOUT);
      assert.match(steps.join(' '), /^steps = 1 → 2 → 3 .*16 \(×16\)$/);
      assert.match((await wb.afterText(6)).join(' '), /__return__ = 16/);
      const hover = await wb.hoverLine(4);
      assert.match(hover, /Tracefix · line 4 · ran 16× in collatz_steps/);
      assert.match(hover, /n = 22/);
      await wb.screenshot('installed-trace');
      await wb.page.keyboard.press('Escape');
      // pyenv 3.12 has no debugpy and the Python Debugger stand-in bundles none: debugpy 1.8 can only
      // come from the installed extension's bundled/libs (the repository is not loaded).
      const log = tracefixLog(wb);
      assert.match(
        log,
        /python 3\.12\.\d+ \(.*\/versions\/3\.12\.\d+\/bin\/python\), debugpy 1\.8\.\d+/,
        log.slice(-2000),
      );
    },
  },
];
