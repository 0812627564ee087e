// Everything that happens before code-server starts: install it, build the extension if stale,
// bundle the mocha suites, make throwaway run dirs with a fresh copy of the fixture workspace.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { join, relative } from 'node:path';
import { nodeBundle } from '../esbuild-options.mjs';

export const CODE_SERVER_VERSION = '4.100.3';

export function codeServerDir() {
  const cache = process.env.TRACEFIX_VSCODE_CACHE || join(homedir(), '.cache', 'tracefix');
  return join(cache, `code-server-${CODE_SERVER_VERSION}`);
}

/** Runs install-code-server.sh unless its completion marker exists; returns the entry point. */
export function ensureCodeServer(repo, log) {
  const dir = codeServerDir();
  if (!existsSync(join(dir, '.tracefix-install-complete'))) {
    log(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (once, ~1 min)`);
    const r = spawnSync('bash', [join(repo, 'scripts/vscode-test/install-code-server.sh')], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (r.status !== 0) throw new Error(`install-code-server.sh failed (exit ${r.status})`);
  }
  return join(dir, 'node_modules/code-server/out/node/entry.js');
}

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const s = statSync(join(dir, f));
    if (s.isFile()) newest = Math.max(newest, s.mtimeMs);
  }
  return newest;
}

/** `npm run build` when dist/extension.js is missing or older than anything under src/. */
export function ensureExtensionBuilt(repo, log) {
  if (!existsSync(join(repo, 'src/extension/extension.ts'))) {
    log(
      'src/extension/extension.ts does not exist yet: the extension cannot be built or activated',
    );
    return;
  }
  const dist = join(repo, 'dist/extension.js');
  if (existsSync(dist) && statSync(dist).mtimeMs >= newestMtime(join(repo, 'src'))) return;
  log('dist/extension.js is missing or older than src/: npm run build');
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: repo, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm run build failed (exit ${r.status})`);
}

function findTs(dir, suffix) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(suffix) && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f))
    .sort();
}

/**
 * Bundles the runner (mocha inside) to out/vscode-tests/index.js and each suite to
 * out/vscode-tests/<suite|bench>/<name>.js, CommonJS with `vscode` external: the extension host
 * hands `vscode` only to require(). Writes runner-config.json for the runner.
 */
export async function bundleTests(repo, { bench = false, grep, timeoutMs }) {
  const out = join(repo, 'out/vscode-tests');
  rmSync(out, { recursive: true, force: true });
  const suiteDir = bench ? 'bench' : 'suite';
  const srcDir = join(repo, 'test/vscode', suiteDir);
  const suites = bench ? findTs(srcDir, '.ts') : findTs(srcDir, '.test.ts');
  if (suites.length === 0) throw new Error(`no test files in ${relative(repo, srcDir)}/`);
  const common = { ...nodeBundle, external: ['vscode'], absWorkingDir: repo };
  await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: [join(repo, 'test/vscode/runner/index.ts')],
      outfile: join(out, 'index.js'),
      // mocha's parallel mode resolves worker files; we never use it.
      logOverride: { 'require-resolve-not-external': 'silent' },
    }),
    esbuild.build({ ...common, entryPoints: suites, outbase: srcDir, outdir: join(out, suiteDir) }),
  ]);
  const config = { suiteDir, timeoutMs, ...(grep ? { grep } : {}) };
  writeFileSync(join(out, 'runner-config.json'), JSON.stringify(config, null, 2));
  return { indexJs: join(out, 'index.js'), suites: suites.map((s) => relative(repo, s)) };
}

/** Settings for a throwaway profile: no startup editor, no hot exit restoring edits, no nags. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'files.hotExit': 'off',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'git.enabled': false,
  'security.workspace.trust.startupPrompt': 'never',
};

/**
 * A fresh temp dir for one code-server run: HOME, XDG dirs, TMPDIR, user data, extensions and a
 * copy of test/fixtures/workspace (or a one-file stand-in while that fixture does not exist).
 */
export function makeRunDir(repo, label) {
  const root = mkdtempSync(join(tmpdir(), `tracefix-vscode-${label}-`));
  const dirs = {};
  for (const d of ['home', 'config', 'data', 'cache', 'tmp', 'user-data', 'extensions']) {
    dirs[d] = join(root, d);
    mkdirSync(dirs[d], { recursive: true });
  }
  // Stand-ins for the Python and Python Debugger extensions (see test/vscode/extensions/README.md).
  const standIns = join(repo, 'test/vscode/extensions');
  if (existsSync(standIns)) {
    for (const id of readdirSync(standIns)) {
      const pkgFile = join(standIns, id, 'package.json');
      if (!existsSync(pkgFile)) continue;
      const { version } = JSON.parse(readFileSync(pkgFile, 'utf8'));
      cpSync(join(standIns, id), join(dirs.extensions, `${id}-${version}`), { recursive: true });
    }
  }
  mkdirSync(join(dirs['user-data'], 'User'), { recursive: true });
  writeFileSync(
    join(dirs['user-data'], 'User/settings.json'),
    JSON.stringify(USER_SETTINGS, null, 2),
  );
  const workspace = join(root, 'workspace');
  const fixture = join(repo, 'test/fixtures/workspace');
  if (existsSync(fixture)) {
    cpSync(fixture, workspace, { recursive: true });
  } else {
    mkdirSync(workspace);
    writeFileSync(
      join(workspace, 'hello.py'),
      'def greet(name):\n    return "hello " + name\n\nprint(greet("tracefix"))\n',
    );
  }
  return { root, workspace, ...dirs, fixtureMissing: !existsSync(fixture) };
}
